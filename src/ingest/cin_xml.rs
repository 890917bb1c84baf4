//! The CIN census XML reader: one pass over the file into the flat tables of the year's schema
//! (`spec/cin.md` §2–§3), linear in the size of the file. The reference validator concatenates
//! tables per child and slows quadratically; a large LA's census must load in well under a second.
//!
//! The element tree is fixed by the DfE and lives here as `MESSAGE`; which element feeds which
//! column comes from the schema (column names and synonyms), so a new field in a new year is a YAML
//! change. A child's rows are held until `</Child>` because LAchildID, which every row carries,
//! may come after the rows it belongs to. Every row remembers the line of its element's start tag.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::ingest::push_row;
use crate::ingest::xml::{Lines, XmlText};
use crate::issue::{IssueSink, Location};
use crate::schema::{DateFormat, ReturnSchema};
use crate::source::SourceFile;
use crate::structural::Check;
use crate::table::{RowSource, Table, parse_date};

/// What one CIN census file holds.
#[derive(Debug)]
pub struct CinXml {
    /// One table per table of the schema, in schema order.
    pub tables: Vec<Table>,
    /// The header's ReferenceDate when it is a valid date: it names the collection year
    /// (`CollectionYear::of_date`).
    pub reference_date: Option<NaiveDate>,
    /// Children read completely (a child cut off by a fault is not counted).
    pub children: usize,
}

/// The header's ReferenceDate, read before the year's schema is chosen. Reads only up to the end
/// of the header; `None` when it is absent, not a valid `yyyy-mm-dd` date or the header is broken.
pub fn peek_reference_date(text: &XmlText) -> Option<NaiveDate> {
    const PATH: [&[u8]; 4] = [
        b"Message",
        b"Header",
        b"CollectionDetails",
        b"ReferenceDate",
    ];
    let mut reader = Reader::from_str(text.as_str());
    let mut depth = 0;
    let mut matched = 0;
    let mut value = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                let name = e.local_name();
                if depth == 1 && name.as_ref() == b"Children" {
                    return None;
                }
                if matched == depth && depth < PATH.len() && name.as_ref() == PATH[depth] {
                    matched += 1;
                }
                depth += 1;
            }
            Event::End(_) => {
                if matched == PATH.len() && depth == PATH.len() {
                    return parse_date(value.trim(), DateFormat::Iso, false).map(|(d, _)| d);
                }
                if matched == depth {
                    matched -= 1;
                }
                depth -= 1;
                if depth == 1 && matched == 1 {
                    // The header ended without a ReferenceDate.
                    return None;
                }
            }
            Event::Text(t) if matched == PATH.len() => value.push_str(&t.xml10_content().ok()?),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Generated keys of the flat form (`spec/cin.md` §3), numbered 1..n in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Id {
    CinDetails,
    Assessment,
    Cpp,
}

impl Id {
    const ALL: [Id; 3] = [Id::CinDetails, Id::Assessment, Id::Cpp];

