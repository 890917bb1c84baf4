//! A table's sheet: every row exactly as it was typed, with the file and row it came from, an
//! Issues column listing what is wrong with the row (`DECOM: invalid-date; 433`), and each cell at
//! fault filled in the colour of its worst issue. A row-level issue (a duplicate row) colours the
//! row number; a column-level one (a missing column) colours the header. Filtering the Issues
//! column on "non-blanks" gives the team its worklist.

use std::collections::{HashMap, HashSet};

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::workbook::{Limits, Styles, start_list, write_overflow_note, write_text};
use crate::issue::{Issue, Severity};
use crate::progress::Progress;
use crate::source::FileId;
use crate::table::{CellValue, Table};

/// Columns before the table's own: File, Row, Issues.
const LEADING: u16 = 3;

pub(super) fn write(
    sheet: &mut Worksheet,
    table: &Table,
    file_names: &HashMap<FileId, String>,
    sorted: &[&Issue],
    styles: &Styles,
    limits: Limits,
    progress: &Progress,
) -> Result<(), XlsxError> {
    let columns: Vec<&str> = table
        .schema()
        .input_columns()
        .map(|(_, c)| c.name.as_str())
        .collect();
    let positions: Vec<usize> = table.schema().input_columns().map(|(i, _)| i).collect();
    let issues = TableIssues::of(table, sorted);

    for (column, width) in [22.0, 8.0, 30.0].into_iter().enumerate() {
        sheet.set_column_width(column as u16, width)?;
    }
    for (offset, name) in columns.iter().enumerate() {
        let width = (name.chars().count() + 4).clamp(10, 30) as f64;
        sheet.set_column_width(LEADING + offset as u16, width)?;
    }
    let mut headers = vec!["File", "Row", "Issues"];
    headers.extend(&columns);
    let shown = limits.rows_shown(table.len());
    start_list(sheet, &headers, shown, LEADING, styles)?;
    for (offset, name) in columns.iter().enumerate() {
        if let Some(severity) = issues.header.get(name) {
            let format = styles.severity(*severity);
            sheet.write_string_with_format(0, LEADING + offset as u16, *name, format)?;
        }
    }

    for row in 0..shown {
        let source = table.source(row);
        let at = row as u32 + 1;
        let file = file_names.get(&source.file).map_or("", String::as_str);
        write_text(sheet, at, 0, file, None)?;
        let row_issues = issues.of_row(table, row);
        match worst(row_issues.iter().filter(|i| i.location.column.is_none())) {
            Some(severity) => {
                sheet.write_number_with_format(at, 1, source.line, styles.severity(severity))?
            }
            None => sheet.write_number(at, 1, source.line)?,
        };
        if let Some(severity) = worst(row_issues.iter()) {
            let format = styles.severity(severity);
            write_text(sheet, at, 2, &describe(&row_issues), Some(format))?;
        }
        for (offset, (&position, name)) in positions.iter().zip(&columns).enumerate() {
            let column = LEADING + offset as u16;
            let text = table.original_text(position, row);
            let at_fault = row_issues
                .iter()
                .filter(|i| i.location.column.as_deref() == Some(*name));
            match worst(at_fault) {
                // A blank mandatory cell is filled too: the colour is the only sign of it.
                Some(severity) if text.is_empty() => {
                    sheet.write_blank(at, column, styles.severity(severity))?;
                }
                Some(severity) => {
                    write_text(sheet, at, column, &text, Some(styles.severity(severity)))?
                }
                None if text.is_empty() => {}
                None => write_text(sheet, at, column, &text, None)?,
            }
        }
        progress.inc(1);
    }
    write_overflow_note(
        sheet,
        shown,
        table.len(),
        "rows",
        "The input files hold them all.",
        styles,
    )
}

fn worst<'a>(issues: impl Iterator<Item = &'a &'a Issue>) -> Option<Severity> {
    issues.map(|i| i.severity).min()
}

/// `DECOM: invalid-date; RNE: invalid-code; duplicate-row`, in report order, each once.
fn describe(issues: &[&Issue]) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(issues.len());
    for issue in issues {
        let part = match issue.location.column.as_deref() {
            Some(column) => format!("{column}: {}", issue.rule_code),
            None => issue.rule_code.to_string(),
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts.join("; ")
}

/// The issues that point into one table, found by the file and row each row came from.
struct TableIssues<'a> {
    by_row: HashMap<(FileId, u32), Vec<&'a Issue>>,
    /// The worst severity of the column-level issues (a missing column) by column name.
    header: HashMap<&'a str, Severity>,
    child_column: Option<usize>,
}

impl<'a> TableIssues<'a> {
    fn of(table: &Table, sorted: &[&'a Issue]) -> Self {
        let mut by_row: HashMap<(FileId, u32), Vec<&'a Issue>> = HashMap::new();
        let mut column_level = Vec::new();
        for issue in sorted.iter().copied() {
            let location = &issue.location;
            if location.table.as_deref() != Some(table.name()) {
                continue;
            }
            match (&location.file, location.row, location.column.as_deref()) {
                (Some(file), Some(line), _) => {
                    by_row.entry((file.id, line)).or_default().push(issue)
                }
                (_, None, Some(column)) => column_level.push((issue, column)),
                _ => {}
            }
        }
        let mut header = HashMap::new();
        if !column_level.is_empty() {
            // Another table of the same name (last year's) has files of its own.
            let files: HashSet<FileId> = (0..table.len()).map(|r| table.source(r).file).collect();
            for (issue, column) in column_level {
                if issue
                    .location
                    .file
                    .as_ref()
                    .is_none_or(|f| files.contains(&f.id))
                {
                    let severity = header.entry(column).or_insert(issue.severity);
                    *severity = (*severity).min(issue.severity);
                }
            }
        }
        TableIssues {
            by_row,
            header,
            child_column: table.column_index(&table.return_schema().child_column),
        }
    }

    fn of_row(&self, table: &Table, row: usize) -> Vec<&'a Issue> {
        let source = table.source(row);
        let Some(candidates) = self.by_row.get(&(source.file, source.line)) else {
            return Vec::new();
        };
        // XML rows share a line when an export writes several elements on one; the child then
        // tells apart the issues of each.
        let child = self.child_column.and_then(|c| match table.cell(c, row) {
            CellValue::Text(id) => Some(id),
            _ => None,
        });
        candidates
            .iter()
            .copied()
            .filter(|issue| match (issue.location.child_id.as_deref(), child) {
                (Some(theirs), Some(ours)) => theirs == ours,
                _ => true,
            })
            .collect()
    }
}
