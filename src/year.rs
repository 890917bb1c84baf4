//! Collection years: the DfE names a return by its end year (2026 = 2025/26, 1 April 2025 to
//! 31 March 2026). Everything in csc-returns uses the end year; this module turns the many ways
//! people write a year into one and refuses conflicting signals.

use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A collection year, identified by the year in which it ends on 31 March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct CollectionYear(u16);

/// Years outside this range are almost certainly typing mistakes, not returns.
const EARLIEST: u16 = 2000;
const LATEST: u16 = 2100;

impl CollectionYear {
    pub fn new(end_year: u16) -> Result<Self, YearError> {
        if (EARLIEST..=LATEST).contains(&end_year) {
            Ok(Self(end_year))
        } else {
            Err(YearError::OutOfRange(end_year))
        }
    }

    /// The calendar year in which the collection period ends (31 March).
    pub fn end_year(self) -> u16 {
        self.0
    }

    /// 1 April of the previous calendar year, the first day of the collection period.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(i32::from(self.0) - 1, 4, 1).expect("1 April exists")
    }

    /// 31 March of the end year, the last day of the collection period (and the CIN ReferenceDate).
    pub fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(i32::from(self.0), 3, 31).expect("31 March exists")
    }

    pub fn previous(self) -> Self {
        Self(self.0 - 1)
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// The collection year a date falls in.
    pub fn of_date(date: NaiveDate) -> Result<Self, YearError> {
        let year =
            u16::try_from(chrono::Datelike::year(&date)).map_err(|_| YearError::OutOfRange(0))?;
        if chrono::Datelike::month(&date) >= 4 {
            Self::new(year + 1)
        } else {
            Self::new(year)
        }
    }

    /// Parses the forms people use for a collection year: `2026`, `2025-26`, `2025_26`, `2025/26`,
    /// `202526`, `2526`, `2025-2026`. All of these mean the year ending 31 March 2026.
    pub fn parse(text: &str) -> Result<Self, YearError> {
        let text = text.trim();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let separated = text.contains(['-', '_', '/']);
        let year = match (digits.len(), separated) {
            (4, false) if text.len() == 4 => {
                let n: u16 = digits
                    .parse()
                    .map_err(|_| YearError::Unrecognised(text.into()))?;
                // A bare four-digit number is a calendar end year (2026) unless it reads as two
                // consecutive two-digit years (2526 = 2025/26).
                if (EARLIEST..=LATEST).contains(&n) {
                    n
                } else {
                    consecutive(&digits[..2], &digits[2..], text)?
                }
            }
            (4, true) => consecutive(&digits[..2], &digits[2..], text)?,
            (6, _) | (8, true) => consecutive(&digits[..4], &digits[4..], text)?,
            _ => return Err(YearError::Unrecognised(text.into())),
        };
        Self::new(year)
    }

    /// Finds a collection year written in a file or folder name (`cla_2025-26`, `903_202526`,
    /// `CIN_2026.xml`). Returns `Ok(None)` when the name holds no year; an error when it holds two
    /// different ones.
    pub fn from_name(name: &str) -> Result<Option<Self>, YearError> {
        let mut found: Option<Self> = None;
        for token in year_tokens(name) {
            if let Ok(year) = Self::parse(&token) {
                match found {
                    Some(previous) if previous != year => {
                        return Err(YearError::Conflict {
                            first: (previous, format!("name {name:?}")),
                            second: (year, format!("name {name:?}")),
                        });
                    }
                    _ => found = Some(year),
                }
            }
        }
        Ok(found)
    }

    /// The year named by the path's file name or, failing that, by its nearest parent folder that
    /// names one.
    pub fn from_path(path: &Path) -> Result<Option<Self>, YearError> {
        for component in path.iter().rev() {
            if let Some(year) = Self::from_name(&component.to_string_lossy())? {
                return Ok(Some(year));
            }
        }
        Ok(None)
    }

    /// "2025/26", as the DfE writes it.
    pub fn label(self) -> String {
        format!("{}/{:02}", self.0 - 1, self.0 % 100)
    }
}

