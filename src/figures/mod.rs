//! Performance figures from snapshots: every indicator of [`indicators::INDICATORS`] for every
//! period a snapshot can answer, provisional or validated, with the published benchmarks beside.
//!
//! Snapshots are immutable, and figures depend on more than the snapshot (earlier years' snapshots
//! for history, the benchmark edition), so figures live beside them, not in them:
//!
//! ```text
//! <root>/figures/return=ssda903/year=2026/snapshot=<id>/figures.parquet
//! ```
//!
//! A run writes them after publishing the snapshot ([`write_for_snapshot`]); `csc-returns figures
//! --recompute` rewrites them (after a benchmark update, or when an earlier year was re-run). The
//! file is replaced atomically. A figure set is **validated** when its snapshot has no DfE-rule
//! errors outstanding (queries allowed), **provisional** otherwise; each row carries the snapshot id.

pub mod care;
pub mod cin;
pub mod data;
pub mod indicators;
pub mod period;
pub mod report;
mod row;

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};

use crate::benchmarks::{self, Area, BenchmarkError, Benchmarks, Comparison, Published};
use crate::calendar::WorkingCalendar;
use crate::frame::{self, FrameError};
use crate::fsutil;
use crate::schema::ReturnKind;
use crate::snapshot::{SnapshotError, SnapshotRef, SnapshotStore};

pub use indicators::{INDICATORS, Indicator, Section};
pub use period::{Period, PeriodKind};
pub use row::{FigureRow, Status};

use data::{CareData, CinData, History};
use indicators::{Compute, Tally};

