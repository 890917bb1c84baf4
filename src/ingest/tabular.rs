//! Table-shaped inputs (CSV files, workbook sheets): a header row, then data rows. The headers say
//! which table the file holds; every cell is typed by the schema; layout problems (unknown,
//! missing and repeated columns, ragged rows) are reported once and the file is still read.

use std::sync::Arc;

use crate::ingest::push_row;
use crate::ingest::recognise::recognise;
use crate::issue::{IssueSink, Location, column_letter};
use crate::schema::ReturnSchema;
use crate::source::SourceFile;
use crate::structural::Check;
use crate::table::{RowSource, Table};

/// One data row of a table-shaped input.
pub trait TextRow {
    /// Number of cells in the row.
    fn width(&self) -> usize;
    fn get(&self, position: usize) -> Option<&str>;
}

impl TextRow for csv::StringRecord {
    fn width(&self) -> usize {
        csv::StringRecord::len(self)
    }
    fn get(&self, position: usize) -> Option<&str> {
        csv::StringRecord::get(self, position)
    }
}

impl TextRow for Vec<String> {
    fn width(&self) -> usize {
        Vec::len(self)
    }
    fn get(&self, position: usize) -> Option<&str> {
        self.as_slice().get(position).map(String::as_str)
    }
}

/// What a file or sheet is called, for messages and table-name hints.
pub struct Origin<'a> {
    pub file: &'a Arc<SourceFile>,
    pub files: &'a [Arc<SourceFile>],
    /// The sheet, for workbooks.
    pub sheet: Option<&'a str>,
}

impl Origin<'_> {
    fn describe(&self) -> String {
        match self.sheet {
            Some(sheet) => format!("sheet {sheet:?} of {}", self.file.name()),
            None => self.file.name(),
        }
    }

    fn location(&self) -> Location {
        Location {
            file: Some(self.file.clone()),
            ..Location::default()
        }
    }
}

/// Reads one table-shaped input. `rows` yields (row number as Excel shows it, cells). Returns the
/// table it held, or `None` (with a finding) when its headers match no table.
pub fn read<R: TextRow>(
    headers: &[String],
    rows: impl Iterator<Item = (u32, R)>,
    origin: &Origin<'_>,
    schema: &Arc<ReturnSchema>,
    sink: &mut IssueSink,
) -> Option<Table> {
    let hint = origin
        .sheet
        .map(str::to_string)
        .unwrap_or_else(|| origin.file.name());
    let Some(recognition) = recognise(headers, schema, &hint) else {
        sink.push(Check::UnrecognisedFile.finding(
            unrecognised_message(headers, origin, schema),
            origin.location(),
            None,
        ));
        return None;
    };
    let mut table = Table::new(schema.clone(), recognition.table);
    let file_id = origin.file.id;
    table.set_layout(file_id, recognition.positions.clone());
    let table_name: Arc<str> = table.name().into();
    let at_column = |column: &str, position: Option<u16>| Location {
        table: Some(table_name.clone()),
        column: Some(column.into()),
        column_letter: position.map(|p| column_letter(usize::from(p)).into()),
        ..origin.location()
    };
    for (position, header) in &recognition.unknown {
        let message = format!(
            "Column {header:?} is not in the {} table for {}; it was ignored.",
            table_name,
            schema.collection_year.label()
        );
        sink.push(Check::UnknownColumn.finding(message, at_column(header, Some(*position)), None));
    }
    for (position, header, column) in &recognition.duplicates {
        let name = &table.schema().columns[*column].name;
        let first = recognition.positions[*column]
            .map(|p| column_letter(usize::from(p)))
            .unwrap_or_default();
        let message = format!(
            "Column {header:?} repeats column {name} (column {first}); the first was used."
        );
        sink.push(Check::DuplicateColumn.finding(
            message,
            at_column(header, Some(*position)),
            None,
        ));
    }
    for &column in &recognition.missing {
        let name = table.schema().columns[column].name.clone();
        let message = format!(
            "{} has no {name} column; {name} is treated as blank for every row of {}.",
            origin.describe(),
            table_name
        );
        sink.push(Check::MissingColumn.finding(message, at_column(&name, None), None));
    }

    for (line, row) in rows {
        if (0..row.width()).all(|p| row.get(p).is_none_or(|v| v.trim().is_empty())) {
            continue;
        }
        if row.width() != headers.len() {
            let message = format!(
                "Row has {} cells but the header has {}.",
                row.width(),
                headers.len()
            );
            let location = Location {
                table: Some(table_name.clone()),
                row: Some(line),
                ..origin.location()
            };
            sink.push(Check::RaggedRow.finding(message, location, None));
        }
        let cells: Vec<Option<&str>> = recognition
            .positions
            .iter()
            .map(|p| p.map(|p| row.get(usize::from(p)).unwrap_or("")))
            .collect();
        push_row(
            &mut table,
            origin.files,
            RowSource {
                file: file_id,
                line,
            },
            &cells,
            sink,
        );
    }
    Some(table)
}

fn unrecognised_message(headers: &[String], origin: &Origin<'_>, schema: &ReturnSchema) -> String {
    let shown: Vec<&str> = headers.iter().take(12).map(String::as_str).collect();
    let tables: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
    format!(
        "The headers of {} ({}) match no {} {} table ({}); the file was not loaded. Check it is an export of this return.",
        origin.describe(),
        shown.join(", "),
        schema.return_kind,
        schema.collection_year.label(),
        tables.join(", ")
    )
}
