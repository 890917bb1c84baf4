//! `csc-returns query`: SQL (polars SQL) over Parquet files registered as named tables, and the
//! result as text cells, CSV or Parquet.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars::sql::SQLContext;

use super::{FrameError, polars_context, read_parquet};

/// A table for SQL: a name and the Parquet files whose rows it holds (one, or several of the same
/// columns stacked), or a frame already in memory.
#[derive(Debug, Clone)]
pub enum SqlSource {
    Files(Vec<PathBuf>),
    Frame(DataFrame),
}

/// Runs `query` over the named tables.
pub fn sql(tables: &[(String, SqlSource)], query: &str) -> Result<DataFrame, FrameError> {
    let mut context = SQLContext::new();
    for (name, source) in tables {
        let frame = match source {
            SqlSource::Frame(frame) => frame.clone(),
            SqlSource::Files(files) => {
                let mut stacked: Option<DataFrame> = None;
                for file in files {
                    let part = read_parquet(file)?;
                    match &mut stacked {
                        None => stacked = Some(part),
                        Some(all) => {
                            all.vstack_mut(&part).map_err(polars_context(format!(
                                "table {name}: {} has different columns from the files before it",
                                file.display()
                            )))?;
                        }
                    }
                }
                stacked.unwrap_or_default()
            }
        };
        context.register(name, frame.lazy());
    }
    context
        .execute(query)
        .and_then(LazyFrame::collect)
        .map_err(polars_context("running the query"))
}

/// Reads a CSV file with a header row (column types inferred), e.g. an analyst's lookup table
/// joined in a query.
pub fn read_csv(path: &Path) -> Result<DataFrame, FrameError> {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(10_000))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish())
        .map_err(polars_context(format!("reading {}", path.display())))
}

/// Column names and every cell as text (blank for null), for terminal tables and tests.
pub fn text_cells(frame: &DataFrame) -> Result<(Vec<String>, Vec<Vec<String>>), FrameError> {
    let headers: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let mut columns = Vec::with_capacity(headers.len());
    for name in &headers {
        // Types without a text cast (durations, lists) are written as polars displays them.
        let column = match super::string_column(frame, name) {
            Ok(values) => values,
            Err(_) => {
                let column = frame
                    .column(name)
                    .map_err(polars_context(format!("column {name}")))?;
                (0..frame.height())
                    .map(|i| match column.get(i) {
                        Ok(AnyValue::Null) | Err(_) => None,
                        Ok(value) => Some(value.to_string()),
                    })
                    .collect()
            }
        };
        columns.push(column);
    }
    let rows = (0..frame.height())
        .map(|row| {
            columns
                .iter()
                .map(|column| column[row].clone().unwrap_or_default())
                .collect()
        })
        .collect();
    Ok((headers, rows))
}

/// Writes a frame as CSV with a header row.
pub fn write_csv(frame: &mut DataFrame, out: &mut dyn std::io::Write) -> Result<(), FrameError> {
    CsvWriter::new(out)
        .include_header(true)
        .finish(frame)
        .map_err(polars_context("writing CSV"))
}
