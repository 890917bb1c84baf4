//! The performance report councillors read: indicators grouped by area, several years' validated
//! outturns, this year's provisional values, England / region / statistical-neighbour benchmarks,
//! a RAG rating and direction of travel judged by polarity, and a trend. One table, written as a
//! self-contained HTML page ([`html`]) and as a workbook ([`xlsx`]).
//!
//! RAG: there are no local targets in the returns, so the rating compares the latest value with the
//! published England average and statistical-neighbour mean: green when at least as good as both,
//! red when worse than both, amber otherwise (indicators without a polarity have none).

pub mod html;
pub mod xlsx;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::benchmarks::{
    Area, BenchmarkError, Benchmarks, Comparison, Direction, LocalAuthority, Polarity,
};

use super::indicators::{Measure, Unit};
use super::{FigureRow, INDICATORS, Indicator, Section, Status};

/// One value in the report, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Option<f64>,
    pub status: Status,
    /// `2025-26`, `2025-26 YTD`, `2025-26 Q2`.
    pub period: String,
    pub snapshot: String,
    pub note: Option<String>,
}

impl Cell {
    fn from_row(row: &FigureRow) -> Self {
        Cell {
            value: row.value,
            status: row.status().unwrap_or(Status::Provisional),
            period: row.period.clone(),
            snapshot: row.snapshot_id.clone(),
            note: row.note.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    pub fn label(self) -> &'static str {
        match self {
            Rag::Green => "Green",
            Rag::Amber => "Amber",
            Rag::Red => "Red",
        }
    }
}

/// One indicator's line.
#[derive(Debug, Clone)]
pub struct Line {
    pub indicator: &'static Indicator,
    /// The year's figure (outturn, or year to date while it runs) per report year.
    pub years: Vec<Option<Cell>>,
    /// The latest year's quarters, Q1 to Q4.
    pub quarters: Vec<Option<Cell>>,
    /// The latest value shown (the last year with a figure).
    pub latest: Option<Cell>,
    pub direction: Option<Direction>,
    pub comparison: Option<Comparison>,
    pub rag: Option<Rag>,
    /// Published England values by year, for the trend chart.
    pub england_trend: Vec<(u16, f64)>,
}

/// A breakdown's latest shares.
#[derive(Debug, Clone)]
pub struct Breakdown {
    pub indicator: &'static Indicator,
    pub period: String,
    pub status: Status,
    /// (category, value, count).
    pub categories: Vec<(String, Option<f64>, Option<f64>)>,
}

/// The whole report.
#[derive(Debug, Clone)]
pub struct Report {
    pub la: Option<LocalAuthority>,
    /// Collection years shown, oldest first (end years).
    pub years: Vec<u16>,
    pub generated: NaiveDate,
    /// The latest date the figures describe.
    pub as_of: Option<NaiveDate>,
    pub sections: Vec<(Section, Vec<Line>)>,
    pub breakdowns: Vec<Breakdown>,
    /// `table@edition` of every benchmark used.
    pub editions: Vec<String>,
}

/// How many years of outturns a report shows.
pub const YEARS_SHOWN: usize = 5;

/// Builds the report from figure rows (see [`super::outturns`]) for `la`.
pub fn build(
    rows: &[FigureRow],
    la: Option<&LocalAuthority>,
    benchmarks: &Benchmarks,
    generated: NaiveDate,
) -> Result<Report, BenchmarkError> {
    let mut years: Vec<u16> = rows.iter().map(|r| r.collection_year).collect();
    years.sort_unstable();
    years.dedup();
    if years.len() > YEARS_SHOWN {
        years.drain(..years.len() - YEARS_SHOWN);
    }
    let latest_year = years.last().copied();
    let mut sections: BTreeMap<Section, Vec<Line>> = BTreeMap::new();
    let mut breakdowns = Vec::new();
    let mut editions: Vec<String> = Vec::new();
    for indicator in INDICATORS {
        let mine: Vec<&FigureRow> = rows
            .iter()
            .filter(|r| r.indicator == indicator.id)
            .collect();
        if mine.iter().any(|r| r.breakdown.is_some()) {
            if let Some(b) = breakdown(indicator, &mine) {
                breakdowns.push(b);
            }
            continue;
        }
        let headline: Vec<&FigureRow> =
            mine.into_iter().filter(|r| r.breakdown.is_none()).collect();
        let year_cells: Vec<Option<Cell>> = years
            .iter()
            .map(|y| year_figure(&headline, *y).map(Cell::from_row))
            .collect();
        let quarters = (1..=4)
            .map(|q| {
                let label = |y: u16| format!("{}-{:02} Q{q}", y - 1, y % 100);
                latest_year.and_then(|y| {
                    best(
                        headline
                            .iter()
                            .copied()
                            .filter(|r| r.collection_year == y && r.period == label(y)),
                    )
                    .map(Cell::from_row)
                })
            })
            .collect();
        let latest_index = year_cells
            .iter()
            .rposition(|c| c.as_ref().is_some_and(|c| c.value.is_some()));
        let latest = latest_index.and_then(|i| year_cells[i].clone());
        let previous = latest_index
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| year_cells[i].clone());
        let direction = match (&latest, &previous) {
            (Some(now), Some(before)) if comparable_over_time(indicator, now) => {
                match (now.value, before.value) {
                    (Some(a), Some(b)) => Some(Direction::between(a, b, indicator.polarity)),
                    _ => None,
                }
            }
            _ => None,
        };
        let comparison = match (indicator.benchmark, la, latest_year) {
            (Some(series), Some(la), Some(year)) => {
                let dp = indicator.decimal_places;
                match benchmarks.latest_year(&series, dp, year)? {
                    Some(y) => {
                        benchmarks.compare(&series, dp, indicator.polarity, &la.number, y)?
                    }
                    None => None,
                }
            }
            _ => None,
        };
        let england_trend = match indicator.benchmark {
            Some(series) => {
                let data = benchmarks.series(&series, indicator.decimal_places)?;
                let first = years.first().copied().unwrap_or_default().saturating_sub(1);
                let mut trend: Vec<(u16, f64)> = data
                    .points
                    .iter()
                    .filter(|((y, area), _)| *area == Area::England && *y >= first)
                    .filter_map(|((y, _), p)| p.value.value().map(|v| (*y, v)))
                    .collect();
                trend.sort_by_key(|(y, _)| *y);
                trend
            }
            None => Vec::new(),
        };
        if let Some(c) = &comparison {
            for e in &c.editions {
                if !editions.contains(e) {
                    editions.push(e.clone());
                }
            }
        }
        let rag = rate(indicator, latest.as_ref(), comparison.as_ref());
        sections.entry(indicator.section).or_default().push(Line {
            indicator,
            years: year_cells,
            quarters,
            latest,
            direction,
            comparison,
            rag,
            england_trend,
        });
    }
    editions.sort();
    Ok(Report {
        la: la.cloned(),
        years,
        generated,
        as_of: rows.iter().map(|r| r.period_end).max(),
        sections: sections.into_iter().collect(),
        breakdowns,
        editions,
    })
}