#[derive(Debug, thiserror::Error)]
pub enum FiguresError {
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error(transparent)]
    Frame(#[from] FrameError),
    #[error(transparent)]
    Benchmark(#[from] BenchmarkError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

const FIGURES: &str = "figures";
pub const FIGURES_FILE: &str = "figures.parquet";

/// Where a snapshot's figures are kept.
pub fn figures_path(store: &SnapshotStore, snapshot: &SnapshotRef) -> PathBuf {
    store
        .root()
        .join(FIGURES)
        .join(format!("return={}", snapshot.return_kind))
        .join(format!("year={}", snapshot.year))
        .join(format!("snapshot={}", snapshot.id))
        .join(FIGURES_FILE)
}

/// The date a snapshot's data describe: the day it was taken, or the year end once it is over.
pub fn as_of(snapshot: &SnapshotRef) -> Result<NaiveDate, FiguresError> {
    let taken = snapshot.manifest()?.started_at.date_naive();
    Ok(taken.min(snapshot.year.end()))
}

/// Computes every figure of a snapshot. `as_of` overrides the date its data describe (see
/// [`as_of`]); periods ending after it are not computed.
pub fn compute_for_snapshot(
    store: &SnapshotStore,
    snapshot: &SnapshotRef,
    benchmarks: &Benchmarks,
    as_of: Option<NaiveDate>,
) -> Result<Vec<FigureRow>, FiguresError> {
    let manifest = snapshot.manifest()?;
    let as_of = match as_of {
        Some(date) => date,
        None => self::as_of(snapshot)?,
    };
    let periods = Period::all_for(snapshot.year, as_of);
    let la = manifest
        .la_code
        .as_deref()
        .and_then(|code| benchmarks.reference().la(code));
    let status = if manifest.issues.is_validated() {
        Status::Validated
    } else {
        Status::Provisional
    };
    let calendar = WorkingCalendar::england();
    enum Loaded {
        Cin(CinData),
        Care(CareData),
    }
    let loaded = match snapshot.return_kind {
        ReturnKind::Cin => Loaded::Cin(CinData::load(store, snapshot)?),
        ReturnKind::Ssda903 => Loaded::Care(CareData::load(store, snapshot)?),
    };
    let history = match &loaded {
        Loaded::Cin(d) => &d.history,
        Loaded::Care(d) => &d.history,
    };
    let population = match la {
        Some(la) => {
            benchmarks.population(&Area::La(la.number.clone()), snapshot.year.end_year())?
        }
        None => None,
    };
    let base = FigureRow {
        snapshot_id: snapshot.id.clone(),
        return_kind: snapshot.return_kind.to_string(),
        collection_year: snapshot.year.end_year(),
        la_number: la.map(|l| l.number.clone()),
        la_code: manifest.la_code.clone(),
        status: status.as_str().to_string(),
        errors_outstanding: u32::try_from(manifest.issues.error).unwrap_or(u32::MAX),
        computed_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        indicator: String::new(),
        indicator_name: String::new(),
        section: String::new(),
        breakdown: None,
        period_type: String::new(),
        period: String::new(),
        period_start: snapshot.year.start(),
        period_end: snapshot.year.end(),
        value: None,
        numerator: None,
        denominator: None,
        unit: String::new(),
        decimal_places: 0,
        polarity: String::new(),
        note: None,
        history_snapshots: history.ids(),
        benchmark_series: None,
        benchmark_year: None,
        benchmark_edition: None,
        published_value: None,
        published_symbol: None,
        england: None,
        england_symbol: None,
        region_name: None,
        region: None,
        region_symbol: None,
        sn_model: None,
        sn_mean: None,
        sn_median: None,
        sn_used: None,
        sn_ignored: None,
        sn_best_la: None,
        sn_best_value: None,
        rank: None,
        rank_of: None,
        quartile: None,
        published_direction: None,
    };
    let mut rows = Vec::new();
    for indicator in INDICATORS
        .iter()
        .filter(|i| i.return_kind() == snapshot.return_kind)
    {
        let comparison = match (indicator.benchmark, la) {
            (Some(series), Some(la)) => {
                let year = benchmarks.latest_year(
                    &series,
                    indicator.decimal_places,
                    snapshot.year.end_year(),
                )?;
                match year {
                    Some(year) => benchmarks.compare(
                        &series,
                        indicator.decimal_places,
                        indicator.polarity,
                        &la.number,
                        year,
                    )?,
                    None => None,
                }
            }
            _ => None,
        };
        for period in periods.iter().filter(|p| indicator.measure.applies_to(p)) {
            let tallies = match (&loaded, indicator.compute) {
                (Loaded::Cin(d), Compute::Cin(f)) => {
                    f(d, period, calendar).map_err(|e| e.to_string())
                }
                (Loaded::Care(d), Compute::Care(f)) => Ok(f(d, period)),
                _ => continue,
            };
            let mut notes = Vec::new();
            if let Some(missing) = missing_history(history, snapshot, indicator.history_years) {
                notes.push(missing);
            }
            match tallies {
                Ok(tallies) => {
                    for tally in tallies {
                        let mut row = figure(
                            &base,
                            indicator,
                            period,
                            &tally,
                            population.as_ref(),
                            &notes,
                        );
                        if tally.breakdown.is_none()
                            && let Some(c) = &comparison
                        {
                            attach(&mut row, c, indicator);
                        }
                        rows.push(row);
                    }
                }
                Err(message) => {
                    notes.push(message);
                    let tally = Tally::count(0);
                    let mut row = figure(&base, indicator, period, &tally, None, &notes);
                    (row.value, row.numerator) = (None, None);
                    rows.push(row);
                }
            }
        }
    }
    Ok(rows)
}

/// "No snapshot for 2023-24, 2024-25" when a figure needs earlier years the output root lacks.
fn missing_history(history: &History, snapshot: &SnapshotRef, years: u16) -> Option<String> {
    let wanted = snapshot.year.end_year().saturating_sub(years)..snapshot.year.end_year();
    let missing: Vec<String> = wanted
        .filter(|y| !history.snapshots.iter().any(|(s, _)| s.end_year() == *y))
        .filter_map(|y| crate::year::CollectionYear::new(y).ok())
        .map(period::year_label)
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "history incomplete: no snapshot of {} in the output root",
            missing.join(", ")
        )
    })
}

