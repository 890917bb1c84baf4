//! Published benchmarks: the DfE's LA-level figures, England and regional totals, ONS populations and
//! statistical neighbours, and how an LA compares with them.
//!
//! The published tables are data in editions. The DfE editions current when csc-returns was built
//! are compiled in (`data/benchmarks/dfe-2025/`); `csc-returns benchmarks update` stores newer ones
//! under `<output root>/benchmarks/<table>/<edition>/`, never overwriting, and the newest edition of
//! each table is used. Every comparison names the edition it came from.
//!
//! DfE symbols are kept: a suppressed value is [`Published::Symbol`], never zero.

pub mod compare;
pub mod reference;
pub mod tables;
pub mod update;

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use compare::{Comparison, Direction, NeighbourSummary};
pub use reference::{LocalAuthority, NeighbourModel, Reference};
pub use tables::{Benchmarks, Edition, Series, TABLES, TableSpec};

/// Where fetched editions are kept under an output root: `<root>/benchmarks/<table>/<edition>/`.
pub fn store_dir(root: &std::path::Path) -> std::path::PathBuf {
    root.join("benchmarks")
}

#[derive(Debug, thiserror::Error)]
pub enum BenchmarkError {
    #[error("{file} line {line}: {message}")]
    Parse {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Fetch(String),
}

pub(crate) fn parse_error(file: &str, line: usize, message: String) -> BenchmarkError {
    BenchmarkError::Parse {
        file: file.to_string(),
        line,
        message,
    }
}

/// Whether a higher value is better (High), worse (Low), or neither (a volume measure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    High,
    Low,
    None,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::High => "high",
            Polarity::Low => "low",
            Polarity::None => "none",
        }
    }

    /// Whether `a` is better than `b` (None without a polarity or when equal).
    pub fn better(self, a: f64, b: f64) -> Option<bool> {
        match self {
            Polarity::None => None,
            _ if a == b => None,
            Polarity::High => Some(a > b),
            Polarity::Low => Some(a < b),
        }
    }
}

/// The DfE and GSS symbols that stand in for a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Symbol {
    /// `c`: confidential (suppressed, LA counts 1–5 and secondary suppression).
    Confidential,
    /// `x`: not available.
    NotAvailable,
    /// `z`: not applicable.
    NotApplicable,
    /// `k` or `low`: rounds to 0 but is not 0.
    RoundsToZero,
    /// `u`: low reliability.
    LowReliability,
    /// `-` (LAIT), `:` (legacy) or an empty cell.
    Missing,
}

impl Symbol {
    pub fn code(self) -> &'static str {
        match self {
            Symbol::Confidential => "c",
            Symbol::NotAvailable => "x",
            Symbol::NotApplicable => "z",
            Symbol::RoundsToZero => "k",
            Symbol::LowReliability => "u",
            Symbol::Missing => "-",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Symbol::Confidential => "suppressed (confidential)",
            Symbol::NotAvailable => "not available",
            Symbol::NotApplicable => "not applicable",
            Symbol::RoundsToZero => "rounds to zero but is not zero",
            Symbol::LowReliability => "low reliability",
            Symbol::Missing => "missing",
        }
    }
}

/// A published cell: a number, or the symbol that replaces it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Published {
    Value(f64),
    Symbol(Symbol),
}

impl Published {
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        match text {
            "c" => Published::Symbol(Symbol::Confidential),
            "x" | ":" => Published::Symbol(Symbol::NotAvailable),
            "z" => Published::Symbol(Symbol::NotApplicable),
            "k" | "low" => Published::Symbol(Symbol::RoundsToZero),
            "u" => Published::Symbol(Symbol::LowReliability),
            _ => match text.replace(',', "").parse::<f64>() {
                Ok(v) if v.is_finite() => Published::Value(v),
                _ => Published::Symbol(Symbol::Missing),
            },
        }
    }

    pub fn value(self) -> Option<f64> {
        match self {
            Published::Value(v) => Some(v),
            Published::Symbol(_) => None,
        }
    }

    pub fn symbol(self) -> Option<Symbol> {
        match self {
            Published::Symbol(s) => Some(s),
            Published::Value(_) => None,
        }
    }

    /// The value rounded to `dp` places, or the symbol's code.
    pub fn display(self, dp: u8) -> String {
        match self {
            Published::Value(v) => format_number(v, dp),
            Published::Symbol(s) => s.code().to_string(),
        }
    }
}

/// Rounds half away from zero, as the DfE does (a tiny nudge absorbs binary representation error:
/// 0.285 is stored as 0.28499999…).
pub fn round_dp(value: f64, dp: u8) -> f64 {
    let factor = 10f64.powi(i32::from(dp));
    let scaled = value * factor;
    let nudged = scaled + scaled.signum() * 1e-9 * scaled.abs().max(1.0);
    nudged.round() / factor
}

