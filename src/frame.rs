//! Every use of polars. Its Rust API changes between minor releases, so polars is pinned exactly
//! and imported here only: an upgrade touches this file and nothing else.
//!
//! Converts typed tables and issues to data frames, writes and reads Parquet. The figures' polars
//! code is in submodules: reading tables column by column (`columns`), `figures.parquet`
//! (`figures`), and SQL for `csc-returns query` (`sql`).

mod columns;
mod figures;
mod sql;

pub use columns::ColumnSet;
pub use figures::{FIGURE_COLUMNS, figure_rows, figures_frame};
pub use sql::{SqlSource, read_csv, sql, text_cells, write_csv};

use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use crate::fsutil;
use crate::issue::{Issue, Severity};
use crate::issue_diff::{DiffEntry, IssueDiff, Status};
use crate::report::{self, Field};
use crate::source::SourceFile;
use crate::table::{CellValue, Table};

pub use polars::prelude::DataFrame;

/// Days from 0001-01-01 (chrono's `num_days_from_ce` is 1 on that day) to 1970-01-01, polars' epoch.
const CE_TO_UNIX_DAYS: i32 = 719_163;

/// Name of the column holding the input file a row came from.
pub const SOURCE_FILE_COLUMN: &str = "_source_file";
/// Name of the column holding the row (as Excel numbers it, or the XML line) a row came from.
pub const SOURCE_ROW_COLUMN: &str = "_source_row";

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("{context}: {source}")]
    Polars {
        context: String,
        source: PolarsError,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

fn polars_context(context: impl Into<String>) -> impl FnOnce(PolarsError) -> FrameError {
    let context = context.into();
    move |source| FrameError::Polars { context, source }
}

/// A table as a data frame: one typed column per schema column (dates as Date, codes and text as
/// String, integers as Int64, booleans as Boolean; invalid cells are null — their text is in the
/// issues), then the source file name and row.
pub fn table_frame(table: &Table, files: &[Arc<SourceFile>]) -> Result<DataFrame, FrameError> {
    let rows = table.len();
    let mut columns: Vec<Column> = Vec::with_capacity(table.schema().columns.len() + 2);
    for (index, spec) in table.schema().columns.iter().enumerate() {
        let name: PlSmallStr = spec.name.as_str().into();
        let cells = (0..rows).map(|row| table.cell(index, row));
        let series = match spec.kind {
            crate::schema::ColumnKind::Date => Int32Chunked::from_iter_options(
                name,
                cells.map(|c| match c {
                    CellValue::Date(d) => {
                        Some(chrono::Datelike::num_days_from_ce(&d) - CE_TO_UNIX_DAYS)
                    }
                    _ => None,
                }),
            )
            .into_series()
            .into_date(),
            crate::schema::ColumnKind::Integer => Int64Chunked::from_iter_options(
                name,
                cells.map(|c| match c {
                    CellValue::Integer(n) => Some(n),
                    _ => None,
                }),
            )
            .into_series(),
            crate::schema::ColumnKind::Boolean => BooleanChunked::from_iter_options(
                name,
                cells.map(|c| match c {
                    CellValue::Boolean(b) => Some(b),
                    _ => None,
                }),
            )
            .into_series(),
            crate::schema::ColumnKind::Text | crate::schema::ColumnKind::Code => {
                StringChunked::from_iter_options(
                    name,
                    cells.map(|c| match c {
                        CellValue::Text(t) | CellValue::Code(t) => Some(t),
                        _ => None,
                    }),
                )
                .into_series()
            }
        };
        columns.push(series.into_column());
    }
    let file_names: Vec<String> = files.iter().map(|f| f.name()).collect();
    let source_files = StringChunked::from_iter_values(
        SOURCE_FILE_COLUMN.into(),
        (0..rows).map(|row| {
            file_names
                .get(usize::from(table.source(row).file))
                .map_or("", String::as_str)
        }),
    );
    let source_rows = UInt32Chunked::from_iter_values(
        SOURCE_ROW_COLUMN.into(),
        (0..rows).map(|row| table.source(row).line),
    );
    columns.push(source_files.into_series().into_column());
    columns.push(source_rows.into_series().into_column());
    DataFrame::new(rows, columns).map_err(polars_context(format!(
        "building the {} frame",
        table.name()
    )))
}

/// Issues as a data frame with the columns of `issues.csv` ([`report::ISSUE_COLUMNS`]): numbers as
/// UInt32, everything else as text.
pub fn issues_frame(issues: &[Issue]) -> Result<DataFrame, FrameError> {
    let columns = report::ISSUE_COLUMNS
        .iter()
        .map(|column| {
            let name: PlSmallStr = column.name.into();
            let series = if column.numeric {
                UInt32Chunked::from_iter_options(
                    name,
                    issues.iter().map(|i| match column.value(i) {
                        Field::Number(n) => Some(n),
                        _ => None,
                    }),
                )
                .into_series()
            } else {
                StringChunked::from_iter_options(
                    name,
                    issues.iter().map(|i| match column.value(i) {
                        Field::Text(text) => Some(text.into_owned()),
                        _ => None,
                    }),
                )
                .into_series()
            };
            series.into_column()
        })
        .collect();
    DataFrame::new(issues.len(), columns).map_err(polars_context("building the issues frame"))
}

/// The night-over-night diff as a data frame: one row per issue with its status (`new`, `fixed`,
/// `still_open`), where it is, when it was first seen (a Date) and for how many nights, and the
/// run, return and year of the diff on every row so that diffs of several nights stack.
pub fn issues_diff_frame(diff: &IssueDiff) -> Result<DataFrame, FrameError> {
    let entries = &diff.entries;
    let rows = entries.len();
    let text = |name: &str, value: fn(&DiffEntry) -> Option<&str>| {
        StringChunked::from_iter_options(name.into(), entries.iter().map(value))
            .into_series()
            .into_column()
    };
    let constant = |name: &str, value: Option<&str>| {
        StringChunked::from_iter_options(name.into(), (0..rows).map(|_| value))
            .into_series()
            .into_column()
    };
    let year = diff.year.label();
    let columns = vec![
        constant("run_id", Some(&diff.run_id)),
        constant("return", Some(diff.return_kind.as_str())),
        constant("collection_year", Some(&year)),
        constant("compared_with", diff.compared_with.as_deref()),
        text("status", |e| Some(e.status.as_str())),
        text("severity", |e| Some(e.severity.as_str())),
        text("rule_code", |e| Some(&e.rule_code)),
        text("table", |e| e.table.as_deref()),
        text("column", |e| e.column.as_deref()),
        text("child_id", |e| e.child_id.as_deref()),
        text("row_key", |e| e.row_key.as_deref()),
        text("file", |e| e.file.as_deref()),
        UInt32Chunked::from_iter_options("row".into(), entries.iter().map(|e| e.row))
            .into_series()
            .into_column(),
        text("flagged_value", |e| e.flagged_value.as_deref()),
        text("message", |e| Some(&e.message)),
        Int32Chunked::from_iter_values(
            "first_seen".into(),
            entries
                .iter()
                .map(|e| chrono::Datelike::num_days_from_ce(&e.first_seen) - CE_TO_UNIX_DAYS),
        )
        .into_series()
        .into_date()
        .into_column(),
        text("first_seen_run", |e| Some(&e.first_seen_run)),
        UInt32Chunked::from_iter_values(
            "nights_open".into(),
            entries.iter().map(|e| e.nights_open),
        )
        .into_series()
        .into_column(),
        text("issue_key", |e| Some(&e.issue_key)),
    ];
    DataFrame::new(rows, columns).map_err(polars_context("building the issues diff frame"))
}

/// Reads the entries of an `issues_diff.parquet` written by [`issues_diff_frame`].
pub fn read_issues_diff(path: &Path) -> Result<Vec<DiffEntry>, FrameError> {
    let frame = read_parquet(path)?;
    let column = |name: &str| string_column(&frame, name);
    let invalid = |what: String| FrameError::Io {
        context: format!("reading {}", path.display()),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, what),
    };
    let (status, severity, rule_code) =
        (column("status")?, column("severity")?, column("rule_code")?);
    let (table, column_name, child_id) = (column("table")?, column("column")?, column("child_id")?);
    let (row_key, file, row) = (column("row_key")?, column("file")?, column("row")?);
    let (flagged_value, message) = (column("flagged_value")?, column("message")?);
    let (first_seen, first_seen_run) = (column("first_seen")?, column("first_seen_run")?);
    let (nights_open, issue_key) = (column("nights_open")?, column("issue_key")?);
    let required = |values: &[Option<String>], i: usize, name: &str| {
        values[i]
            .clone()
            .ok_or_else(|| invalid(format!("row {i}: {name} is empty")))
    };
    (0..frame.height())
        .map(|i| {
            let status_text = required(&status, i, "status")?;
            let severity_text = required(&severity, i, "severity")?;
            let first_seen_text = required(&first_seen, i, "first_seen")?;
            Ok(DiffEntry {
                status: Status::parse(&status_text)
                    .ok_or_else(|| invalid(format!("row {i}: status {status_text:?}")))?,
                issue_key: required(&issue_key, i, "issue_key")?,
                severity: Severity::parse(&severity_text)
                    .ok_or_else(|| invalid(format!("row {i}: severity {severity_text:?}")))?,
                rule_code: required(&rule_code, i, "rule_code")?,
                table: table[i].clone(),
                column: column_name[i].clone(),
                child_id: child_id[i].clone(),
                row_key: row_key[i].clone(),
                file: file[i].clone(),
                row: row[i].as_deref().and_then(|r| r.parse().ok()),
                flagged_value: flagged_value[i].clone(),
                message: message[i].clone().unwrap_or_default(),
                first_seen: first_seen_text
                    .parse()
                    .map_err(|_| invalid(format!("row {i}: first_seen {first_seen_text:?}")))?,
                first_seen_run: required(&first_seen_run, i, "first_seen_run")?,
                nights_open: nights_open[i]
                    .as_deref()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1),
            })
        })
        .collect()
}