/// The end year of a start and end year written with two or four digits each (`25`+`26`,
/// `2025`+`26`, `2025`+`2026`), when they are consecutive. Two-digit start years are this
/// century's.
fn consecutive(first: &str, second: &str, text: &str) -> Result<u16, YearError> {
    let number = |digits: &str| {
        digits
            .parse::<u16>()
            .map_err(|_| YearError::Unrecognised(text.into()))
    };
    let (start, end) = (number(first)?, number(second)?);
    let follows = if second.len() == 2 {
        (start + 1) % 100 == end
    } else {
        end == start + 1
    };
    if !follows {
        return Err(YearError::NotConsecutive(text.into()));
    }
    Ok(if first.len() == 2 {
        2000 + end
    } else {
        start + 1
    })
}

/// Splits a name into candidate year tokens: runs of digits, where two runs joined by a single
/// `-`, `_` or `/` that read together as a year (`2025-26`) form one token.
fn year_tokens(name: &str) -> Vec<String> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    let mut tokens = Vec::new();
    let mut r = 0;
    while r < runs.len() {
        let (start, end) = runs[r];
        if let Some(&(next_start, next_end)) = runs.get(r + 1) {
            let joined = &name[start..next_end];
            if next_start == end + 1
                && matches!(bytes[end], b'-' | b'_' | b'/')
                && CollectionYear::parse(joined).is_ok()
            {
                tokens.push(joined.to_string());
                r += 2;
                continue;
            }
        }
        if matches!(end - start, 4 | 6) {
            tokens.push(name[start..end].to_string());
        }
        r += 1;
    }
    tokens
}

impl fmt::Display for CollectionYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<u16> for CollectionYear {
    type Error = YearError;
    fn try_from(value: u16) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<CollectionYear> for u16 {
    fn from(year: CollectionYear) -> u16 {
        year.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YearError {
    #[error(
        "collection year {0} is out of range {EARLIEST}–{LATEST}; give the year ending 31 March, e.g. 2026 for 2025/26"
    )]
    OutOfRange(u16),
    #[error("{0:?} is not a collection year; write it as 2026, 2025-26, 2025_26, 202526 or 2526")]
    Unrecognised(String),
    #[error(
        "{0:?} names two years that do not follow each other; a collection year runs from one April to the next"
    )]
    NotConsecutive(String),
    #[error(
        "conflicting collection years: {} from {}, but {} from {}; pass --year to say which is meant",
        first.0.label(),
        first.1,
        second.0.label(),
        second.1
    )]
    Conflict {
        first: (CollectionYear, String),
        second: (CollectionYear, String),
    },
}

/// Collects collection-year signals (an explicit option, the content of a file such as the CIN
/// ReferenceDate, file and folder names) and settles on one. An explicit option wins over names,
/// which are weak evidence, but not over file content; any other disagreement is an error, because
/// guessing the wrong year would validate against the wrong rules.
#[derive(Debug, Default)]
pub struct YearSignals {
    explicit: Option<CollectionYear>,
    content: Vec<(CollectionYear, String)>,
    names: Vec<(CollectionYear, String)>,
}

impl YearSignals {
    pub fn explicit(year: Option<CollectionYear>) -> Self {
        Self {
            explicit: year,
            ..Self::default()
        }
    }

    /// A year stated inside an input file (the CIN ReferenceDate).
    pub fn add_content(&mut self, year: CollectionYear, source: impl Into<String>) {
        self.content.push((year, source.into()));
    }

    /// A year read from a file or folder name.
    pub fn add_path(&mut self, path: &Path) -> Result<(), YearError> {
        if let Some(year) = CollectionYear::from_path(path)? {
            self.names.push((year, format!("path {}", path.display())));
        }
        Ok(())
    }