    fn column(self) -> &'static str {
        match self {
            Id::CinDetails => "CINdetailsID",
            Id::Assessment => "AssessmentID",
            Id::Cpp => "CPPID",
        }
    }

    fn of_column(name: &str) -> Option<Id> {
        Id::ALL.into_iter().find(|id| id.column() == name)
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Holds elements of the tree only.
    Container,
    /// Holds fields of the enclosing record (the header's CollectionDetails and Source).
    Group,
    /// One child: its rows are held until it ends.
    Child,
    /// Carries no data (`spec/cin.md` §2: Header/Content/CBDSLevels in some LA extracts).
    Ignored,
    /// One row of `table`; its leaf elements are the row's fields.
    Record {
        table: &'static str,
        numbered: Option<Id>,
        identifies_child: bool,
    },
    /// One row of `table` whose value is the element's own text (one row per repetition).
    Value { table: &'static str },
}

#[derive(Debug)]
struct Node {
    name: &'static str,
    kind: Kind,
    /// Keys numbered afresh inside each of these elements.
    numbers_within: &'static [Id],
    children: &'static [Node],
}

const fn node(name: &'static str, kind: Kind, children: &'static [Node]) -> Node {
    Node {
        name,
        kind,
        numbers_within: &[],
        children,
    }
}

const fn record(name: &'static str, table: &'static str, children: &'static [Node]) -> Node {
    node(
        name,
        Kind::Record {
            table,
            numbered: None,
            identifies_child: false,
        },
        children,
    )
}

const fn numbered(name: &'static str, id: Id, children: &'static [Node]) -> Node {
    node(
        name,
        Kind::Record {
            table: name,
            numbered: Some(id),
            identifies_child: false,
        },
        children,
    )
}

const fn list(container: &'static str, children: &'static [Node]) -> Node {
    node(container, Kind::Container, children)
}

const fn value(name: &'static str, table: &'static str) -> Node {
    node(name, Kind::Value { table }, &[])
}

/// The CIN census element tree (`spec/cin.md` §2 and the DfE XSDs). Fields are not listed: a
/// record's leaf elements are its table's columns.
const MESSAGE: Node = list(
    "Message",
    &[
        record(
            "Header",
            "Header",
            &[
                node("CollectionDetails", Kind::Group, &[]),
                node("Source", Kind::Group, &[]),
                node("Content", Kind::Ignored, &[]),
            ],
        ),
        list(
            "Children",
            &[Node {
                name: "Child",
                kind: Kind::Child,
                numbers_within: &[Id::CinDetails],
                children: &[
                    node(
                        "ChildIdentifiers",
                        Kind::Record {
                            table: "ChildIdentifiers",
                            numbered: None,
                            identifies_child: true,
                        },
                        &[],
                    ),
                    record(
                        "ChildCharacteristics",
                        "ChildCharacteristics",
                        &[list("Disabilities", &[value("Disability", "Disabilities")])],
                    ),
                    Node {
                        numbers_within: &[Id::Assessment, Id::Cpp],
                        ..numbered(
                            "CINdetails",
                            Id::CinDetails,
                            &[
                                numbered(
                                    "Assessments",
                                    Id::Assessment,
                                    &[list(
                                        "FactorsIdentifiedAtAssessment",
                                        &[value("AssessmentFactors", "AssessmentFactorsList")],
                                    )],
                                ),
                                record("CINPlanDates", "CINplanDates", &[]),
                                record("Section47", "Section47", &[]),
                                numbered(
                                    "ChildProtectionPlans",
                                    Id::Cpp,
                                    &[list("Reviews", &[value("CPPreviewDate", "Reviews")])],
                                ),
                            ],
                        )
                    },
                ],
            }],
        ),
    ],
);

/// How a record element fills its table in this year's schema.
#[derive(Debug)]
struct Plan {
    table: usize,
    width: usize,
    /// Element names (column names and synonyms) and their columns; a handful per record, where
    /// a scan beats hashing.
    fields: Vec<(String, usize)>,
    /// For value records, the column the element's text goes to.
    value_column: Option<usize>,
    /// The LAchildID column when it is copied from the child rather than read from an element.
    inherited_child_column: Option<usize>,
    /// The LAchildID column of the record that holds it (ChildIdentifiers).
    own_child_column: Option<usize>,
    generated: Vec<(usize, Id)>,
}

fn plans(schema: &ReturnSchema) -> (Vec<Plan>, HashMap<&'static str, usize>) {
    fn walk(
        node: &'static Node,
        schema: &ReturnSchema,
        plans: &mut Vec<Plan>,
        by_table: &mut HashMap<&'static str, usize>,
    ) {
        let (table_name, identifies_child, is_value) = match node.kind {
            Kind::Record {
                table,
                identifies_child,
                ..
            } => (Some(table), identifies_child, false),
            Kind::Value { table } => (Some(table), false, true),
            _ => (None, false, false),
        };
        if let Some(table_name) = table_name
            && let Some(index) = schema.table_index(table_name)
        {
            let table = &schema.tables[index];
            let child_column = table.column_index(&schema.child_column);
            let mut fields = Vec::new();
            for (c, column) in table.input_columns() {
                if Some(c) != child_column || identifies_child {
                    fields.extend(column.spellings().map(|s| (s, c)));
                }
            }
            let value_column = if is_value {
                find_field(&fields, node.name.as_bytes())
            } else {
                None
            };
            if !is_value || value_column.is_some() {
                by_table.insert(table_name, plans.len());
                plans.push(Plan {
                    table: index,
                    width: table.columns.len(),
                    value_column,
                    inherited_child_column: child_column.filter(|_| !identifies_child),
                    own_child_column: child_column.filter(|_| identifies_child),
                    generated: table
                        .columns
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.generated)
                        .filter_map(|(i, c)| Id::of_column(&c.name).map(|id| (i, id)))
                        .collect(),
                    fields,
                });
            }
        }
        for child in node.children {
            walk(child, schema, plans, by_table);
        }
    }
    let mut plans = Vec::new();
    let mut by_table = HashMap::new();
    walk(&MESSAGE, schema, &mut plans, &mut by_table);
    (plans, by_table)
}