fn figure(
    base: &FigureRow,
    indicator: &Indicator,
    period: &Period,
    tally: &Tally,
    population: Option<&(f64, u16, String)>,
    notes: &[String],
) -> FigureRow {
    let mut notes = notes.to_vec();
    notes.extend(tally.note.clone());
    let mut denominator = tally.denominator;
    if indicator.unit == indicators::Unit::RatePer10k {
        match population {
            Some((people, mid_year, edition)) => {
                denominator = Some(*people);
                if *mid_year + 1 != period.year.end_year() {
                    notes.push(format!(
                        "population: ONS mid-{mid_year} estimate ({edition}), the latest available"
                    ));
                }
            }
            None => notes.push(
                "no population: the snapshot does not name a known LA (set la.code in the pipeline)"
                    .into(),
            ),
        }
    }
    let value = indicator
        .value(tally, population.map(|p| p.0))
        .map(|v| benchmarks::round_dp(v, indicator.decimal_places));
    FigureRow {
        indicator: indicator.id.to_string(),
        indicator_name: indicator.name.to_string(),
        section: indicator.section.title().to_string(),
        breakdown: tally.breakdown.clone(),
        period_type: period.kind.as_str().to_string(),
        period: period.label.clone(),
        period_start: period.start,
        period_end: period.end,
        value,
        numerator: Some(tally.numerator),
        denominator,
        unit: indicator.unit.as_str().to_string(),
        decimal_places: indicator.decimal_places,
        polarity: indicator.polarity.as_str().to_string(),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
        ..base.clone()
    }
}

fn split(cell: Published) -> (Option<f64>, Option<String>) {
    match cell {
        Published::Value(v) => (Some(v), None),
        Published::Symbol(s) => (None, Some(s.code().to_string())),
    }
}

/// Copies a comparison into a figure's benchmark columns.
fn attach(row: &mut FigureRow, c: &Comparison, indicator: &Indicator) {
    row.benchmark_series = Some(c.series.clone());
    row.benchmark_year = Some(c.year);
    row.benchmark_edition = Some(c.editions.join(","));
    (row.published_value, row.published_symbol) = split(c.la);
    (row.england, row.england_symbol) = split(c.england);
    row.region_name = Some(c.region_name.clone()).filter(|n| !n.is_empty());
    (row.region, row.region_symbol) = split(c.region);
    let sn = &c.neighbours;
    row.sn_model = Some(sn.model.label().to_string());
    row.sn_mean = sn
        .mean
        .map(|m| benchmarks::round_dp(m, indicator.decimal_places + 2));
    row.sn_median = sn.median;
    row.sn_used = u16::try_from(sn.used).ok();
    row.sn_ignored = u16::try_from(sn.ignored).ok();
    row.sn_best_la = sn
        .best
        .as_ref()
        .map(|(number, name, _)| format!("{name} ({number})"));
    row.sn_best_value = sn.best.as_ref().map(|(_, _, v)| *v);
    row.rank = c.rank.and_then(|(r, _)| u16::try_from(r).ok());
    row.rank_of = c.rank.and_then(|(_, n)| u16::try_from(n).ok());
    row.quartile = c.quartile.map(String::from);
    row.published_direction = c.direction.map(|d| {
        [d.movement(), d.judgement()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    });
}

/// Computes a snapshot's figures and writes them beside it, replacing any earlier ones.
pub fn write_for_snapshot(
    store: &SnapshotStore,
    snapshot: &SnapshotRef,
    benchmarks: &Benchmarks,
    as_of: Option<NaiveDate>,
) -> Result<PathBuf, FiguresError> {
    let rows = compute_for_snapshot(store, snapshot, benchmarks, as_of)?;
    let path = figures_path(store, snapshot);
    write_rows(&rows, &path)?;
    Ok(path)
}

fn write_rows(rows: &[FigureRow], path: &Path) -> Result<(), FiguresError> {
    let io = |context: String| move |source| FiguresError::Io { context, source };
    let folder = path.parent().expect("figures live in a folder");
    fsutil::create_private_dir_all(folder).map_err(io(format!("creating {}", folder.display())))?;
    let staged = fsutil::temporary_sibling(path);
    let written = frame::write_parquet(&mut frame::figures_frame(rows)?, &staged);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&staged);
        return Err(e.into());
    }
    std::fs::rename(&staged, path)
        .map_err(io(format!("moving figures into {}", path.display())))?;
    fsutil::sync_dir(folder).map_err(io(format!("flushing {}", folder.display())))
}

/// A snapshot's figures, if they have been computed.
pub fn read_for_snapshot(
    store: &SnapshotStore,
    snapshot: &SnapshotRef,
) -> Result<Option<Vec<FigureRow>>, FiguresError> {
    let path = figures_path(store, snapshot);
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(frame::figure_rows(&frame::read_parquet(&path)?)?))
}

