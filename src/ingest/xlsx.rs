//! Excel workbooks with one sheet per table. Each sheet is recognised by its headers like a CSV
//! file; cells Excel holds as dates or numbers are written back as the text the return expects.

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};

use crate::ingest::tabular::{self, Origin};
use crate::issue::{IssueSink, Location};
use crate::schema::{ColumnKind, DateFormat, ReturnSchema};
use crate::source::SourceFile;
use crate::structural::Check;
use crate::table::{Table, format_date};

/// Reads every sheet of a workbook; returns the tables found, in sheet order.
pub fn read(
    bytes: &[u8],
    file: &Arc<SourceFile>,
    files: &[Arc<SourceFile>],
    schema: &Arc<ReturnSchema>,
    sink: &mut IssueSink,
) -> Vec<Table> {
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        Err(e) => {
            let message = format!("{} is not a readable Excel workbook: {e}", file.name());
            sink.push(Check::UnreadableFile.finding(message, Location::file(file), None));
            return Vec::new();
        }
    };
    let date_format = schema
        .tables
        .iter()
        .flat_map(|t| &t.columns)
        .find(|c| c.kind == ColumnKind::Date)
        .and_then(|c| c.format)
        .unwrap_or(DateFormat::Iso);
    let mut tables = Vec::new();
    let mut sheets_with_data = 0;
    for sheet in workbook.sheet_names() {
        let range = match workbook.worksheet_range(&sheet) {
            Ok(range) => range,
            Err(e) => {
                let message = format!("Sheet {sheet:?} of {} could not be read: {e}", file.name());
                sink.push(Check::UnreadableFile.finding(message, Location::file(file), None));
                continue;
            }
        };
        let Some((first_row, first_column)) = range.start() else {
            continue;
        };
        // Rows are padded from column A so that positions give the sheet's own column letters.
        let mut rows = range.rows().enumerate().map(|(i, cells)| {
            let mut texts = vec![String::new(); first_column as usize];
            texts.extend(cells.iter().map(|cell| cell_text(cell, date_format)));
            (first_row + i as u32 + 1, texts)
        });
        let Some((_, headers)) = rows
            .by_ref()
            .find(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        else {
            continue;
        };
        sheets_with_data += 1;
        let origin = Origin {
            file,
            files,
            sheet: Some(&sheet),
        };
        tables.extend(tabular::read(&headers, rows, &origin, schema, sink));
    }
    if sheets_with_data == 0 {
        let message = format!("{} has no sheet with data.", file.name());
        sink.push(Check::EmptyFile.finding(message, Location::file(file), None));
    }
    tables
}

/// The text of a cell as the return expects it: dates in the return's format, whole numbers
/// without a decimal point.
pub(crate) fn cell_text(cell: &Data, date_format: DateFormat) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(dt) => format_date(dt.date(), date_format),
            None => dt.as_f64().to_string(),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}
