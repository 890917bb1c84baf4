//! The DfE's SSDA903 XML (`<EXPSSDA903>`, one `<CHILD>` per child): a child's `<HEADER>` carries
//! the Header fields and, nested or alongside, the UASC, adoption, care-leaver, missing, review,
//! permanence, OC2 and placed-for-adoption data; each `<EPISODE>` is an episode (ssda903.md §9).
//!
//! Each child is read into a small tree, then spread over the tables of the year's schema: which
//! element fills which column comes from the schema's column names and synonyms (`CHILDID` is
//! CHILD, `PL` is PLACE), and every table's CHILD, DOB (and UASC's SEX) come from the header. The
//! child's `<UASC>` flag is kept in the Header's UASC column, which only this form of the return
//! carries. A malformed file keeps every child read before the fault.

use std::collections::HashSet;
use std::sync::Arc;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::ingest::push_row;
use crate::ingest::xml::{Lines, XmlText};
use crate::issue::{IssueSink, Location};
use crate::schema::{ReturnSchema, TableSchema, normalise_header};
use crate::source::SourceFile;
use crate::structural::Check;
use crate::table::{RowSource, Table};

const ROOT: &str = "EXPSSDA903";
const CHILD: &str = "CHILD";
const HEADER: &str = "HEADER";
const EPISODE: &str = "EPISODE";

/// Where a table's rows come from in a `<CHILD>`.
struct Group {
    table: &'static str,
    /// The element holding the row's fields: `None` for fields directly in `<HEADER>`.
    element: Option<&'static str>,
    /// For header groups, the field whose text says the row exists.
    present_if: Option<&'static str>,
}

const HEADER_GROUPS: [Group; 9] = [
    Group {
        table: "Header",
        element: None,
        present_if: None,
    },
    // As the reference validator does, any text in the child's `<UASC>` flag (0 too) makes a UASC
    // row, which holds DUC; the flag itself is the Header's UASC column, which the rules read as
    // the child's status where it is 0 or 1.
    Group {
        table: "UASC",
        element: None,
        present_if: Some("UASC"),
    },
    Group {
        table: "AD1",
        element: None,
        present_if: Some("DATE_INT"),
    },
    Group {
        table: "OC3",
        element: None,
        present_if: Some("IN_TOUCH"),
    },
    Group {
        table: "Missing",
        element: Some("AMISSING"),
        present_if: None,
    },
    Group {
        table: "Reviews",
        element: Some("AREVIEW"),
        present_if: None,
    },
    Group {
        table: "PrevPerm",
        element: Some("PERMANENCE"),
        present_if: None,
    },
    Group {
        table: "OC2",
        element: Some("OC2"),
        present_if: None,
    },
    Group {
        table: "PlacedAdoption",
        element: Some("AD_PLACED"),
        present_if: None,
    },
];

#[derive(Debug, Default)]
struct Element {
    name: String,
    text: String,
    line: u32,
    children: Vec<Element>,
}

impl Element {
    fn field(&self, table: &TableSchema, column: usize) -> Option<&Element> {
        let spellings: Vec<String> = table.columns[column]
            .spellings()
            .map(|s| normalise_header(&s))
            .collect();
        self.children
            .iter()
            .find(|e| e.children.is_empty() && spellings.contains(&normalise_header(&e.name)))
    }

    fn has_text(&self, name: &str) -> bool {
        self.children
            .iter()
            .any(|e| e.name == name && !e.text.trim().is_empty())
    }
}

/// Reads one 903 XML file into the tables of the year's schema, in schema order.
pub fn read(
    text: &XmlText<'_>,
    file: &Arc<SourceFile>,
    files: &[Arc<SourceFile>],
    schema: &Arc<ReturnSchema>,
    sink: &mut IssueSink,
) -> Vec<Table> {
    let mut tables: Vec<Table> = (0..schema.tables.len())
        .map(|i| Table::new(schema.clone(), i))
        .collect();
    let mut reader = Reader::from_str(text.as_str());
    let mut lines = Lines::new(text.as_str().as_bytes());
    let mut stack: Vec<Element> = Vec::new();
    let mut unknown = HashSet::new();
    let mut root_seen = false;
    let mut children = 0usize;
    let fault = |sink: &mut IssueSink, line: u32, message: String| {
        let location = Location {
            row: Some(line),
            ..Location::file(file)
        };
        sink.push(Check::MalformedXml.finding(message, location, None));
    };
    loop {
        let before = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(start)) | Ok(Event::Empty(start)) if stack.is_empty() && !root_seen => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                if name != ROOT {
                    let message = format!(
                        "{} is XML but its root is <{name}>, not <{ROOT}>: it is not an SSDA903 XML return.",
                        file.name()
                    );
                    sink.push(Check::UnrecognisedFile.finding(message, Location::file(file), None));
                    return tables;
                }
                root_seen = true;
            }
            Ok(Event::Start(start)) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                stack.push(Element {
                    name,
                    line: lines.at(before),
                    ..Element::default()
                });
            }
            Ok(Event::Empty(start)) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                let element = Element {
                    name,
                    line: lines.at(before),
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => unexpected(&element, file, sink, &mut unknown),
                }
            }
            Ok(Event::Text(content)) => {
                if let Some(current) = stack.last_mut() {
                    match content.xml10_content() {
                        Ok(text) => current.text.push_str(&text),
                        Err(e) => {
                            fault(
                                sink,
                                lines.at(before),
                                format!("{} has text that cannot be read: {e}", file.name()),
                            );
                            return tables;
                        }
                    }
                }
            }
            Ok(Event::End(_)) => {
                let Some(element) = stack.pop() else { continue };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if element.name == CHILD => {
                        spread(&element, &mut tables, files, file, sink, &mut unknown);
                        children += 1;
                    }
                    None => unexpected(&element, file, sink, &mut unknown),
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                let cut = stack
                    .first()
                    .map(|c| format!("; the child starting at line {} was not read", c.line))
                    .unwrap_or_default();
                fault(
                    sink,
                    lines.at(reader.error_position()),
                    format!("{} is not well-formed XML: {e}{cut}", file.name()),
                );
                return tables;
            }
        }
    }
    if !stack.is_empty() {
        let open: Vec<&str> = stack.iter().map(|e| e.name.as_str()).collect();
        fault(
            sink,
            lines.at(lines.len() as u64),
            format!(
                "{} ends inside <{}>: it looks cut short; that child was not read",
                file.name(),
                open.join("><")
            ),
        );
    } else if !root_seen || children == 0 {
        let message = format!("{} holds no <{CHILD}> records.", file.name());
        sink.push(Check::EmptyFile.finding(message, Location::file(file), None));
    }
    tables
}

