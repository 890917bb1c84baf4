//! The workbook: a Summary sheet, the Issues (the same list as `issues.csv`), the children with
//! issues (By child), then one sheet per table with every row as it was typed and the cells at
//! fault filled in the colour of their worst issue.
//!
//! Every value goes in as a string or a number, never as a formula, so text typed as `=…` in the
//! case system stays text. Big sheets use rust_xlsxwriter's constant-memory mode: each row goes to
//! an unlinked temporary file as soon as it is written, so a 400,000-row table costs about 3 MB of
//! memory instead of 1.3 GB (`benches/report.rs`). Rows are therefore written strictly top to
//! bottom.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::table_sheet;
use super::tally::{self, ChildLine};
use super::{Field, ISSUE_COLUMNS, Summary, sorted_issues};
use crate::fsutil;
use crate::issue::{Issue, Severity};
use crate::progress::Progress;
use crate::source::{Role, SourceFormat};
use crate::table::Table;

/// Rows in an Excel sheet, header included.
pub(super) const EXCEL_ROWS: u32 = 1_048_576;
/// The most text one Excel cell holds, in UTF-16 units.
const EXCEL_CELL_UNITS: usize = 32_767;
/// Excel's longest sheet name, in characters.
const SHEET_NAME_CHARS: usize = 31;

const SUMMARY: &str = "Summary";
const ISSUES: &str = "Issues";
const BY_CHILD: &str = "By child";

/// Writes the workbook to `path`, readable by its owner only and replaced atomically. `tables` get
/// a sheet each unless empty, named after the table; `summary.files` names the file each of their
/// rows came from. Shows a progress bar on a terminal.
pub fn write_workbook(
    path: &Path,
    summary: &Summary,
    issues: &[Issue],
    tables: &[&Table],
) -> io::Result<()> {
    let sorted = sorted_issues(issues);
    let children = tally::by_child(&sorted);
    let tables: Vec<&Table> = tables.iter().copied().filter(|t| !t.is_empty()).collect();
    let rows = sorted.len() + children.len() + tables.iter().map(|t| t.len()).sum::<usize>();
    let progress = Progress::bar(rows as u64, "Writing the workbook");

    let mut workbook = Workbook::new();
    // Streamed rows are children's data: they go beside the report, in the run's private
    // directory, rather than to a shared or memory-backed /tmp.
    workbook
        .set_tempdir(fsutil::parent_dir(path))
        .map_err(into_io)?;
    let styles = Styles::new();
    let limits = Limits::EXCEL;
    (|| -> Result<(), XlsxError> {
        write_summary(workbook.add_worksheet(), summary, &sorted, &styles)?;
        write_issues(
            workbook.add_worksheet_with_constant_memory()?,
            &sorted,
            &styles,
            limits,
            &progress,
        )?;
        write_children(
            workbook.add_worksheet_with_constant_memory()?,
            &children,
            &styles,
            limits,
            &progress,
        )?;
        let mut names = SheetNames::new(&[SUMMARY, ISSUES, BY_CHILD]);
        let file_names: HashMap<_, _> = summary.files.iter().map(|f| (f.id, f.name())).collect();
        for table in tables {
            let sheet = workbook.add_worksheet_with_constant_memory()?;
            sheet.set_name(names.claim(table.name()))?;
            table_sheet::write(
                sheet,
                table,
                &file_names,
                &sorted,
                &styles,
                limits,
                &progress,
            )?;
        }
        Ok(())
    })()
    .map_err(into_io)?;

    fsutil::write_atomic_with(path, |file| {
        let mut out = BufWriter::new(file);
        workbook.save_to_writer(&mut out).map_err(into_io)?;
        out.flush()
    })?;
    progress.finish();
    Ok(())
}

fn into_io(error: XlsxError) -> io::Error {
    match error {
        XlsxError::IoError(error) => error,
        other => io::Error::other(other),
    }
}

/// Sheet size limits; Excel's, except in tests that check what happens at the limit.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Rows in a sheet, header included.
    pub rows: u32,
}

impl Limits {
    pub const EXCEL: Limits = Limits { rows: EXCEL_ROWS };

    /// How many of `rows` data rows a sheet shows: all that fit under the header, or one fewer
    /// when they do not all fit, to leave the last row for [`write_overflow_note`].
    pub fn rows_shown(self, rows: usize) -> usize {
        let room = self.rows as usize - 1;
        if rows <= room { rows } else { room - 1 }
    }
}