/// The figure that stands for a year: validated before provisional; the whole year before the
/// year to date; the latest snapshot among equals.
fn year_figure<'a>(rows: &[&'a FigureRow], year: u16) -> Option<&'a FigureRow> {
    best(
        rows.iter().copied().filter(|r| {
            r.collection_year == year && matches!(r.period_type.as_str(), "year" | "ytd")
        }),
    )
}

fn best<'a>(rows: impl Iterator<Item = &'a FigureRow>) -> Option<&'a FigureRow> {
    rows.max_by(|a, b| {
        let key = |r: &FigureRow| {
            (
                r.status() == Some(Status::Validated),
                r.period_type == "year",
                r.snapshot_id.clone(),
            )
        };
        key(a).cmp(&key(b))
    })
}

/// A year-to-date count of events is not comparable with last year's full-year count.
fn comparable_over_time(indicator: &Indicator, latest: &Cell) -> bool {
    let partial = latest.period.ends_with("YTD");
    !(partial
        && indicator.measure == Measure::Flow
        && matches!(indicator.unit, Unit::Count | Unit::RatePer10k))
}

/// Green when at least as good as England and the neighbours' mean, red when worse than both.
fn rate(
    indicator: &Indicator,
    latest: Option<&Cell>,
    comparison: Option<&Comparison>,
) -> Option<Rag> {
    if indicator.polarity == Polarity::None {
        return None;
    }
    let value = latest?.value?;
    let comparison = comparison?;
    let references: Vec<f64> = [comparison.england.value(), comparison.neighbours.mean]
        .into_iter()
        .flatten()
        .collect();
    if references.is_empty() {
        return None;
    }
    let worse = references
        .iter()
        .filter(|r| indicator.polarity.better(**r, value) == Some(true))
        .count();
    Some(match worse {
        0 => Rag::Green,
        n if n == references.len() => Rag::Red,
        _ => Rag::Amber,
    })
}