/// Turns one `<CHILD>` into rows of the tables.
fn spread(
    child: &Element,
    tables: &mut [Table],
    files: &[Arc<SourceFile>],
    file: &Arc<SourceFile>,
    sink: &mut IssueSink,
    unknown: &mut HashSet<String>,
) {
    let empty = Element::default();
    let header = child
        .children
        .iter()
        .find(|e| e.name == HEADER)
        .unwrap_or(&empty);
    let mut known: HashSet<&str> = HashSet::from([HEADER, EPISODE]);
    let mut header_fields: HashSet<String> = HashSet::new();
    for group in &HEADER_GROUPS {
        let Some(t) = table_index(tables, group.table) else {
            continue;
        };
        let schema = tables[t].schema().clone();
        match group.element {
            None => {
                header_fields.extend(
                    schema
                        .columns
                        .iter()
                        .flat_map(|c| c.spellings())
                        .map(|s| normalise_header(&s)),
                );
                if group.present_if.is_none_or(|flag| header.has_text(flag))
                    && !std::ptr::eq(header, &empty)
                {
                    push(&mut tables[t], header, header, files, file.id, sink);
                }
            }
            Some(element) => {
                header_fields.insert(normalise_header(element));
                for holder in header.children.iter().filter(|e| e.name == element) {
                    push(&mut tables[t], holder, header, files, file.id, sink);
                    report_unknown_fields(holder, &schema, file, sink, unknown);
                }
            }
        }
    }
    for element in &header.children {
        if !header_fields.contains(&normalise_header(&element.name)) {
            unexpected(element, file, sink, unknown);
        }
    }
    if let Some(t) = table_index(tables, "Episodes") {
        let schema = tables[t].schema().clone();
        for episode in child.children.iter().filter(|e| e.name == EPISODE) {
            push(&mut tables[t], episode, header, files, file.id, sink);
            report_unknown_fields(episode, &schema, file, sink, unknown);
        }
    }
    known.extend(HEADER_GROUPS.iter().filter_map(|g| g.element));
    for element in child
        .children
        .iter()
        .filter(|e| !known.contains(e.name.as_str()))
    {
        unexpected(element, file, sink, unknown);
    }
}

/// Pushes one row whose fields are in `holder`; CHILD, DOB and the like fall back to the header.
fn push(
    table: &mut Table,
    holder: &Element,
    header: &Element,
    files: &[Arc<SourceFile>],
    file: u16,
    sink: &mut IssueSink,
) {
    let schema = table.schema().clone();
    let cells: Vec<Option<&str>> = (0..schema.columns.len())
        .map(|c| {
            holder
                .field(&schema, c)
                .or_else(|| header.field(&schema, c))
                .map(|e| e.text.as_str())
                .or(Some(""))
        })
        .collect();
    push_row(
        table,
        files,
        RowSource {
            file,
            line: holder.line,
        },
        &cells,
        sink,
    );
}

fn report_unknown_fields(
    holder: &Element,
    schema: &TableSchema,
    file: &Arc<SourceFile>,
    sink: &mut IssueSink,
    unknown: &mut HashSet<String>,
) {
    for element in &holder.children {
        let known = schema.columns.iter().any(|c| {
            c.spellings()
                .any(|s| normalise_header(&s) == normalise_header(&element.name))
        });
        if !known {
            unexpected(element, file, sink, unknown);
        }
    }
}

/// An element the return does not have: a warning once per name per file.
fn unexpected(
    element: &Element,
    file: &Arc<SourceFile>,
    sink: &mut IssueSink,
    unknown: &mut HashSet<String>,
) {
    if unknown.insert(element.name.clone()) {
        let message = format!(
            "Element <{}> is not part of the SSDA903 XML for this year; it was ignored.",
            element.name
        );
        let location = Location {
            row: Some(element.line),
            column: Some(element.name.as_str().into()),
            ..Location::file(file)
        };
        sink.push(Check::UnknownColumn.finding(message, location, None));
    }
}

fn table_index(tables: &[Table], name: &str) -> Option<usize> {
    tables.iter().position(|t| t.name() == name)
}