/// Writes a frame to a new Parquet file (zstd, with statistics) readable by its owner only.
pub fn write_parquet(frame: &mut DataFrame, path: &Path) -> Result<u64, FrameError> {
    let file = fsutil::create_new_private_file(path).map_err(|source| FrameError::Io {
        context: format!("creating {}", path.display()),
        source,
    })?;
    let mut writer = std::io::BufWriter::new(file);
    let bytes = ParquetWriter::new(&mut writer)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::full())
        .finish(frame)
        .map_err(polars_context(format!("writing {}", path.display())))?;
    let file = writer.into_inner().map_err(|e| FrameError::Io {
        context: format!("writing {}", path.display()),
        source: e.into_error(),
    })?;
    file.sync_all().map_err(|source| FrameError::Io {
        context: format!("flushing {}", path.display()),
        source,
    })?;
    Ok(bytes)
}

/// Reads a whole Parquet file.
pub fn read_parquet(path: &Path) -> Result<DataFrame, FrameError> {
    let file = std::fs::File::open(path).map_err(|source| FrameError::Io {
        context: format!("opening {}", path.display()),
        source,
    })?;
    ParquetReader::new(file)
        .finish()
        .map_err(polars_context(format!("reading {}", path.display())))
}

/// Number of rows of a frame.
pub fn height(frame: &DataFrame) -> usize {
    frame.height()
}