impl Plan {
    fn field(&self, element: &[u8]) -> Option<usize> {
        find_field(&self.fields, element)
    }
}

fn find_field(fields: &[(String, usize)], element: &[u8]) -> Option<usize> {
    fields
        .iter()
        .find(|(name, _)| name.as_bytes() == element)
        .map(|(_, column)| *column)
}

#[derive(Debug, Clone, Copy)]
enum Cell {
    Absent,
    /// A span of the unit's text and the line of its element.
    Text {
        start: u32,
        end: u32,
        line: u32,
    },
    Generated(u32),
}

#[derive(Debug)]
struct PendingRow {
    plan: usize,
    line: u32,
    first_cell: usize,
}

/// The rows of the header or of one child, held until its end tag.
#[derive(Debug, Default)]
struct Unit {
    text: String,
    cells: Vec<Cell>,
    rows: Vec<PendingRow>,
    /// Line of the unit's start tag, while one is open.
    line: Option<u32>,
}

impl Unit {
    fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
        self.rows.clear();
        self.line = None;
    }

    fn text_of(&self, row: usize, column: usize) -> Option<&str> {
        match self.cells[self.rows[row].first_cell + column] {
            Cell::Text { start, end, .. } => Some(&self.text[start as usize..end as usize]),
            _ => None,
        }
    }

    /// The child's LAchildID, from its identifying record.
    fn child_id(&self, plans: &[Plan]) -> Option<&str> {
        self.rows.iter().enumerate().find_map(|(r, row)| {
            let column = plans[row.plan].own_child_column?;
            Some(self.text_of(r, column).unwrap_or("").trim())
        })
    }
}

/// A field being read: its text runs from `start` in the unit's text.
#[derive(Debug, Clone, Copy)]
struct Target {
    row: usize,
    column: usize,
    start: usize,
    line: u32,
}

#[derive(Debug)]
enum Frame {
    Node {
        node: &'static Node,
        row: Option<usize>,
        text: Option<Target>,
    },
    Field(Target),
}

impl Frame {
    fn target(&self) -> Option<Target> {
        match self {
            Frame::Node { text, .. } => *text,
            Frame::Field(target) => Some(*target),
        }
    }
}

/// Why reading stopped before the end of the file.
#[derive(Debug)]
enum Fault {
    Xml(quick_xml::Error, u64),
    UndeclaredEntity(String, u64),
    Truncated,
    AfterRoot(u64),
    NotCin(String),
    NotXml(u64),
}

/// 1-based line numbers of byte positions, counted incrementally as the reader moves on.
#[derive(Debug)]
struct Parser<'a, 's> {
    file: &'a Arc<SourceFile>,
    files: &'a [Arc<SourceFile>],
    schema: &'a Arc<ReturnSchema>,
    sink: &'a mut IssueSink,
    tables: Vec<Table>,
    plans: Vec<Plan>,
    plan_by_table: HashMap<&'static str, usize>,
    lines: Lines<'s>,
    stack: Vec<Frame>,
    unit: Unit,
    in_child: bool,
    next_id: [u32; 3],
    open_id: [Option<u32>; 3],
    reported_unknown: HashSet<String>,
    root_seen: bool,
    root_closed: bool,
    children: usize,
}