/// A number rounded to `dp` places with thousands separators: 632,830 or 22.6.
pub fn format_number(value: f64, dp: u8) -> String {
    let text = format!("{:.*}", usize::from(dp), round_dp(value, dp));
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |d| ("-", d));
    let (whole, fraction) = digits
        .split_once('.')
        .map_or((digits, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Where a published figure is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    England,
    /// ONS region code (E12…, or E13000001/2 for Inner/Outer London).
    Region(String),
    /// DfE three-digit LA number.
    La(String),
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Area::England => f.write_str("England"),
            Area::Region(code) => write!(f, "region {code}"),
            Area::La(number) => write!(f, "LA {number}"),
        }
    }
}

/// A parsed CSV file: header names and records, for the reference and published tables.
#[derive(Debug)]
pub(crate) struct CsvTable {
    pub file: String,
    pub columns: Vec<String>,
    pub records: Vec<csv::StringRecord>,
}

impl CsvTable {
    pub fn parse(file: &str, text: &str) -> Result<Self, BenchmarkError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let columns: Vec<String> = reader
            .headers()
            .map_err(|e| parse_error(file, 1, e.to_string()))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut records = Vec::new();
        for (i, record) in reader.records().enumerate() {
            records.push(record.map_err(|e| parse_error(file, i + 2, e.to_string()))?);
        }
        Ok(CsvTable {
            file: file.to_string(),
            columns,
            records,
        })
    }

    pub fn column(&self, name: &str) -> Result<usize, BenchmarkError> {
        self.columns.iter().position(|c| c == name).ok_or_else(|| {
            parse_error(
                &self.file,
                1,
                format!("no column `{name}` (columns: {})", self.columns.join(", ")),
            )
        })
    }
}

/// A CSV row with access by column name, for the small lookup files.
pub(crate) struct CsvRow {
    file: std::sync::Arc<str>,
    index: std::sync::Arc<HashMap<String, usize>>,
    record: csv::StringRecord,
    pub line: usize,
}

impl CsvRow {
    /// The trimmed value of a column; an error naming the file when the column does not exist.
    pub fn get(&self, column: &str) -> Result<String, BenchmarkError> {
        let i = self
            .index
            .get(column)
            .ok_or_else(|| parse_error(&self.file, 1, format!("no column `{column}`")))?;
        Ok(self.record.get(*i).unwrap_or_default().trim().to_string())
    }
}

/// Rows of a small CSV file with access by column name.
pub(crate) fn csv_records(file: &str, text: &str) -> Result<Vec<CsvRow>, BenchmarkError> {
    let table = CsvTable::parse(file, text)?;
    let index: HashMap<String, usize> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.clone(), i))
        .collect();
    let index = std::sync::Arc::new(index);
    let file: std::sync::Arc<str> = file.into();
    Ok(table
        .records
        .into_iter()
        .enumerate()
        .map(|(i, record)| CsvRow {
            file: file.clone(),
            index: index.clone(),
            record,
            line: i + 2,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_kept_and_never_read_as_zero() {
        assert_eq!(Published::parse("22.6"), Published::Value(22.6));
        assert_eq!(Published::parse("632,830"), Published::Value(632830.0));
        for (text, symbol) in [
            ("c", Symbol::Confidential),
            ("x", Symbol::NotAvailable),
            ("z", Symbol::NotApplicable),
            ("k", Symbol::RoundsToZero),
            ("low", Symbol::RoundsToZero),
            ("u", Symbol::LowReliability),
            ("-", Symbol::Missing),
            ("", Symbol::Missing),
        ] {
            let parsed = Published::parse(text);
            assert_eq!(parsed, Published::Symbol(symbol), "{text:?}");
            assert_eq!(parsed.value(), None);
        }
        assert_eq!(Published::parse("c").display(1), "c");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_dp(0.285, 2), 0.29);
        assert_eq!(round_dp(2.5, 0), 3.0);
        assert_eq!(round_dp(-2.5, 0), -3.0);
        assert_eq!(round_dp("78.599999999999994".parse().unwrap(), 1), 78.6);
        assert_eq!(round_dp(67.118, 0), 67.0);
        assert_eq!(format_number(632830.0, 0), "632,830");
        assert_eq!(format_number(-1234.56, 1), "-1,234.6");
        assert_eq!(format_number(330.2966, 1), "330.3");
    }

    #[test]
    fn polarity_judges_which_value_is_better() {
        assert_eq!(Polarity::High.better(2.0, 1.0), Some(true));
        assert_eq!(Polarity::Low.better(2.0, 1.0), Some(false));
        assert_eq!(Polarity::Low.better(1.0, 1.0), None);
        assert_eq!(Polarity::None.better(2.0, 1.0), None);
    }
}