/// Says, in the row after the last one shown, how many rows did not fit and where they are.
pub(super) fn write_overflow_note(
    sheet: &mut Worksheet,
    shown: usize,
    total: usize,
    what: &str,
    where_all: &str,
    styles: &Styles,
) -> Result<(), XlsxError> {
    if shown < total {
        let note = format!(
            "{} more {what} are not shown here: an Excel sheet holds at most {} rows. {where_all}",
            total - shown,
            EXCEL_ROWS
        );
        sheet.write_string_with_format(shown as u32 + 1, 0, note, &styles.note)?;
    }
    Ok(())
}

pub(super) struct Styles {
    pub header: Format,
    title: Format,
    pub note: Format,
    error: Format,
    query: Format,
    warning: Format,
}

impl Styles {
    fn new() -> Self {
        // Excel's own Bad / Neutral / Note-blue cell styles, which information teams already
        // read as "wrong", "check" and "for information".
        let fill = |background: u32, font: u32| {
            Format::new()
                .set_background_color(Color::RGB(background))
                .set_font_color(Color::RGB(font))
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new().set_italic(),
            error: fill(0xFFC7CE, 0x9C0006),
            query: fill(0xFFEB9C, 0x9C5700),
            warning: fill(0xDDEBF7, 0x1F4E78),
        }
    }

    pub fn severity(&self, severity: Severity) -> &Format {
        match severity {
            Severity::Error => &self.error,
            Severity::Query => &self.query,
            Severity::Warning => &self.warning,
        }
    }
}

/// Writes text as a string cell (never a formula), cut to what a cell holds.
pub(super) fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let text = fit_cell(text);
    match format {
        Some(format) => sheet.write_string_with_format(row, column, text, format)?,
        None => sheet.write_string(row, column, text)?,
    };
    Ok(())
}

fn fit_cell(text: &str) -> Cow<'_, str> {
    const CUT: &str = " … [cut: an Excel cell holds at most 32,767 characters]";
    // UTF-8 is never shorter than UTF-16, so most text needs no counting.
    if text.len() <= EXCEL_CELL_UNITS || text.encode_utf16().count() <= EXCEL_CELL_UNITS {
        return Cow::Borrowed(text);
    }
    let budget = EXCEL_CELL_UNITS - CUT.encode_utf16().count();
    let mut units = 0;
    let end = text
        .char_indices()
        .find(|&(_, c)| {
            units += c.len_utf16();
            units > budget
        })
        .map_or(text.len(), |(i, _)| i);
    Cow::Owned(format!("{}{CUT}", &text[..end]))
}

fn write_header(
    sheet: &mut Worksheet,
    row: u32,
    headers: &[&str],
    styles: &Styles,
) -> Result<(), XlsxError> {
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(row, column as u16, *header, &styles.header)?;
    }
    Ok(())
}

/// A header row frozen at the top (with the first `frozen_columns` columns) and a filter on every
/// column, over `rows` data rows.
pub(super) fn start_list(
    sheet: &mut Worksheet,
    headers: &[&str],
    rows: usize,
    frozen_columns: u16,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, frozen_columns)?;
    sheet.autofilter(0, 0, rows as u32, headers.len() as u16 - 1)?;
    write_header(sheet, 0, headers, styles)
}

