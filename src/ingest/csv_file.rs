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
    let mut header = ::csv::StringRecord::new();
    let headers: Vec<String> = loop {
        match reader.read_record(&mut header) {
            Ok(true) if header.iter().all(|h| h.trim().is_empty()) => continue,
            Ok(true) => break header.iter().map(str::to_string).collect(),
            Err(e) => {
                let message = format!("{} could not be read as CSV: {e}", origin.file.name());
                sink.push(Check::UnreadableFile.finding(
                    message,
                    Location::file(origin.file),
                    None,
                ));
                return None;
            }
            Ok(false) => {
                let message = format!("{} is empty: it has no header row.", origin.file.name());
                sink.push(Check::EmptyFile.finding(message, Location::file(origin.file), None));
                return None;
            }
        }
    };
    // Excel shows a quoted line break as part of one row, so a record's Excel row is its first line
    // minus the line breaks inside earlier records' fields. The reader's position after a record is
    // the line after its last (blank lines before a record are skipped, so the position before it
    // is not its first line).
    let ends_with_newline = text.ends_with('\n');
    let mut breaks_inside_fields = 0u64;
    let mut unreadable = Vec::new();
    let rows = std::iter::from_fn(|| {
        loop {
            let mut record = ::csv::StringRecord::new();
            match reader.read_record(&mut record) {
                Ok(false) => return None,
                Ok(true) => {
                    let end = reader.position();
                    let at_end_without_newline =
                        end.byte() as usize == text.len() && !ends_with_newline;
                    let last_line = if at_end_without_newline {
                        end.line()
                    } else {
                        end.line() - 1
                    };
                    let breaks = record
                        .iter()
                        .map(|f| f.bytes().filter(|&b| b == b'\n').count() as u64)
                        .sum::<u64>();
                    let excel_row = (last_line - breaks - breaks_inside_fields) as u32;
                    breaks_inside_fields += breaks;
                    return Some((excel_row, record));
                }
                Err(e) => unreadable.push(e.to_string()),
            }
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