    /// The year to use, or `Ok(None)` when nothing named one.
    pub fn resolve(&self) -> Result<Option<CollectionYear>, YearError> {
        let explicit = self
            .explicit
            .map(|year| (year, "the --year option".to_string()));
        let binding: Vec<&(CollectionYear, String)> = match &explicit {
            Some(option) => std::iter::once(option).chain(&self.content).collect(),
            None => self.content.iter().chain(&self.names).collect(),
        };
        let Some(first) = binding.first() else {
            return Ok(None);
        };
        if let Some(other) = binding.iter().find(|other| other.0 != first.0) {
            return Err(YearError::Conflict {
                first: (*first).clone(),
                second: (*other).clone(),
            });
        }
        Ok(Some(first.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(n: u16) -> CollectionYear {
        CollectionYear::new(n).unwrap()
    }

    #[test]
    fn every_documented_spelling_means_the_year_ending_march_2026() {
        for text in [
            "2026",
            "2025-26",
            "2025_26",
            "2025/26",
            "202526",
            "2526",
            "25/26",
            "2025-2026",
        ] {
            assert_eq!(CollectionYear::parse(text).unwrap(), y(2026), "{text}");
        }
    }

    #[test]
    fn non_consecutive_years_are_refused() {
        assert!(matches!(
            CollectionYear::parse("2025-27"),
            Err(YearError::NotConsecutive(_))
        ));
        for text in ["2527", "25-27", "202527", "2025-2027", "2026-2025"] {
            assert!(
                matches!(
                    CollectionYear::parse(text),
                    Err(YearError::NotConsecutive(_))
                ),
                "{text}"
            );
        }
        assert!(CollectionYear::parse("26").is_err());
    }

    #[test]
    fn period_runs_first_april_to_thirty_first_march() {
        let year = y(2026);
        assert_eq!(year.start(), NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
        assert_eq!(year.end(), NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        assert_eq!(year.label(), "2025/26");
        assert_eq!(CollectionYear::of_date(year.start()).unwrap(), year);
        assert_eq!(CollectionYear::of_date(year.end()).unwrap(), year);
        assert_eq!(
            CollectionYear::of_date(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()).unwrap(),
            y(2027)
        );
    }

    #[test]
    fn names_and_paths_carry_years() {
        assert_eq!(
            CollectionYear::from_name("episodes_2025-26.csv").unwrap(),
            Some(y(2026))
        );
        assert_eq!(
            CollectionYear::from_name("903_202526").unwrap(),
            Some(y(2026))
        );
        assert_eq!(
            CollectionYear::from_name("CIN_2526.xml").unwrap(),
            Some(y(2026))
        );
        assert_eq!(
            CollectionYear::from_name("CIN_Census_2026.xml").unwrap(),
            Some(y(2026))
        );
        assert_eq!(CollectionYear::from_name("header.csv").unwrap(), None);
        let path = Path::new("/data/903/2024_25/episodes.csv");
        assert_eq!(CollectionYear::from_path(path).unwrap(), Some(y(2025)));
    }

    #[test]
    fn a_name_with_two_years_is_a_conflict() {
        assert!(matches!(
            CollectionYear::from_name("2024-25_vs_2025-26"),
            Err(YearError::Conflict { .. })
        ));
    }

    #[test]
    fn explicit_option_wins_but_other_signals_must_agree() {
        let mut signals = YearSignals::explicit(None);
        signals.add_content(y(2026), "CIN ReferenceDate 2026-03-31");
        signals.add_path(Path::new("returns/2025-26")).unwrap();
        assert_eq!(signals.resolve().unwrap(), Some(y(2026)));
        signals.add_path(Path::new("cin_2024-25.xml")).unwrap();
        let err = signals.resolve().unwrap_err().to_string();
        assert!(
            err.contains("2025/26") && err.contains("2024/25") && err.contains("--year"),
            "{err}"
        );

        let mut explicit = YearSignals::explicit(Some(y(2027)));
        explicit.add_path(Path::new("returns/2025-26")).unwrap();
        assert_eq!(
            explicit.resolve().unwrap(),
            Some(y(2027)),
            "an option beats a folder name"
        );
        explicit.add_content(y(2026), "CIN ReferenceDate 2026-03-31");
        assert!(
            explicit.resolve().is_err(),
            "an option never overrides what the file itself says"
        );
        assert_eq!(YearSignals::default().resolve().unwrap(), None);
    }
}
