//! Test fixtures for CIN rules: a census written as XML, read through the real reader, and a helper
//! that runs one rule and lists what it flagged as (table, XML line, column).

use std::sync::Arc;

use crate::ingest::cin_xml;
use crate::ingest::dataset::Dataset;
use crate::ingest::xml::XmlText;
use crate::issue::IssueSink;
use crate::rules::cin::{Cin, RuleCin};
use crate::rules::{Flag, Flags};
use crate::schema::{ReturnKind, SchemaSet};
use crate::source::{Role, SourceFile, SourceFormat};
use crate::year::CollectionYear;

/// A census of the given year from the XML of its `<Children>`; the header (ReferenceDate 31 March
/// of the year) is added, so line 1 of `children` is line 11 of the file.
pub fn census(year: u16, children: &str) -> Dataset {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header>\n<CollectionDetails>\n<Collection>CIN</Collection>\n<Year>{year}</Year>\n<ReferenceDate>{year}-03-31</ReferenceDate>\n</CollectionDetails>\n<Source><SourceLevel>L</SourceLevel><LEA>383</LEA></Source>\n</Header>\n<Children>\n{children}\n</Children>\n</Message>\n"
    );
    from_xml(year, &xml)
}

/// A census from a whole XML document.
pub fn from_xml(year: u16, xml: &str) -> Dataset {
    let year = CollectionYear::new(year).unwrap();
    let schema = SchemaSet::embedded()
        .unwrap()
        .get(ReturnKind::Cin, year)
        .unwrap();
    let file = Arc::new(SourceFile {
        id: 0,
        path: "census.xml".into(),
        format: SourceFormat::Xml,
        role: Role::ThisYear,
        size: xml.len() as u64,
        sha256: String::new(),
        encoding: None,
    });
    let files = vec![file.clone()];
    let mut sink = IssueSink::new("test".into(), ReturnKind::Cin, year);
    let read = cin_xml::read(
        &XmlText::decode(xml.as_bytes()),
        &file,
        &files,
        &schema,
        &mut sink,
    );
    Dataset {
        return_kind: ReturnKind::Cin,
        year,
        role: Role::ThisYear,
        schema,
        files,
        tables: read.tables,
    }
}

/// What a rule flagged: per finding, (table, line, column) per cell; ("child", 0, id) for a child;
/// ("return", 0, "") for the whole census.
pub fn flagged(rule: &RuleCin, dataset: &Dataset) -> Vec<Vec<(String, u32, String)>> {
    let data = Cin::new(dataset);
    let mut flags = Flags::default();
    (rule.check)(&data, &mut flags);
    flags
        .into_flags()
        .into_iter()
        .map(|flag| match flag {
            Flag::Cells(cells) => cells
                .into_iter()
                .map(|cell| {
                    let table = &dataset.tables[cell.row.table];
                    (
                        table.name().to_string(),
                        table.source(cell.row.row).line,
                        cell.column.unwrap_or("").to_string(),
                    )
                })
                .collect(),
            Flag::Child(id) => vec![("child".to_string(), 0, id)],
            Flag::Return => vec![("return".to_string(), 0, String::new())],
        })
        .collect()
}

/// Shorthand for one flagged cell.
pub fn cell(table: &str, line: u32, column: &str) -> Vec<(String, u32, String)> {
    vec![(table.to_string(), line, column.to_string())]
}

/// Shorthand for one finding of several linked cells.
pub fn linked(cells: &[(&str, u32, &str)]) -> Vec<(String, u32, String)> {
    cells
        .iter()
        .map(|(table, line, column)| (table.to_string(), *line, column.to_string()))
        .collect()
}

/// Shorthand for one finding of several linked cells of one row.
pub fn row_cells(table: &str, line: u32, columns: &[&str]) -> Vec<(String, u32, String)> {
    columns
        .iter()
        .map(|column| (table.to_string(), line, column.to_string()))
        .collect()
}

/// The file line, in a [`census`] of `children`, of the first line of `children` that contains
/// `needle`.
pub fn line(children: &str, needle: &str) -> u32 {
    nth_line(children, needle, 0)
}

/// The file line of the `n`th (from 0) line of `children` that contains `needle`.
pub fn nth_line(children: &str, needle: &str, n: usize) -> u32 {
    let (index, _) = children
        .lines()
        .enumerate()
        .filter(|(_, text)| text.contains(needle))
        .nth(n)
        .unwrap_or_else(|| panic!("no line {n} with {needle:?} in the fixture"));
    // The header takes lines 1-11 (see `census`).
    12 + index as u32
}

/// A `<Child>` with `identifiers` after its LAchildID, ethnicity WBRI, and then `rest` (its
/// CINdetails blocks), each given block starting on its own line.
pub fn child(id: &str, identifiers: &str, rest: &str) -> String {
    disabled_child(id, identifiers, &[], rest)
}

/// Children C1, C2, … in turn, each with its `identifiers` and nothing else.
pub fn children(identifiers: &[&str]) -> String {
    identifiers
        .iter()
        .enumerate()
        .map(|(i, identifiers)| child(&format!("C{}", i + 1), identifiers, ""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A child `id` with no identifiers but its id and one [`episode`] of `fields` and `modules`.
pub fn one_episode(id: &str, fields: &str, modules: &str) -> String {
    child(id, "", &episode(fields, modules))
}

/// As [`child`], with a `<Disabilities>` block listing `disabilities`, one per line.
pub fn disabled_child(id: &str, identifiers: &str, disabilities: &[&str], rest: &str) -> String {
    let disabilities = if disabilities.is_empty() {
        String::new()
    } else {
        let codes: Vec<String> = disabilities
            .iter()
            .map(|code| format!("<Disability>{code}</Disability>"))
            .collect();
        format!("\n<Disabilities>\n{}\n</Disabilities>", codes.join("\n"))
    };
    format!(
        "<Child>\n<ChildIdentifiers><LAchildID>{id}</LAchildID>{identifiers}</ChildIdentifiers>\n<ChildCharacteristics><Ethnicity>WBRI</Ethnicity>{disabilities}</ChildCharacteristics>\n{rest}\n</Child>"
    )
}

/// A `<CINdetails>` block: its own `fields` on the first line, then `modules` (assessments, plans,
/// enquiries), each written by the test on its own line.
pub fn episode(fields: &str, modules: &str) -> String {
    format!("<CINdetails>{fields}\n{modules}\n</CINdetails>")
}