/// Reads a CIN census file into the flat tables of `schema`, reporting every problem to `sink`:
/// malformed XML (the children read before the fault are kept), unknown elements, blank or
/// mistyped values. `file` must be in `files` at its id.
pub fn read(
    text: &XmlText,
    file: &Arc<SourceFile>,
    files: &[Arc<SourceFile>],
    schema: &Arc<ReturnSchema>,
    sink: &mut IssueSink,
) -> CinXml {
    let (plans, plan_by_table) = plans(schema);
    let mut parser = Parser {
        file,
        files,
        schema,
        sink,
        tables: (0..schema.tables.len())
            .map(|i| Table::new(schema.clone(), i))
            .collect(),
        plans,
        plan_by_table,
        lines: Lines::new(text.as_str().as_bytes()),
        stack: Vec::new(),
        unit: Unit::default(),
        in_child: false,
        next_id: [0; 3],
        open_id: [None; 3],
        reported_unknown: HashSet::new(),
        root_seen: false,
        root_closed: false,
        children: 0,
    };
    if text.guessed() {
        parser.report_file(
            Check::EncodingGuessed,
            None,
            format!(
                "{} is not valid UTF-8 and declares no other encoding; it was read as windows-1252. Check names with accents or symbols, and set the case system's export to UTF-8.",
                file.name()
            ),
        );
    }
    let mut reader = Reader::from_str(text.as_str());
    match parser.run(&mut reader) {
        Ok(()) if !parser.root_seen => parser.report_file(
            Check::EmptyFile,
            None,
            format!(
                "{} holds no XML element. Export the CIN census again.",
                file.name()
            ),
        ),
        Ok(()) if parser.children == 0 => parser.report_file(
            Check::EmptyFile,
            None,
            format!(
                "{} has no <Child> in <Children>: the census lists no child. Check the export's date range and filters.",
                file.name()
            ),
        ),
        Ok(()) => {}
        Err(fault) => parser.report_fault(fault),
    }
    let reference_date = parser.reference_date();
    CinXml {
        tables: parser.tables,
        reference_date,
        children: parser.children,
    }
}