/// A snapshot's figures, computing and writing them first if they are missing.
pub fn ensure_for_snapshot(
    store: &SnapshotStore,
    snapshot: &SnapshotRef,
    benchmarks: &Benchmarks,
) -> Result<Vec<FigureRow>, FiguresError> {
    if let Some(rows) = read_for_snapshot(store, snapshot)? {
        return Ok(rows);
    }
    write_for_snapshot(store, snapshot, benchmarks, None)?;
    Ok(read_for_snapshot(store, snapshot)?.unwrap_or_default())
}

/// Every figures file under the output root, for SQL over all snapshots.
pub fn all_figure_files(store: &SnapshotStore) -> Result<Vec<PathBuf>, FiguresError> {
    let mut files = Vec::new();
    for (return_kind, year) in store.return_years()? {
        for snapshot in store.list(return_kind, year)? {
            let path = figures_path(store, &snapshot);
            if path.exists() {
                files.push(path);
            }
        }
    }
    Ok(files)
}

/// For each return and year in the output root: the figures of its latest validated snapshot and,
/// when a later snapshot is not validated, that one's provisional figures. Computes any missing.
pub fn outturns(
    store: &SnapshotStore,
    benchmarks: &Benchmarks,
) -> Result<Vec<FigureRow>, FiguresError> {
    let mut rows = Vec::new();
    for (return_kind, year) in store.return_years()? {
        let snapshots = store.list(return_kind, year)?;
        let mut validated: Option<SnapshotRef> = None;
        let mut latest: Option<SnapshotRef> = None;
        for snapshot in snapshots {
            if snapshot.manifest()?.issues.is_validated() {
                validated = Some(snapshot.clone());
            }
            latest = Some(snapshot);
        }
        if let Some(snapshot) = &validated {
            rows.extend(ensure_for_snapshot(store, snapshot, benchmarks)?);
        }
        if let Some(snapshot) = latest.filter(|l| validated.as_ref().is_none_or(|v| v.id != l.id)) {
            rows.extend(ensure_for_snapshot(store, &snapshot, benchmarks)?);
        }
    }
    Ok(rows)
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::{TestSnapshot, d};
    use super::*;

    fn find<'a>(rows: &'a [FigureRow], indicator: &str, period: &str) -> &'a FigureRow {
        rows.iter()
            .find(|r| r.indicator == indicator && r.period == period && r.breakdown.is_none())
            .unwrap_or_else(|| panic!("no {indicator} for {period}"))
    }

    fn referral(snapshot: TestSnapshot, child: &str, id: &str, date: &str) -> TestSnapshot {
        snapshot.row(
            "cin_details",
            &[
                ("LAchildID", child),
                ("CINdetailsID", id),
                ("CINreferralDate", date),
                ("ReferralNFA", "false"),
            ],
        )
    }

    #[test]
    fn figures_are_validated_only_without_errors_and_carry_their_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let benchmarks = Benchmarks::shipped();
        let clean = referral(
            TestSnapshot::new(ReturnKind::Cin, 2025),
            "A",
            "1",
            "2024-06-01",
        )
        .id("20250501T000000Z-0001")
        .write(&store);
        let rows = compute_for_snapshot(&store, &clean, &benchmarks, None).unwrap();
        let referrals = find(&rows, "FD02", "2024-25");
        assert_eq!(referrals.status, "validated");
        assert_eq!(referrals.snapshot_id, clean.id);
        assert_eq!(referrals.value, Some(1.0));
        let with_errors = referral(
            TestSnapshot::new(ReturnKind::Cin, 2025),
            "A",
            "1",
            "2024-06-01",
        )
        .id("20250502T000000Z-0002")
        .errors(2)
        .write(&store);
        let rows = compute_for_snapshot(&store, &with_errors, &benchmarks, None).unwrap();
        let referrals = find(&rows, "FD02", "2024-25");
        assert_eq!(
            (referrals.status.as_str(), referrals.errors_outstanding),
            ("provisional", 2)
        );
    }

    #[test]
    fn re_referrals_look_back_into_last_years_snapshot_and_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let benchmarks = Benchmarks::shipped();
        let before = referral(
            TestSnapshot::new(ReturnKind::Cin, 2024),
            "A",
            "1",
            "2023-09-01",
        )
        .write(&store);
        let this = referral(
            referral(
                TestSnapshot::new(ReturnKind::Cin, 2025),
                "A",
                "1",
                "2024-08-01",
            ),
            "B",
            "1",
            "2024-08-01",
        )
        .write(&store);
        let rows = compute_for_snapshot(&store, &this, &benchmarks, None).unwrap();
        let rereferrals = find(&rows, "FD03", "2024-25");
        assert_eq!(
            (rereferrals.numerator, rereferrals.denominator),
            (Some(1.0), Some(2.0))
        );
        assert_eq!(rereferrals.value, Some(50.0));
        assert_eq!(
            rereferrals.history_snapshots.as_deref(),
            Some(before.id.as_str())
        );
        assert_eq!(rereferrals.note, None);
        // Without last year's snapshot the figure says its history is incomplete.
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let alone = referral(
            TestSnapshot::new(ReturnKind::Cin, 2025),
            "A",
            "1",
            "2024-08-01",
        )
        .write(&store);
        let rows = compute_for_snapshot(&store, &alone, &benchmarks, None).unwrap();
        let note = find(&rows, "FD03", "2024-25").note.clone().unwrap();
        assert!(note.contains("no snapshot of 2023-24"), "{note}");
    }

    #[test]
    fn rates_use_the_las_population_and_benchmarks_sit_beside_the_figure() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let benchmarks = Benchmarks::shipped();
        let mut snapshot = TestSnapshot::new(ReturnKind::Cin, 2025);
        for (i, child) in ["A", "B", "C", "D"].iter().enumerate() {
            snapshot = referral(snapshot, child, "1", &format!("2024-0{}-01", i + 5));
        }
        let snapshot = snapshot.write(&store);
        let rows = compute_for_snapshot(&store, &snapshot, &benchmarks, None).unwrap();
        let rate = find(&rows, "FD02R", "2024-25");
        // 4 referrals / 44,412 children in Wokingham (mid-2024) × 10,000 = 0.9.
        assert_eq!(rate.denominator, Some(44_412.0));
        assert_eq!(rate.value, Some(0.9));
        assert_eq!(rate.note, None);
        let rereferrals = find(&rows, "FD03", "2024-25");
        assert_eq!(rereferrals.benchmark_year, Some(2025));
        assert_eq!(rereferrals.published_value, Some(16.8));
        assert_eq!(rereferrals.england, Some(22.6));
        assert_eq!(rereferrals.region_name.as_deref(), Some("South East"));
        assert_eq!(rereferrals.region, Some(28.4));
        assert_eq!(rereferrals.sn_mean, Some(19.37));
        assert_eq!(rereferrals.sn_median, Some(19.4));
        assert_eq!(
            (rereferrals.sn_used, rereferrals.sn_ignored),
            (Some(10), Some(0))
        );
        assert_eq!(rereferrals.quartile.as_deref(), Some("A"));
        assert_eq!(
            rereferrals.benchmark_edition.as_deref(),
            Some("cin_c1@dfe-2025")
        );
        // Monthly figures have no benchmark of their own but keep the year's for reference.
        let may = find(&rows, "FD02", "2024-05");
        assert_eq!(may.value, Some(1.0));
        assert_eq!(may.period_type, "month");
        // Without an LA there is no population and no benchmark: blank, with the reason.
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let anonymous = referral(
            TestSnapshot::new(ReturnKind::Cin, 2025),
            "A",
            "1",
            "2024-06-01",
        )
        .without_la()
        .write(&store);
        let rows = compute_for_snapshot(&store, &anonymous, &benchmarks, None).unwrap();
        let rate = find(&rows, "FD02R", "2024-25");
        assert_eq!(rate.value, None);
        assert!(rate.note.as_deref().unwrap().contains("la.code"));
        assert_eq!(find(&rows, "FD03", "2024-25").england, None);
    }

    #[test]
    fn an_in_year_snapshot_gives_year_to_date_and_completed_periods_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let snapshot = referral(
            TestSnapshot::new(ReturnKind::Cin, 2026),
            "A",
            "1",
            "2025-05-01",
        )
        .taken(d(2025, 8, 15))
        .write(&store);
        let rows = compute_for_snapshot(&store, &snapshot, &Benchmarks::shipped(), None).unwrap();
        let periods: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.period.as_str()).collect();
        assert_eq!(
            periods.into_iter().collect::<Vec<_>>(),
            [
                "2025-04",
                "2025-05",
                "2025-06",
                "2025-07",
                "2025-26 Q1",
                "2025-26 YTD"
            ]
        );
        let ytd = find(&rows, "FD02", "2025-26 YTD");
        assert_eq!(ytd.period_end, d(2025, 8, 15));
        // 2025-26 has no published figures yet: the latest year (2025) is the benchmark.
        assert_eq!(
            find(&rows, "FD03", "2025-26 YTD").benchmark_year,
            Some(2025)
        );
        let rate = find(&rows, "FD02R", "2025-26 YTD");
        assert!(
            rate.note.as_deref().unwrap().contains("mid-2024"),
            "{:?}",
            rate.note
        );
    }

    #[test]
    fn looked_after_figures_from_a_903_snapshot_skip_short_breaks_and_follow_x1() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let episode = |s: TestSnapshot,
                       child: &str,
                       decom: &str,
                       rne: &str,
                       ls: &str,
                       dec: &str,
                       rec: &str| {
            s.row(
                "episodes",
                &[
                    ("CHILD", child),
                    ("DECOM", decom),
                    ("RNE", rne),
                    ("LS", ls),
                    ("CIN", "N1"),
                    ("PLACE", "U4"),
                    ("PLACE_PROVIDER", "PR1"),
                    ("DEC", dec),
                    ("REC", rec),
                ],
            )
        };
        let mut s = TestSnapshot::new(ReturnKind::Ssda903, 2025);
        s = episode(s, "BREAK", "2025-03-20", "S", "V3", "", "");
        s = episode(s, "X", "2024-05-01", "S", "V2", "2024-08-01", "X1");
        s = episode(s, "X", "2024-08-01", "L", "C2", "", "");
        for child in ["BREAK", "X"] {
            s = s.row(
                "header",
                &[
                    ("CHILD", child),
                    ("SEX", "F"),
                    ("DOB", "2015-01-01"),
                    ("ETHNIC", "WBRI"),
                    ("UPN", "UN1"),
                ],
            );
        }
        let snapshot = s.write(&store);
        let rows = compute_for_snapshot(&store, &snapshot, &Benchmarks::shipped(), None).unwrap();
        assert_eq!(find(&rows, "LA01", "2024-25").value, Some(1.0));
        assert_eq!(find(&rows, "LA03", "2024-25").value, Some(1.0));
        assert_eq!(find(&rows, "LA04", "2024-25").value, Some(0.0));
        // 1 / 44,412 × 10,000 = 0.2, a whole number for CLA rates.
        assert_eq!(find(&rows, "LA02", "2024-25").value, Some(0.0));
        let la02 = find(&rows, "LA02", "2024-25");
        assert_eq!(
            (la02.england, la02.published_value),
            (Some(67.0), Some(34.0))
        );
        assert_eq!(find(&rows, "LA01", "2024-25 Q1").value, Some(1.0));
        assert_eq!(find(&rows, "LA01", "2024-04").value, Some(0.0));
    }

    #[test]
    fn figures_are_written_beside_the_snapshot_and_read_back_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let benchmarks = Benchmarks::shipped();
        let snapshot = referral(
            TestSnapshot::new(ReturnKind::Cin, 2025),
            "A",
            "1",
            "2024-06-01",
        )
        .write(&store);
        assert_eq!(read_for_snapshot(&store, &snapshot).unwrap(), None);
        let path = write_for_snapshot(&store, &snapshot, &benchmarks, None).unwrap();
        assert_eq!(path, figures_path(&store, &snapshot));
        assert!(path.ends_with(format!(
            "figures/return=cin/year=2025/snapshot={}/figures.parquet",
            snapshot.id
        )));
        let back = read_for_snapshot(&store, &snapshot).unwrap().unwrap();
        let again = compute_for_snapshot(&store, &snapshot, &benchmarks, None).unwrap();
        assert_eq!(back.len(), again.len());
        for (a, b) in back.iter().zip(&again) {
            assert_eq!(
                FigureRow {
                    computed_at: String::new(),
                    ..a.clone()
                },
                FigureRow {
                    computed_at: String::new(),
                    ..b.clone()
                }
            );
        }
        // Rewriting replaces the file in one step.
        write_for_snapshot(&store, &snapshot, &benchmarks, None).unwrap();
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
}
