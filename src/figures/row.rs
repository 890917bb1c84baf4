//! One row of `figures.parquet`: a figure for an indicator, breakdown and period, from one snapshot,
//! with the published benchmarks it was compared with.

use chrono::NaiveDate;

/// Whether a figure comes from a snapshot with no DfE-rule errors outstanding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Provisional,
    Validated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Provisional => "provisional",
            Status::Validated => "validated",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "provisional" => Some(Status::Provisional),
            "validated" => Some(Status::Validated),
            _ => None,
        }
    }
}

/// The columns of `figures.parquet`, in order (see `docs/figures.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRow {
    pub snapshot_id: String,
    /// `ssda903` or `cin` (column `return`, as in `issues.parquet` and manifests).
    pub return_kind: String,
    pub collection_year: u16,
    /// DfE three-digit LA number and ONS code, when the run named its LA.
    pub la_number: Option<String>,
    pub la_code: Option<String>,
    /// `provisional` or `validated`.
    pub status: String,
    /// Errors outstanding in the snapshot (0 for validated figures).
    pub errors_outstanding: u32,
    /// When the figures were computed (UTC, ISO 8601).
    pub computed_at: String,
    pub indicator: String,
    pub indicator_name: String,
    /// front door, assessment, child protection, …
    pub section: String,
    /// A category of a breakdown (age band, category of abuse…), blank for the headline figure.
    pub breakdown: Option<String>,
    /// `year`, `ytd`, `quarter` or `month`.
    pub period_type: String,
    /// `2025-26`, `2025-26 YTD`, `2025-26 Q1`, `2025-04`.
    pub period: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Rounded to `decimal_places`; blank when it cannot be computed (see `note`).
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// `count`, `percent`, `rate per 10,000` or `days`.
    pub unit: String,
    pub decimal_places: u8,
    /// `high`, `low` or `none`.
    pub polarity: String,
    /// Caveats: population year used, history missing, …
    pub note: Option<String>,
    /// Earlier snapshots whose history was used (comma-separated ids).
    pub history_snapshots: Option<String>,
    /// The published series compared with, and the year of it used.
    pub benchmark_series: Option<String>,
    pub benchmark_year: Option<u16>,
    /// `table@edition` of every published table read.
    pub benchmark_edition: Option<String>,
    /// The LA's own published value (or its DfE symbol in `…_symbol`).
    pub published_value: Option<f64>,
    pub published_symbol: Option<String>,
    pub england: Option<f64>,
    pub england_symbol: Option<String>,
    pub region_name: Option<String>,
    pub region: Option<f64>,
    pub region_symbol: Option<String>,
    /// Statistical-neighbour model, mean and median of the neighbours with a value, how many had
    /// one and how many were ignored (suppressed or not available).
    pub sn_model: Option<String>,
    pub sn_mean: Option<f64>,
    pub sn_median: Option<f64>,
    pub sn_used: Option<u16>,
    pub sn_ignored: Option<u16>,
    pub sn_best_la: Option<String>,
    pub sn_best_value: Option<f64>,
    /// The LA's published rank among LAs (1 = best given the polarity) and quartile band A–D.
    pub rank: Option<u16>,
    pub rank_of: Option<u16>,
    pub quartile: Option<String>,
    /// The published value's change since the previous year: `up, better`, `down, worse`, `same`.
    pub published_direction: Option<String>,
}

impl FigureRow {
    pub fn status(&self) -> Option<Status> {
        Status::parse(&self.status)
    }
}