/// The text values of a column (null as `None`), for tests and small lookups.
pub fn string_column(frame: &DataFrame, name: &str) -> Result<Vec<Option<String>>, FrameError> {
    let column = frame
        .column(name)
        .map_err(polars_context(format!("column {name}")))?;
    let as_text = column
        .cast(&DataType::String)
        .map_err(polars_context(format!("column {name} as text")))?;
    let values = as_text
        .str()
        .map_err(polars_context(format!("column {name} as text")))?;
    Ok(values.iter().map(|v| v.map(str::to_string)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ReturnSchema;
    use crate::source::{Role, SourceFormat};
    use crate::table::RowSource;

    fn table() -> Table {
        let yaml = r#"
return: ssda903
collection_year: 2026
version: t
source: t
child_column: CHILD
tables:
  - name: Episodes
    snapshot_name: episodes
    columns:
      - {name: CHILD, type: text}
      - {name: DECOM, type: date, format: dd/mm/yyyy}
      - {name: RNE, type: code, codes: rne}
      - {name: N, type: integer}
      - {name: B, type: boolean}
code_lists:
  rne: [{code: S, label: s}]
"#;
        let schema = Arc::new(ReturnSchema::from_yaml("t.yaml", yaml).unwrap());
        let mut table = Table::new(schema, 0);
        table.push_row(
            RowSource { file: 0, line: 2 },
            &[
                Some("C1"),
                Some("01/04/2025"),
                Some("S"),
                Some("3"),
                Some("1"),
            ],
            |_, _| {},
        );
        table.push_row(
            RowSource { file: 0, line: 4 },
            &[Some("C2"), Some("bad"), Some("X"), Some(""), Some("")],
            |_, _| {},
        );
        table
    }

    #[test]
    fn tables_become_typed_frames_that_survive_parquet() {
        let file = Arc::new(SourceFile {
            id: 0,
            path: "episodes.csv".into(),
            format: SourceFormat::Csv,
            role: Role::ThisYear,
            size: 1,
            sha256: "x".into(),
            encoding: None,
        });
        let mut frame = table_frame(&table(), &[file]).unwrap();
        assert_eq!(frame.column("DECOM").unwrap().dtype(), &DataType::Date);
        assert_eq!(frame.column("N").unwrap().dtype(), &DataType::Int64);
        assert_eq!(frame.column("B").unwrap().dtype(), &DataType::Boolean);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("episodes.parquet");
        write_parquet(&mut frame, &path).unwrap();
        let back = read_parquet(&path).unwrap();
        assert_eq!(
            string_column(&back, "DECOM").unwrap(),
            vec![Some("2025-04-01".into()), None]
        );
        assert_eq!(
            string_column(&back, "RNE").unwrap(),
            vec![Some("S".into()), None]
        );
        assert_eq!(
            string_column(&back, SOURCE_ROW_COLUMN).unwrap(),
            vec![Some("2".into()), Some("4".into())]
        );
        assert_eq!(
            string_column(&back, SOURCE_FILE_COLUMN).unwrap(),
            vec![Some("episodes.csv".into()); 2]
        );
    }
}