impl<'s> Parser<'_, 's> {
    fn run(&mut self, reader: &mut Reader<&'s [u8]>) -> Result<(), Fault> {
        loop {
            let before = reader.buffer_position();
            let event = reader
                .read_event()
                .map_err(|e| Fault::Xml(e, reader.error_position()))?;
            match event {
                Event::Start(e) => self.start(&e, before, false, reader)?,
                Event::Empty(e) => self.start(&e, before, true, reader)?,
                Event::End(_) => self.end(),
                // Whitespace between elements is most of the file: decode text only where it counts.
                Event::Text(t) if self.wants_text() => {
                    let content = t
                        .xml10_content()
                        .map_err(|e| Fault::Xml(e.into(), before))?;
                    self.text(&content, before)?;
                }
                Event::CData(t) if self.wants_text() => {
                    let content = t.decode().map_err(|e| Fault::Xml(e.into(), before))?;
                    self.text(&content, before)?;
                }
                Event::GeneralRef(r) if self.wants_text() => {
                    let name = r.decode().map_err(|e| Fault::Xml(e.into(), before))?;
                    let resolved = match r.resolve_char_ref().map_err(|e| Fault::Xml(e, before))? {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| Fault::UndeclaredEntity(name.to_string(), before))?
                            .to_string(),
                    };
                    self.text(&resolved, before)?;
                }
                // Stray text between elements carries no field.
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {}
                Event::Eof if self.stack.is_empty() => return Ok(()),
                Event::Eof => return Err(Fault::Truncated),
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
    }

    fn start(
        &mut self,
        element: &BytesStart,
        position: u64,
        empty: bool,
        reader: &mut Reader<&'s [u8]>,
    ) -> Result<(), Fault> {
        // Names stay bytes: they are compared, and only an unknown one is ever shown.
        let local = element.local_name();
        let name = local.as_ref();
        let line = self.lines.at(position);
        let Some(top) = self.stack.last() else {
            if self.root_closed {
                return Err(Fault::AfterRoot(position));
            }
            if name != MESSAGE.name.as_bytes() {
                return Err(Fault::NotCin(String::from_utf8_lossy(name).into_owned()));
            }
            self.root_seen = true;
            return self.open(&MESSAGE, line, empty, element, reader);
        };
        let node = match top {
            Frame::Node {
                node, text: None, ..
            } => node,
            // A field holds text only.
            _ => return self.unknown(name, line, empty, element, reader),
        };
        if let Some(child) = node.children.iter().find(|c| c.name.as_bytes() == name) {
            return self.open(child, line, empty, element, reader);
        }
        if matches!(node.kind, Kind::Record { .. } | Kind::Group)
            && let Some((row, plan)) = self.current_record()
            && let Some(column) = self.plans[plan].field(name)
        {
            let target = Target {
                row,
                column,
                start: self.unit.text.len(),
                line,
            };
            self.stack.push(Frame::Field(target));
            if empty {
                self.end();
            }
            return Ok(());
        }
        self.unknown(name, line, empty, element, reader)
    }

    /// The innermost open record: its pending row and plan.
    fn current_record(&self) -> Option<(usize, usize)> {
        self.stack.iter().rev().find_map(|frame| match frame {
            Frame::Node { row: Some(row), .. } => Some((*row, self.unit.rows[*row].plan)),
            _ => None,
        })
    }

    fn open(
        &mut self,
        node: &'static Node,
        line: u32,
        empty: bool,
        element: &BytesStart,
        reader: &mut Reader<&'s [u8]>,
    ) -> Result<(), Fault> {
        let mut row = None;
        let mut text = None;
        match node.kind {
            Kind::Ignored => return skip(empty, element, reader),
            Kind::Container | Kind::Group => {}
            Kind::Child => {
                self.in_child = true;
                self.unit.line = Some(line);
            }
            Kind::Record { table, .. } | Kind::Value { table } => {
                let Some(&plan) = self.plan_by_table.get(table) else {
                    return self.unknown(node.name.as_bytes(), line, empty, element, reader);
                };
                if let Kind::Record {
                    numbered: Some(id), ..
                } = node.kind
                {
                    self.next_id[id as usize] += 1;
                    self.open_id[id as usize] = Some(self.next_id[id as usize]);
                }
                if !self.in_child {
                    self.unit.line = Some(line);
                }
                let index = self.new_row(plan, line);
                row = Some(index);
                text = self.plans[plan].value_column.map(|column| Target {
                    row: index,
                    column,
                    start: self.unit.text.len(),
                    line,
                });
            }
        }
        for id in node.numbers_within {
            self.next_id[*id as usize] = 0;
        }
        self.stack.push(Frame::Node { node, row, text });
        if empty {
            self.end();
        }
        Ok(())
    }

    fn new_row(&mut self, plan: usize, line: u32) -> usize {
        let spec = &self.plans[plan];
        let first_cell = self.unit.cells.len();
        self.unit
            .cells
            .extend(std::iter::repeat_n(Cell::Absent, spec.width));
        for &(column, id) in &spec.generated {
            if let Some(n) = self.open_id[id as usize] {
                self.unit.cells[first_cell + column] = Cell::Generated(n);
            }
        }
        self.unit.rows.push(PendingRow {
            plan,
            line,
            first_cell,
        });
        self.unit.rows.len() - 1
    }

    fn unknown(
        &mut self,
        name: &[u8],
        line: u32,
        empty: bool,
        element: &BytesStart,
        reader: &mut Reader<&'s [u8]>,
    ) -> Result<(), Fault> {
        let name = String::from_utf8_lossy(name);
        if !self.reported_unknown.contains(name.as_ref()) {
            self.reported_unknown.insert(name.to_string());
            let parent = self.stack.last().map(|frame| match frame {
                Frame::Node { node, .. } => node.name,
                Frame::Field(target) => {
                    let plan = &self.plans[self.unit.rows[target.row].plan];
                    &self.schema.tables[plan.table].columns[target.column].name
                }
            });
            let table = self
                .current_record()
                .map(|(_, plan)| self.schema.tables[self.plans[plan].table].name.as_str());
            let inside = parent.map(|p| format!(" inside <{p}>")).unwrap_or_default();
            let message = format!(
                "<{name}>{inside} is not part of the {} CIN census schema; it is ignored with everything in it (first at line {line}; later occurrences are not listed). Check that the file is for this collection year and that the case system exports the DfE's elements.",
                self.schema.collection_year.label()
            );
            let location = Location {
                file: Some(self.file.clone()),
                table: table.map(Into::into),
                row: Some(line),
                column: Some(name.into()),
                ..Location::default()
            };
            self.sink
                .push(Check::UnknownColumn.finding(message, location, None));
        }
        skip(empty, element, reader)
    }

    /// Inside a field, or outside the root where any text means the file is not a CIN census.
    fn wants_text(&self) -> bool {
        self.stack
            .last()
            .is_none_or(|frame| frame.target().is_some())
    }

    fn text(&mut self, content: &str, position: u64) -> Result<(), Fault> {
        if !self.stack.is_empty() {
            self.unit.text.push_str(content);
        } else if !is_blank(content) {
            return Err(if self.root_seen {
                Fault::AfterRoot(position)
            } else {
                Fault::NotXml(position)
            });
        }
        Ok(())
    }

    fn end(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if let Some(target) = frame.target() {
            self.finish_field(target);
        }
        if let Frame::Node { node, row, .. } = frame {
            match node.kind {
                Kind::Child => {
                    self.flush();
                    self.children += 1;
                    self.in_child = false;
                }
                Kind::Record { numbered, .. } => {
                    if let Some(id) = numbered {
                        self.open_id[id as usize] = None;
                    }
                    if row.is_some() && !self.in_child {
                        self.flush();
                    }
                }
                _ => {}
            }
        }
        if self.stack.is_empty() {
            self.root_closed = true;
        }
    }

    fn finish_field(&mut self, target: Target) {
        let index = self.unit.rows[target.row].first_cell + target.column;
        let end = self.unit.text.len();
        match self.unit.cells[index] {
            Cell::Text { line: first, .. } => {
                self.unit.text.truncate(target.start);
                let plan = &self.plans[self.unit.rows[target.row].plan];
                let table = &self.schema.tables[plan.table];
                let column = &table.columns[target.column].name;
                let message = format!(
                    "{column} appears more than once in one {} record (lines {first} and {}); the first value is used. Remove the repeated element from the export.",
                    table.name, target.line
                );
                let location = Location {
                    file: Some(self.file.clone()),
                    table: Some(table.name.as_str().into()),
                    row: Some(target.line),
                    column: Some(column.as_str().into()),
                    ..Location::default()
                };
                self.sink
                    .push(Check::DuplicateColumn.finding(message, location, None));
            }
            _ => {
                self.unit.cells[index] = Cell::Text {
                    start: target.start as u32,
                    end: end as u32,
                    line: target.line,
                };
            }
        }
    }

    /// Types the unit's rows into the tables, with the child's LAchildID on every row.
    fn flush(&mut self) {
        let Parser {
            file,
            files,
            sink,
            tables,
            plans,
            unit,
            ..
        } = self;
        let child_id = unit.child_id(plans).filter(|id| !id.is_empty());
        // A blank LAchildID is reported once per child: by its ChildIdentifiers row, else by the
        // first row that carries the column.
        let mut blank_reported = unit
            .rows
            .iter()
            .any(|row| plans[row.plan].own_child_column.is_some());
        let mut cells: Vec<Option<&str>> = Vec::new();
        for row in &unit.rows {
            let plan = &plans[row.plan];
            let row_cells = &unit.cells[row.first_cell..row.first_cell + plan.width];
            cells.clear();
            cells.extend(row_cells.iter().map(|cell| match *cell {
                Cell::Absent => Some(""),
                Cell::Text { start, end, .. } => Some(&unit.text[start as usize..end as usize]),
                Cell::Generated(_) => None,
            }));
            if let Some(column) = plan.inherited_child_column {
                cells[column] = match child_id {
                    Some(id) => Some(id),
                    None if !blank_reported => {
                        blank_reported = true;
                        Some("")
                    }
                    None => None,
                };
            }
            let table = &mut tables[plan.table];
            let source = RowSource {
                file: file.id,
                line: row.line,
            };
            push_row(table, files, source, &cells, sink);
            for (column, cell) in row_cells.iter().enumerate() {
                if let Cell::Generated(n) = *cell {
                    table.set_generated(column, i64::from(n));
                }
            }
        }
        unit.clear();
    }

    fn reference_date(&self) -> Option<NaiveDate> {
        let header = self.schema.table_index("Header")?;
        let table = &self.tables[header];
        let column = table.column_index("ReferenceDate")?;
        (!table.is_empty())
            .then(|| table.date(column, 0).ok())
            .flatten()
    }

    fn report_file(&mut self, check: Check, line: Option<u32>, message: String) {
        let location = Location {
            file: Some(self.file.clone()),
            row: line,
            ..Location::default()
        };
        self.sink.push(check.finding(message, location, None));
    }

    fn report_fault(&mut self, fault: Fault) {
        let name = self.file.name();
        let (check, position, problem) = match fault {
            Fault::NotCin(root) => {
                let message = format!(
                    "{name} is XML but its root element is <{root}>, not <Message>: it is not a CIN census file and was not loaded. Check that the right file was exported."
                );
                return self.report_file(Check::UnrecognisedFile, Some(1), message);
            }
            Fault::NotXml(position) => {
                let line = self.lines.at(position);
                let message = format!(
                    "{name} does not start with an XML element (text at line {line}): it is not a CIN census XML file and was not loaded. Check that the right file was exported."
                );
                return self.report_file(Check::UnrecognisedFile, Some(line), message);
            }
            Fault::Xml(error, position) => (Check::MalformedXml, position, error.to_string()),
            Fault::UndeclaredEntity(entity, position) => (
                Check::MalformedXml,
                position,
                format!(
                    "&{entity}; is not an XML entity (write characters as they are, or &amp; for &)"
                ),
            ),
            Fault::AfterRoot(position) => (
                Check::MalformedXml,
                position,
                "there is content after </Message>".to_string(),
            ),
            Fault::Truncated => {
                let open: Vec<&str> = self
                    .stack
                    .iter()
                    .filter_map(|f| match f {
                        Frame::Node { node, .. } => Some(node.name),
                        Frame::Field(_) => None,
                    })
                    .collect();
                (
                    Check::MalformedXml,
                    self.lines.len() as u64,
                    format!(
                        "the file ends inside <{}>: it looks cut short",
                        open.join("><")
                    ),
                )
            }
        };
        let line = self.lines.at(position);
        let dropped = match self.unit.line {
            Some(start) if self.in_child => {
                let id = self
                    .unit
                    .child_id(&self.plans)
                    .filter(|id| !id.is_empty())
                    .map(|id| format!(" (LAchildID {id})"))
                    .unwrap_or_default();
                format!(" The child starting at line {start}{id} was cut off and is not loaded.")
            }
            Some(start) => format!(" The header starting at line {start} is not loaded."),
            None => String::new(),
        };
        let loaded = match self.children {
            1 => "1 complete child before it is".to_string(),
            n => format!("{n} complete children before it are"),
        };
        let message = format!(
            "The XML is broken at line {line}: {problem}. {loaded} loaded; nothing after it is.{dropped} Export the file again and check that it was copied completely."
        );
        self.report_file(check, Some(line), message);
    }
}

/// Skips an element and everything in it.
fn skip(empty: bool, element: &BytesStart, reader: &mut Reader<&[u8]>) -> Result<(), Fault> {
    if !empty {
        reader
            .read_to_end(element.name())
            .map_err(|e| Fault::Xml(e, reader.error_position()))?;
    }
    Ok(())
}

fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || c == '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_names_each_generated_key_where_it_is_numbered() {
        fn walk(node: &'static Node, found: &mut Vec<(&'static str, Id)>) {
            if let Kind::Record {
                numbered: Some(id), ..
            } = node.kind
            {
                found.push((node.name, id));
            }
            node.children.iter().for_each(|c| walk(c, found));
        }
        let mut found = Vec::new();
        walk(&MESSAGE, &mut found);
        assert_eq!(
            found,
            [
                ("CINdetails", Id::CinDetails),
                ("Assessments", Id::Assessment),
                ("ChildProtectionPlans", Id::Cpp),
            ]
        );
        assert_eq!(Id::of_column("CPPID"), Some(Id::Cpp));
    }
}
