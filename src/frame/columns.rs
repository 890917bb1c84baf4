//! Reading snapshot tables column by column into plain Rust values, for code (the figures) that
//! walks rows child by child rather than in data-frame operations.

use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use super::{FrameError, polars_context, read_parquet};

/// The columns of one snapshot table, typed on request. A column the table does not have reads as
/// all blank: older collection years lack some columns, and a figure treats them as not recorded.
#[derive(Debug, Clone)]
pub struct ColumnSet {
    name: String,
    frame: DataFrame,
}

impl ColumnSet {
    /// Reads a table's Parquet file; a missing file is an empty table (the return had no such file).
    pub fn read(path: &Path) -> Result<Self, FrameError> {
        let frame = if path.exists() {
            read_parquet(path)?
        } else {
            DataFrame::empty()
        };
        Ok(ColumnSet {
            name: path.display().to_string(),
            frame,
        })
    }

    /// An in-memory table, for tests and callers that built a frame themselves.
    pub fn from_frame(name: &str, frame: DataFrame) -> Self {
        ColumnSet {
            name: name.to_string(),
            frame,
        }
    }

    pub fn len(&self) -> usize {
        self.frame.height()
    }

    pub fn is_empty(&self) -> bool {
        self.frame.height() == 0
    }

    fn cast(&self, column: &str, to: &DataType) -> Result<Option<Column>, FrameError> {
        let Ok(found) = self.frame.column(column) else {
            return Ok(None);
        };
        found
            .cast(to)
            .map(Some)
            .map_err(polars_context(format!("{}: column {column}", self.name)))
    }

    pub fn dates(&self, column: &str) -> Result<Vec<Option<NaiveDate>>, FrameError> {
        match self.cast(column, &DataType::Date)? {
            None => Ok(vec![None; self.len()]),
            Some(c) => Ok(c
                .date()
                .map_err(polars_context(format!("{}: column {column}", self.name)))?
                .as_date_iter()
                .collect()),
        }
    }

    pub fn texts(&self, column: &str) -> Result<Vec<Option<String>>, FrameError> {
        match self.cast(column, &DataType::String)? {
            None => Ok(vec![None; self.len()]),
            Some(c) => Ok(c
                .str()
                .map_err(polars_context(format!("{}: column {column}", self.name)))?
                .iter()
                .map(|v| v.map(str::to_string))
                .collect()),
        }
    }

    pub fn integers(&self, column: &str) -> Result<Vec<Option<i64>>, FrameError> {
        match self.cast(column, &DataType::Int64)? {
            None => Ok(vec![None; self.len()]),
            Some(c) => Ok(c
                .i64()
                .map_err(polars_context(format!("{}: column {column}", self.name)))?
                .iter()
                .collect()),
        }
    }

    pub fn floats(&self, column: &str) -> Result<Vec<Option<f64>>, FrameError> {
        match self.cast(column, &DataType::Float64)? {
            None => Ok(vec![None; self.len()]),
            Some(c) => Ok(c
                .f64()
                .map_err(polars_context(format!("{}: column {column}", self.name)))?
                .iter()
                .collect()),
        }
    }

    pub fn booleans(&self, column: &str) -> Result<Vec<Option<bool>>, FrameError> {
        match self.cast(column, &DataType::Boolean)? {
            None => Ok(vec![None; self.len()]),
            Some(c) => Ok(c
                .bool()
                .map_err(polars_context(format!("{}: column {column}", self.name)))?
                .iter()
                .collect()),
        }
    }
}