fn write_summary(
    sheet: &mut Worksheet,
    summary: &Summary,
    sorted: &[&Issue],
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(SUMMARY)?;
    for (column, width) in [30.0, 14.0, 12.0, 12.0, 80.0, 16.0].into_iter().enumerate() {
        sheet.set_column_width(column as u16, width)?;
    }
    sheet.write_string_with_format(0, 0, "Validation summary", &styles.title)?;
    let mut row = 2;
    for (key, value) in &summary.facts {
        write_text(sheet, row, 0, key, Some(&styles.header))?;
        write_text(sheet, row, 1, value, None)?;
        row += 1;
    }

    row += 1;
    write_header(
        sheet,
        row,
        &["Severity", "Issues", "Findings", "Children"],
        styles,
    )?;
    for (severity, counts) in tally::by_severity(sorted) {
        row += 1;
        let format = styles.severity(severity);
        sheet.write_string_with_format(row, 0, severity.as_str(), format)?;
        sheet.write_number(row, 1, counts.issues as f64)?;
        sheet.write_number(row, 2, counts.findings as f64)?;
        sheet.write_number(row, 3, counts.children as f64)?;
    }

    row += 2;
    write_header(
        sheet,
        row,
        &["Rule", "Severity", "Findings", "Children", "Message"],
        styles,
    )?;
    for line in tally::by_rule(sorted) {
        row += 1;
        write_text(sheet, row, 0, line.code, None)?;
        let format = styles.severity(line.severity);
        sheet.write_string_with_format(row, 1, line.severity.as_str(), format)?;
        sheet.write_number(row, 2, line.counts.findings as f64)?;
        sheet.write_number(row, 3, line.counts.children as f64)?;
        write_text(sheet, row, 4, line.message, None)?;
    }

    row += 2;
    write_header(
        sheet,
        row,
        &[
            "Input file",
            "Format",
            "Year",
            "Size (bytes)",
            "SHA-256",
            "Encoding",
        ],
        styles,
    )?;
    for file in &summary.files {
        row += 1;
        write_text(sheet, row, 0, &file.path.to_string_lossy(), None)?;
        let format = match file.format {
            SourceFormat::Csv => "CSV",
            SourceFormat::Xlsx => "XLSX",
            SourceFormat::Xml => "XML",
            SourceFormat::Parquet => "Parquet",
        };
        sheet.write_string(row, 1, format)?;
        let year = match file.role {
            Role::ThisYear => "this year",
            Role::PreviousYear => "previous year",
        };
        sheet.write_string(row, 2, year)?;
        sheet.write_number(row, 3, file.size as f64)?;
        sheet.write_string(row, 4, &file.sha256)?;
        write_text(sheet, row, 5, file.encoding.as_deref().unwrap_or(""), None)?;
    }
    Ok(())
}

fn write_issues(
    sheet: &mut Worksheet,
    sorted: &[&Issue],
    styles: &Styles,
    limits: Limits,
    progress: &Progress,
) -> Result<(), XlsxError> {
    sheet.set_name(ISSUES)?;
    for (column, spec) in ISSUE_COLUMNS.iter().enumerate() {
        sheet.set_column_width(column as u16, spec.width)?;
    }
    let headers: Vec<&str> = ISSUE_COLUMNS.iter().map(|c| c.header).collect();
    let shown = limits.rows_shown(sorted.len());
    start_list(sheet, &headers, shown, 0, styles)?;
    for (index, issue) in sorted.iter().take(shown).enumerate() {
        let row = index as u32 + 1;
        for (column, spec) in ISSUE_COLUMNS.iter().enumerate() {
            let column = column as u16;
            match spec.value(issue) {
                Field::Text(text) if spec.name == "severity" => write_text(
                    sheet,
                    row,
                    column,
                    &text,
                    Some(styles.severity(issue.severity)),
                )?,
                Field::Text(text) => write_text(sheet, row, column, &text, None)?,
                Field::Number(n) => {
                    sheet.write_number(row, column, n)?;
                }
                Field::Empty => {}
            }
        }
        progress.inc(1);
    }
    write_overflow_note(
        sheet,
        shown,
        sorted.len(),
        "issues",
        "issues.csv lists them all.",
        styles,
    )
}

