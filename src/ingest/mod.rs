//! Ingest: input files to typed tables. Each reader (CSV, XLSX, 903 XML, CIN XML) turns its format
//! into rows of text per schema column; [`push_row`] types them and reports every cell that fails,
//! so no reader stops at the first problem.

pub mod cin_xml;

use std::sync::Arc;

use crate::issue::IssueSink;
use crate::source::SourceFile;
use crate::structural::{Check, cell_location, cell_message};
use crate::table::{RowSource, Table};

/// Appends a row of text cells (`cells[c]` for schema column `c`, `None` where the input lacks the
/// column) to `table` and records a structural finding for every cell that fails its type, format,
/// code list or mandatory check.
pub fn push_row(
    table: &mut Table,
    files: &[Arc<SourceFile>],
    source: RowSource,
    cells: &[Option<&str>],
    sink: &mut IssueSink,
) {
    let mut problems = Vec::new();
    table.push_row(source, cells, |column, problem| {
        problems.push((column, problem))
    });
    let row = table.len() - 1;
    for (column, problem) in problems {
        let check = Check::of_problem(problem);
        let location = cell_location(table, files, column, row);
        let value = table.original_text(column, row).into_owned();
        let flagged = if value.is_empty() { None } else { Some(value) };
        sink.push(check.finding(cell_message(table, column, problem), location, flagged));
    }
}

pub mod csv_file;
pub mod dataset;
pub mod decode;
pub mod fetch;
pub mod recognise;
pub mod sources;
pub mod tabular;
pub mod xlsx;
pub mod xml;
pub mod xml903;
