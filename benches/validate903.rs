//! Full SSDA903 validation of a synthetic return with its previous year — ingest, structural
//! checks, postcode-derived fields, every rule of the year, snapshot with reports — timed stage by
//! stage and end to end, then the reference validator on the same files in the same run.
//!
//! ```text
//! csc-returns synth --return ssda903 --children 50000 --year 2026 --out /tmp/bench903
//! BENCH_903_DATA=/tmp/bench903 cargo bench --bench validate903
//! ```
//!
//! `BENCH_903_YEAR` picks the collection year (default 2026), `BENCH_903_LA` the LA (default
//! E08000003, the generator's). The reference validator runs when `.oracle/903/bin/python`
//! exists (see BENCHMARKS.md) or `BENCH_903_ORACLE` names its Python; `BENCH_903_ORACLE=none`
//! skips it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use csc_returns::ingest::dataset::{self, Dataset, LoadRequest};
use csc_returns::ingest::sources;
use csc_returns::issue::IssueSink;
use csc_returns::pipeline::config::{LaConfig, PipelineConfig, ReturnConfig};
use csc_returns::pipeline::run;
use csc_returns::rules::ssda903::context::{Context, Placements, PostcodeReference};
use csc_returns::rules::ssda903::{self, Ssda903};
use csc_returns::schema::{ReturnKind, SchemaSet};
use csc_returns::source::Role;
use csc_returns::year::CollectionYear;

fn main() {
    let data = PathBuf::from(std::env::var("BENCH_903_DATA").unwrap_or_else(|_| {
        panic!("set BENCH_903_DATA to a folder written by `csc-returns synth --return ssda903`")
    }));
    let year = CollectionYear::new(
        std::env::var("BENCH_903_YEAR")
            .ok()
            .and_then(|y| y.parse().ok())
            .unwrap_or(2026),
    )
    .expect("a collection year");
    let la = std::env::var("BENCH_903_LA").unwrap_or_else(|_| "E08000003".into());
    let this_dir = data.join("ssda903").join(folder(year));
    let previous_dir = data.join("ssda903").join(folder(year.previous()));

    let ours = staged(&this_dir, &previous_dir, year, &la);
    let end_to_end = pipeline(&this_dir, &previous_dir, year, &la);
    println!("csc-returns, end to end (`csc-returns run`): {end_to_end:.2?}");
    println!("peak memory: {}", peak_memory());

    match oracle_python() {
        Some(python) => {
            let (seconds, detail) = oracle(&python, &this_dir, &previous_dir, year, &la);
            println!("reference validator: {seconds:.1} s ({detail})");
            println!(
                "ratio: {:.0}x (reference / csc-returns end to end); {:.0}x against the staged validation",
                seconds / end_to_end.as_secs_f64(),
                seconds / ours.as_secs_f64()
            );
        }
        None => println!("reference validator: not run (see BENCHMARKS.md to install it)"),
    }
}

/// The synthetic generator's folder name for a year: `2025-26`.
fn folder(year: CollectionYear) -> String {
    let end = year.end_year();
    format!("{}-{:02}", end - 1, end % 100)
}

fn timed<T>(label: &str, work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = work();
    let took = started.elapsed();
    println!("  {label:<44} {took:>10.2?}");
    (value, took)
}

/// Each stage of the validation on its own, without writing anything; returns the total.
fn staged(this_dir: &Path, previous_dir: &Path, year: CollectionYear, la: &str) -> Duration {
    let schemas = SchemaSet::embedded().expect("embedded schemas");
    let run_id: Arc<str> = "bench".into();
    let load = |dir: &Path, year: CollectionYear, role: Role| -> (Dataset, IssueSink) {
        let request = LoadRequest {
            return_kind: ReturnKind::Ssda903,
            year: Some(year),
            role,
            files: sources::expand(&[dir.display().to_string()], Path::new("."))
                .expect("input files"),
        };
        dataset::load(&request, &schemas, &run_id).expect("a dataset")
    };
    println!("csc-returns, by stage:");
    let ((this, mut sink), ingest) = timed("ingest + structural checks, this year", || {
        load(this_dir, year, Role::ThisYear)
    });
    let ((previous, _), ingest_previous) = timed("ingest, previous year", || {
        load(previous_dir, year.previous(), Role::PreviousYear)
    });
    let (placements, derive) = timed("postcode look-up + PL_LA/PL_LOCATION/PL_DISTANCE", || {
        let reference = PostcodeReference::builtin().expect("postcode reference");
        Placements::derive(&reference, &this, Some(&previous), Some(la)).expect("derived")
    });
    let context = Context {
        placements: Some(placements),
        providers: None,
    };
    let (outcome, rules) = timed("rules (grouping by child + every rule)", || {
        let data = Ssda903::new(&this, Some(&previous), Some(la)).with_context(&context);
        ssda903::validate(&data, &mut sink)
    });
    println!(
        "  rows: {} this year, {} previous year; {} rules ran, {} skipped, {} findings",
        this.row_count(),
        previous.row_count(),
        outcome.ran.len(),
        outcome.skipped.len(),
        sink.issues().len()
    );
    ingest + ingest_previous + derive + rules
}

/// What the nightly run does, snapshot and reports included.
fn pipeline(this_dir: &Path, previous_dir: &Path, year: CollectionYear, la: &str) -> Duration {
    let output = tempfile::tempdir().expect("a temporary folder");
    let config = PipelineConfig::ad_hoc(
        Some(LaConfig {
            code: la.to_string(),
            number: None,
            name: None,
        }),
        output.path().to_path_buf(),
        vec![ReturnConfig {
            return_kind: ReturnKind::Ssda903,
            year: Some(year),
            sources: vec![this_dir.display().to_string()],
            previous_year: vec![previous_dir.display().to_string()],
            provider_lists: Vec::new(),
        }],
    )
    .expect("a pipeline");
    let started = Instant::now();
    let outcome = run::run(&config).expect("the run");
    let took = started.elapsed();
    assert!(outcome.succeeded(), "the run failed: {outcome:?}");
    took
}

fn oracle_python() -> Option<PathBuf> {
    match std::env::var("BENCH_903_ORACLE") {
        Ok(value) if value == "none" => None,
        Ok(value) => Some(PathBuf::from(value)),
        Err(_) => {
            let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".oracle/903/bin/python");
            venv.exists().then_some(venv)
        }
    }
}

/// Runs the reference validator on the same files: (seconds, what it reported about itself).
fn oracle(
    python: &Path,
    this_dir: &Path,
    previous_dir: &Path,
    year: CollectionYear,
    la: &str,
) -> (f64, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/oracle_903.py");
    let started = Instant::now();
    let output = std::process::Command::new(python)
        .arg(script)
        .arg(this_dir)
        .arg(previous_dir)
        .args(["--year", &year.end_year().to_string(), "--la", la])
        .output()
        .expect("the reference validator starts");
    let wall = started.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "the reference validator failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    (wall, format!("process wall time; it reports {report}"))
}

/// Peak resident memory of this process (Linux), which includes both runs of ours.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))?
                .to_string();
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{} MiB", kib / 1024))
        })
        .unwrap_or_else(|| "unknown".into())
}