fn breakdown(indicator: &'static Indicator, rows: &[&FigureRow]) -> Option<Breakdown> {
    let year = rows.iter().map(|r| r.collection_year).max()?;
    let first = year_figure(
        &rows
            .iter()
            .copied()
            .filter(|r| r.breakdown.is_some())
            .collect::<Vec<_>>(),
        year,
    )?;
    let categories = rows
        .iter()
        .filter(|r| {
            r.snapshot_id == first.snapshot_id && r.period == first.period && r.breakdown.is_some()
        })
        .map(|r| {
            (
                r.breakdown.clone().unwrap_or_default(),
                r.value,
                r.numerator,
            )
        })
        .collect();
    Some(Breakdown {
        indicator,
        period: first.period.clone(),
        status: first.status().unwrap_or(Status::Provisional),
        categories,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::testing::{TestSnapshot, d};
    use crate::schema::ReturnKind;
    use crate::snapshot::SnapshotStore;

    /// Three years of CIN snapshots: 2024 and 2025 validated, 2026 in year and provisional.
    fn three_years(store: &SnapshotStore) -> Vec<FigureRow> {
        let benchmarks = Benchmarks::shipped();
        let referral = |s: TestSnapshot, child: &str, date: &str, nfa: &str| {
            s.row(
                "cin_details",
                &[
                    ("LAchildID", child),
                    ("CINdetailsID", "1"),
                    ("CINreferralDate", date),
                    ("ReferralNFA", nfa),
                ],
            )
        };
        let mut s2024 = TestSnapshot::new(ReturnKind::Cin, 2024).id("20240501T000000Z-0001");
        for i in 0..10 {
            s2024 = referral(
                s2024,
                &format!("A{i}"),
                "2023-06-01",
                if i < 2 { "true" } else { "false" },
            );
        }
        let mut s2025 = TestSnapshot::new(ReturnKind::Cin, 2025).id("20250501T000000Z-0001");
        for i in 0..8 {
            s2025 = referral(s2025, &format!("A{i}"), "2024-05-01", "false");
        }
        let mut s2026 = TestSnapshot::new(ReturnKind::Cin, 2026)
            .id("20251120T000000Z-0001")
            .taken(d(2025, 11, 20))
            .errors(3);
        for i in 0..4 {
            s2026 = referral(s2026, &format!("B{i}"), "2025-07-01", "false");
        }
        let mut rows = Vec::new();
        for s in [s2024, s2025, s2026] {
            let snapshot = s.write(store);
            rows.extend(
                crate::figures::compute_for_snapshot(store, &snapshot, &benchmarks, None).unwrap(),
            );
        }
        rows
    }

    /// The report for Wokingham (872) of [`three_years`], generated the day after the in-year
    /// snapshot.
    pub(crate) fn wokingham_report(store: &SnapshotStore) -> Report {
        let rows = three_years(store);
        let benchmarks = Benchmarks::shipped();
        let la = benchmarks.reference().la("872").cloned();
        build(&rows, la.as_ref(), &benchmarks, d(2025, 11, 21)).unwrap()
    }

    #[test]
    fn a_report_shows_outturns_in_year_values_benchmarks_rag_and_direction() {
        let dir = tempfile::tempdir().unwrap();
        let report = wokingham_report(&SnapshotStore::new(dir.path()));
        assert_eq!(report.years, [2024, 2025, 2026]);
        assert_eq!(report.as_of, Some(d(2025, 11, 20)));
        let front_door = &report
            .sections
            .iter()
            .find(|(s, _)| *s == Section::FrontDoor)
            .unwrap()
            .1;
        let rereferrals = front_door
            .iter()
            .find(|l| l.indicator.id == "FD03")
            .unwrap();
        // 2025: all 8 children were referred in June 2023, 11 months before: 100%.
        let y2025 = rereferrals.years[1].as_ref().unwrap();
        assert_eq!(
            (y2025.value, y2025.status),
            (Some(100.0), Status::Validated)
        );
        let y2026 = rereferrals.years[2].as_ref().unwrap();
        assert_eq!(
            (y2026.period.as_str(), y2026.status),
            ("2025-26 YTD", Status::Provisional)
        );
        assert_eq!(rereferrals.latest.as_ref().unwrap().value, Some(0.0));
        // Lower is better: 0% is better than England (22.6) and the neighbours (19.37).
        assert_eq!(rereferrals.rag, Some(Rag::Green));
        let direction = rereferrals.direction.unwrap();
        assert_eq!(
            (direction.movement(), direction.judgement()),
            ("down", "better")
        );
        assert_eq!(
            rereferrals.quarters[1].as_ref().unwrap().value,
            Some(0.0),
            "Q2 holds July"
        );
        assert!(rereferrals.quarters[2].is_none(), "Q3 has not ended");
        assert!(rereferrals.england_trend.contains(&(2025, 22.6)));
        // A year-to-date count is not compared with last year's full-year count.
        let referrals = front_door
            .iter()
            .find(|l| l.indicator.id == "FD02")
            .unwrap();
        assert_eq!(referrals.direction, None);
        assert_eq!(referrals.rag, None, "no polarity, no rating");
        let nfa = front_door
            .iter()
            .find(|l| l.indicator.id == "FD04")
            .unwrap();
        assert_eq!(nfa.years[0].as_ref().unwrap().value, Some(20.0));
        assert!(report.editions.contains(&"cin_c1@dfe-2025".to_string()));
        assert!(report.breakdowns.iter().any(|b| b.indicator.id == "CP08"));
    }

    #[test]
    fn rag_compares_with_england_and_neighbours_by_polarity() {
        let benchmarks = Benchmarks::shipped();
        let indicator = Indicator::find("FD03").unwrap();
        let comparison = benchmarks
            .compare(&indicator.benchmark.unwrap(), 1, Polarity::Low, "872", 2025)
            .unwrap();
        let cell = |v: f64| Cell {
            value: Some(v),
            status: Status::Validated,
            period: "2024-25".into(),
            snapshot: "s".into(),
            note: None,
        };
        let rag = |v| rate(indicator, Some(&cell(v)), comparison.as_ref());
        assert_eq!(rag(19.0), Some(Rag::Green));
        assert_eq!(
            rag(20.0),
            Some(Rag::Amber),
            "between the neighbours (19.37) and England (22.6)"
        );
        assert_eq!(rag(23.0), Some(Rag::Red));
        assert_eq!(rag(22.6), Some(Rag::Amber), "equal to England is not worse");
    }
}
