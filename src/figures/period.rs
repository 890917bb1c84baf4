//! The periods a snapshot's figures are computed for: the full year ending 31 March once it is
//! over, otherwise the year to date; each completed quarter and month.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::year::CollectionYear;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKind {
    /// 1 April to 31 March.
    Year,
    /// 1 April to the date the snapshot's data were taken.
    YearToDate,
    /// One quarter of the year (Q1 = April to June).
    Quarter,
    /// One calendar month.
    Month,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Year => "year",
            PeriodKind::YearToDate => "ytd",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Month => "month",
        }
    }

    /// Whether the period runs from 1 April: the year and the year to date.
    pub fn is_from_year_start(self) -> bool {
        matches!(self, PeriodKind::Year | PeriodKind::YearToDate)
    }
}

/// A span of days, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub year: CollectionYear,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// `2025-26`, `2025-26 YTD`, `2025-26 Q2`, `2025-11`.
    pub label: String,
}

impl Period {
    pub fn year(year: CollectionYear) -> Self {
        Period {
            kind: PeriodKind::Year,
            year,
            start: year.start(),
            end: year.end(),
            label: year_label(year),
        }
    }

    pub fn year_to_date(year: CollectionYear, as_of: NaiveDate) -> Self {
        Period {
            kind: PeriodKind::YearToDate,
            year,
            start: year.start(),
            end: as_of,
            label: format!("{} YTD", year_label(year)),
        }
    }

    /// Quarter `n` (1 to 4) of a collection year.
    pub fn quarter(year: CollectionYear, n: u32) -> Self {
        let start = year.start() + Months::new(3 * (n - 1));
        Period {
            kind: PeriodKind::Quarter,
            year,
            start,
            end: start + Months::new(3) - Days::new(1),
            label: format!("{} Q{n}", year_label(year)),
        }
    }

    /// The calendar month starting on `first` (a 1st of the month).
    pub fn month(year: CollectionYear, first: NaiveDate) -> Self {
        Period {
            kind: PeriodKind::Month,
            year,
            start: first,
            end: first + Months::new(1) - Days::new(1),
            label: format!("{:04}-{:02}", first.year(), first.month()),
        }
    }

    /// Every period of a collection year that data taken on `as_of` can answer: the year (or the
    /// year to date while it runs), then each completed quarter and month.
    pub fn all_for(year: CollectionYear, as_of: NaiveDate) -> Vec<Period> {
        let mut periods = Vec::new();
        if as_of >= year.end() {
            periods.push(Period::year(year));
        } else if as_of >= year.start() {
            periods.push(Period::year_to_date(year, as_of));
        }
        periods.extend(
            (1..=4)
                .map(|n| Period::quarter(year, n))
                .filter(|q| q.end <= as_of),
        );
        periods.extend(
            (0..12)
                .map(|m| Period::month(year, year.start() + Months::new(m)))
                .filter(|m| m.end <= as_of),
        );
        periods
    }

    /// The twelve months ending with this period's last day (for "in the last 12 months" measures).
    pub fn rolling_year_start(&self) -> NaiveDate {
        self.end - Months::new(12) + Days::new(1)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// "2025-26": how council reports and the DfE name a financial year.
pub fn year_label(year: CollectionYear) -> String {
    format!("{}-{:02}", year.end_year() - 1, year.end_year() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::testing::d;

    #[test]
    fn a_finished_year_has_the_year_four_quarters_and_twelve_months() {
        let year = CollectionYear::new(2026).unwrap();
        let periods = Period::all_for(year, d(2026, 11, 24));
        assert_eq!(periods.len(), 17);
        assert_eq!(periods[0].label, "2025-26");
        assert_eq!(
            (periods[0].start, periods[0].end),
            (d(2025, 4, 1), d(2026, 3, 31))
        );
        let q4 = &periods[4];
        assert_eq!(
            (q4.label.as_str(), q4.start, q4.end),
            ("2025-26 Q4", d(2026, 1, 1), d(2026, 3, 31))
        );
        let february = periods.iter().find(|p| p.label == "2026-02").unwrap();
        assert_eq!(february.end, d(2026, 2, 28));
    }

    #[test]
    fn a_year_in_progress_has_the_year_to_date_and_completed_quarters_and_months() {
        let year = CollectionYear::new(2026).unwrap();
        let periods = Period::all_for(year, d(2025, 11, 23));
        let labels: Vec<&str> = periods.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "2025-26 YTD",
                "2025-26 Q1",
                "2025-26 Q2",
                "2025-04",
                "2025-05",
                "2025-06",
                "2025-07",
                "2025-08",
                "2025-09",
                "2025-10"
            ]
        );
        assert_eq!(periods[0].end, d(2025, 11, 23));
        assert_eq!(periods[0].rolling_year_start(), d(2024, 11, 24));
    }
}
