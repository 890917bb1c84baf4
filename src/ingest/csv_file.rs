//! CSV files, as case systems export them: any encoding [`decode`](super::decode) knows, quoted
//! fields that may hold line breaks, blank lines, rows longer or shorter than the header.

use std::sync::Arc;

use crate::ingest::tabular::{self, Origin};
use crate::issue::{IssueSink, Location};
use crate::schema::ReturnSchema;
use crate::structural::Check;
use crate::table::Table;

/// Reads one decoded CSV file into the table its headers name.
pub fn read(
    text: &str,
    origin: &Origin<'_>,
    schema: &Arc<ReturnSchema>,
    sink: &mut IssueSink,
) -> Option<Table> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = loop {
        match records.next() {
            Some(Ok(record)) if record.iter().all(|h| h.trim().is_empty()) => continue,
            Some(Ok(record)) => break record.iter().map(str::to_string).collect(),
            Some(Err(e)) => {
                let message = format!("{} could not be read as CSV: {e}", origin.file.name());
                sink.push(Check::UnreadableFile.finding(
                    message,
                    Location::file(origin.file),
                    None,
                ));
                return None;
            }
            None => {
                let message = format!("{} is empty: it has no header row.", origin.file.name());
                sink.push(Check::EmptyFile.finding(message, Location::file(origin.file), None));
                return None;
            }
        }
    };
    // Excel shows a quoted line break as part of one row, so a record's Excel row is its first line
    // minus the line breaks inside earlier records' fields.
    let mut breaks_inside_fields = 0u64;
    let mut unreadable = Vec::new();
    let rows = records.filter_map(|record| match record {
        Ok(record) => {
            let line = record.position().map_or(0, |p| p.line());
            let excel_row = (line - breaks_inside_fields) as u32;
            breaks_inside_fields += record
                .iter()
                .map(|f| f.bytes().filter(|&b| b == b'\n').count() as u64)
                .sum::<u64>();
            Some((excel_row, record))
        }
        Err(e) => {
            unreadable.push(e.to_string());
            None
        }
    });
    let table = tabular::read(&headers, rows, origin, schema, sink);
    for error in unreadable {
        let message = format!(
            "Part of {} could not be read as CSV: {error}",
            origin.file.name()
        );
        sink.push(Check::UnreadableFile.finding(message, Location::file(origin.file), None));
    }
    table
}
