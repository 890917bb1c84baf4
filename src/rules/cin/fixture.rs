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