fn write_children(
    sheet: &mut Worksheet,
    children: &[ChildLine<'_>],
    styles: &Styles,
    limits: Limits,
    progress: &Progress,
) -> Result<(), XlsxError> {
    sheet.set_name(BY_CHILD)?;
    for (column, width) in [16.0, 9.0, 9.0, 10.0, 60.0].into_iter().enumerate() {
        sheet.set_column_width(column as u16, width)?;
    }
    let shown = limits.rows_shown(children.len());
    start_list(
        sheet,
        &["Child", "Errors", "Queries", "Warnings", "Rules"],
        shown,
        0,
        styles,
    )?;
    for (index, child) in children.iter().take(shown).enumerate() {
        let row = index as u32 + 1;
        write_text(sheet, row, 0, child.child_id, None)?;
        for (offset, count) in child.findings.iter().enumerate() {
            sheet.write_number(row, 1 + offset as u16, *count as f64)?;
        }
        write_text(sheet, row, 4, &child.rules.join(", "), None)?;
        progress.inc(1);
    }
    write_overflow_note(
        sheet,
        shown,
        children.len(),
        "children",
        "The Issues sheet and issues.csv name them.",
        styles,
    )
}

/// Sheet names as Excel requires them: unique regardless of case, at most 31 characters, none of
/// `[ ] : * ? / \`, not starting or ending with `'`.
struct SheetNames {
    taken: Vec<String>,
}

impl SheetNames {
    fn new(reserved: &[&str]) -> Self {
        SheetNames {
            taken: reserved.iter().map(|n| n.to_lowercase()).collect(),
        }
    }

    fn claim(&mut self, wanted: &str) -> String {
        let cleaned: String = wanted
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
            .collect();
        let cleaned = cleaned.trim_matches('\'');
        let base = if cleaned.is_empty() { "Table" } else { cleaned };
        (1..)
            .map(|n| {
                let suffix = if n == 1 {
                    String::new()
                } else {
                    format!(" ({n})")
                };
                let room = SHEET_NAME_CHARS - suffix.chars().count();
                let stem: String = base.chars().take(room).collect();
                format!("{}{suffix}", stem.trim_end_matches('\''))
            })
            .find(|name| !self.taken.contains(&name.to_lowercase()))
            .inspect(|name| self.taken.push(name.to_lowercase()))
            .expect("some numbered name is free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::{Finding, IssueSink, Location};
    use crate::schema::ReturnKind;
    use crate::year::CollectionYear;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn issues_that_do_not_fit_are_counted_in_a_note() {
        let year = CollectionYear::new(2026).unwrap();
        let mut sink = IssueSink::new("run".into(), ReturnKind::Cin, year);
        for code in ["101", "102", "103", "104", "105"] {
            sink.push(Finding {
                rule_code: code.into(),
                severity: Severity::Error,
                message: "m".into(),
                location: Location::default(),
                flagged_value: None,
            });
        }
        let issues = sink.into_issues();
        let mut workbook = Workbook::new();
        write_issues(
            workbook.add_worksheet(),
            &sorted_issues(&issues),
            &Styles::new(),
            Limits { rows: 4 },
            &Progress::hidden(),
        )
        .unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range(ISSUES).unwrap();
        assert_eq!(sheet.height(), 4);
        let rules: Vec<_> = (1..3).map(|r| sheet.get_value((r, 5)).cloned()).collect();
        assert_eq!(
            rules,
            vec![
                Some(Data::String("101".into())),
                Some(Data::String("102".into()))
            ]
        );
        let Some(Data::String(note)) = sheet.get_value((3, 0)) else {
            panic!("no note in the last row");
        };
        assert!(
            note.starts_with("3 more issues are not shown here")
                && note.ends_with("issues.csv lists them all."),
            "{note}"
        );
    }

    #[test]
    fn sheet_names_are_cut_cleaned_and_unique() {
        let mut names = SheetNames::new(&[SUMMARY, ISSUES, BY_CHILD]);
        assert_eq!(names.claim("Episodes"), "Episodes");
        assert_eq!(names.claim("episodes"), "episodes (2)");
        assert_eq!(names.claim("issues"), "issues (2)");
        assert_eq!(
            names.claim("ChildProtectionPlansAndReviewsLong"),
            "ChildProtectionPlansAndReviewsL"
        );
        assert_eq!(
            names.claim("ChildProtectionPlansAndReviewsLonger"),
            "ChildProtectionPlansAndRevi (2)"
        );
        assert_eq!(names.claim("a/b:c"), "a_b_c");
        assert_eq!(names.claim("''"), "Table");
        for name in &names.taken {
            assert!(name.chars().count() <= SHEET_NAME_CHARS, "{name}");
        }
    }

    #[test]
    fn long_text_is_cut_to_what_a_cell_holds() {
        assert_eq!(fit_cell("short"), "short");
        let exact = "x".repeat(EXCEL_CELL_UNITS);
        assert!(matches!(fit_cell(&exact), Cow::Borrowed(_)));
        // '€' is 3 bytes in UTF-8 but one UTF-16 unit: it fits although its bytes do not.
        let euros = "€".repeat(EXCEL_CELL_UNITS);
        assert!(matches!(fit_cell(&euros), Cow::Borrowed(_)));
        // '😀' is two UTF-16 units.
        let long = "😀".repeat(EXCEL_CELL_UNITS);
        let cut = fit_cell(&long);
        assert!(cut.encode_utf16().count() <= EXCEL_CELL_UNITS);
        assert!(cut.starts_with("😀😀"));
        assert!(cut.ends_with("at most 32,767 characters]"));
    }

    #[test]
    fn rows_that_do_not_fit_leave_a_row_for_the_note() {
        let limits = Limits { rows: 5 };
        assert_eq!(limits.rows_shown(3), 3);
        assert_eq!(
            limits.rows_shown(4),
            4,
            "header plus four rows fill the sheet"
        );
        assert_eq!(limits.rows_shown(5), 3, "the fifth row becomes the note");
    }
}
