//! `figures.parquet`: figure rows to a data frame and back. One list of columns drives both
//! directions, so the file and [`FigureRow`] cannot drift apart.

use polars::prelude::*;

use super::{CE_TO_UNIX_DAYS, FrameError, polars_context};
use crate::figures::FigureRow;

macro_rules! figure_columns {
    ($($name:ident $(as $column:literal)?: $kind:ident),* $(,)?) => {
        /// The column names of `figures.parquet`, in order.
        pub const FIGURE_COLUMNS: &[&str] = &[$(figure_columns!(@column $name $($column)?)),*];

        /// Figure rows as a data frame with [`FIGURE_COLUMNS`].
        pub fn figures_frame(rows: &[FigureRow]) -> Result<DataFrame, FrameError> {
            let columns = vec![$(figure_columns!(@write rows, $name, figure_columns!(@column $name $($column)?), $kind)),*];
            DataFrame::new(rows.len(), columns)
                .map_err(polars_context("building the figures frame"))
        }

        /// Reads figure rows back from a frame written by [`figures_frame`].
        pub fn figure_rows(frame: &DataFrame) -> Result<Vec<FigureRow>, FrameError> {
            let set = super::ColumnSet::from_frame("figures", frame.clone());
            $(let $name = figure_columns!(@read set, figure_columns!(@column $name $($column)?), $kind);)*
            Ok((0..frame.height())
                .map(|i| FigureRow { $($name: $name[i].clone()),* })
                .collect())
        }
    };
    (@column $name:ident) => { stringify!($name) };
    (@column $name:ident $column:literal) => { $column };
    (@write $rows:ident, $name:ident, $col:expr, text) => {
        StringChunked::from_iter_values(
            $col.into(),
            $rows.iter().map(|r| r.$name.as_str()),
        ).into_series().into_column()
    };
    (@write $rows:ident, $name:ident, $col:expr, opt_text) => {
        StringChunked::from_iter_options(
            $col.into(),
            $rows.iter().map(|r| r.$name.as_deref()),
        ).into_series().into_column()
    };
    (@write $rows:ident, $name:ident, $col:expr, u8) => {
        Int32Chunked::from_iter_values(
            $col.into(),
            $rows.iter().map(|r| i32::from(r.$name)),
        ).into_series().into_column()
    };
    (@write $rows:ident, $name:ident, $col:expr, u16) => {
        Int32Chunked::from_iter_values(
            $col.into(),
            $rows.iter().map(|r| i32::from(r.$name)),
        ).into_series().into_column()
    };
    (@write $rows:ident, $name:ident, $col:expr, opt_u16) => {
        Int32Chunked::from_iter_options(
            $col.into(),
            $rows.iter().map(|r| r.$name.map(i32::from)),
        ).into_series().into_column()
    };
    (@write $rows:ident, $name:ident, $col:expr, u32) => {
        Int64Chunked::from_iter_values(
            $col.into(),
            $rows.iter().map(|r| i64::from(r.$name)),
        ).into_series().into_column()
    };
    (@write $rows:ident, $name:ident, $col:expr, opt_float) => {
        Float64Chunked::from_iter_options(
            $col.into(),
            $rows.iter().map(|r| r.$name),
        ).into_series().into_column()
    };
    (@write $rows:ident, $name:ident, $col:expr, date) => {
        Int32Chunked::from_iter_values(
            $col.into(),
            $rows.iter().map(|r| chrono::Datelike::num_days_from_ce(&r.$name) - CE_TO_UNIX_DAYS),
        ).into_series().into_date().into_column()
    };
    (@read $set:ident, $col:expr, text) => {
        $set.texts($col)?.into_iter().map(Option::unwrap_or_default).collect::<Vec<String>>()
    };
    (@read $set:ident, $col:expr, opt_text) => {
        $set.texts($col)?
    };
    (@read $set:ident, $col:expr, u8) => {
        $set.integers($col)?
            .into_iter()
            .map(|v| v.and_then(|v| u8::try_from(v).ok()).unwrap_or_default())
            .collect::<Vec<u8>>()
    };
    (@read $set:ident, $col:expr, u16) => {
        $set.integers($col)?
            .into_iter()
            .map(|v| v.and_then(|v| u16::try_from(v).ok()).unwrap_or_default())
            .collect::<Vec<u16>>()
    };
    (@read $set:ident, $col:expr, opt_u16) => {
        $set.integers($col)?
            .into_iter()
            .map(|v| v.and_then(|v| u16::try_from(v).ok()))
            .collect::<Vec<Option<u16>>>()
    };
    (@read $set:ident, $col:expr, u32) => {
        $set.integers($col)?
            .into_iter()
            .map(|v| v.and_then(|v| u32::try_from(v).ok()).unwrap_or_default())
            .collect::<Vec<u32>>()
    };
    (@read $set:ident, $col:expr, opt_float) => {
        $set.floats($col)?
    };
    (@read $set:ident, $col:expr, date) => {
        $set.dates($col)?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect::<Vec<chrono::NaiveDate>>()
    };
}

figure_columns! {
    snapshot_id: text,
    return_kind as "return": text,
    collection_year: u16,
    la_number: opt_text,
    la_code: opt_text,
    status: text,
    errors_outstanding: u32,
    computed_at: text,
    indicator: text,
    indicator_name: text,
    section: text,
    breakdown: opt_text,
    period_type: text,
    period: text,
    period_start: date,
    period_end: date,
    value: opt_float,
    numerator: opt_float,
    denominator: opt_float,
    unit: text,
    decimal_places: u8,
    polarity: text,
    note: opt_text,
    history_snapshots: opt_text,
    benchmark_series: opt_text,
    benchmark_year: opt_u16,
    benchmark_edition: opt_text,
    published_value: opt_float,
    published_symbol: opt_text,
    england: opt_float,
    england_symbol: opt_text,
    region_name: opt_text,
    region: opt_float,
    region_symbol: opt_text,
    sn_model: opt_text,
    sn_mean: opt_float,
    sn_median: opt_float,
    sn_used: opt_u16,
    sn_ignored: opt_u16,
    sn_best_la: opt_text,
    sn_best_value: opt_float,
    rank: opt_u16,
    rank_of: opt_u16,
    quartile: opt_text,
    published_direction: opt_text,
}
