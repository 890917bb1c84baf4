//! End-to-end benchmark of a nightly run's core: ingest, structural checks, (optionally) the DfE
//! rules, and the Parquet snapshot, for a large synthetic SSDA903 (with its previous year) and a
//! large synthetic CIN census. Targets on 2 cores: ≤ 1 s and ≤ 300 MB peak each, without rules.
//!
//! ```sh
//! cargo bench --bench pipeline                       # 50,000 children per return
//! cargo bench --bench pipeline -- --children 5000 --rules
//! ```
//!
//! Each measurement runs in a fresh process (this binary re-invoked with `--measure`), so that its
//! peak memory (VmHWM) is its own and not the generator's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use csc_returns::ingest::dataset::{self, Dataset, LoadRequest};
use csc_returns::ingest::sources;
use csc_returns::issue::IssueSink;
use csc_returns::rules;
use csc_returns::schema::{ReturnKind, SchemaSet};
use csc_returns::snapshot::{RunInfo, SnapshotStore};
use csc_returns::source::Role;
use csc_returns::synth::{self, Options};
use csc_returns::year::CollectionYear;

const YEAR: u16 = 2026;
const LA: &str = "E08000003";

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let Some(position) = args.iter().position(|a| a == "--measure") {
        let kind = &args[position + 1];
        let data = PathBuf::from(&args[position + 2]);
        let with_rules = args.iter().any(|a| a == "--rules");
        measure(kind, &data, with_rules);
        return;
    }
    let children: usize =
        option(&args, "--children").map_or(50_000, |n| n.parse().expect("--children N"));
    let with_rules = args.iter().any(|a| a == "--rules");
    let kept = option(&args, "--data").map(PathBuf::from);
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let data = kept.clone().unwrap_or_else(|| scratch.path().join("data"));
    if !data.join("synth-manifest.json").exists() {
        let started = Instant::now();
        let options = Options {
            out: data.clone(),
            children,
            seed: 1,
            year: CollectionYear::new(YEAR).unwrap(),
            returns: ReturnKind::ALL.to_vec(),
            la: LA.into(),
            structural_error_rate: 0.0,
            inject: Vec::new(),
        };
        synth::generate(&options).expect("synthetic data");
        eprintln!(
            "generated {children} children per return in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    println!("| measurement | children | rows | seconds | peak memory (MB) |");
    println!("|---|---|---|---|---|");
    for kind in ["ssda903", "cin"] {
        let mut command = Command::new(std::env::current_exe().expect("this binary"));
        command.args(["--measure", kind]).arg(&data);
        if with_rules {
            command.arg("--rules");
        }
        let output = command.output().expect("the measurement process runs");
        assert!(
            output.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let line = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<&str> = line.trim().split('\t').collect();
        let what = if with_rules {
            "ingest + structural + rules + snapshot"
        } else {
            "ingest + structural + snapshot"
        };
        println!(
            "| {kind}: {what} | {children} | {} | {} | {} |",
            fields[0], fields[1], fields[2]
        );
    }
}

fn option<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// One measurement in this process: prints rows, seconds and peak MB, tab-separated.
fn measure(kind: &str, data: &Path, with_rules: bool) {
    let schemas = SchemaSet::embedded().unwrap();
    let run_id: Arc<str> = "bench".into();
    let year = CollectionYear::new(YEAR).unwrap();
    let output = tempfile::tempdir_in(data).expect("an output folder");
    let started = Instant::now();
    let (dataset, rows) = match kind {
        "ssda903" => {
            let (this, mut sink) = load(
                ReturnKind::Ssda903,
                year,
                Role::ThisYear,
                &data.join("ssda903").join(synth::year_folder(YEAR)),
                &schemas,
                &run_id,
            );
            let (previous, _) = load(
                ReturnKind::Ssda903,
                year.previous(),
                Role::PreviousYear,
                &data.join("ssda903").join(synth::year_folder(YEAR - 1)),
                &schemas,
                &run_id,
            );
            if with_rules {
                rules::ssda903::validate(
                    &rules::ssda903::Ssda903::new(&this, Some(&previous), Some(LA)),
                    &mut sink,
                );
            }
            let rows = this.row_count() + previous.row_count();
            snapshot(&output, &this, sink, &run_id);
            (this, rows)
        }
        "cin" => {
            let file = data
                .join("cin")
                .join(format!("cin_{}.xml", synth::year_folder(YEAR)));
            let (census, mut sink) = load(
                ReturnKind::Cin,
                year,
                Role::ThisYear,
                &file,
                &schemas,
                &run_id,
            );
            if with_rules {
                rules::cin::validate(&rules::cin::Cin::new(&census), &mut sink);
            }
            let rows = census.row_count();
            snapshot(&output, &census, sink, &run_id);
            (census, rows)
        }
        other => panic!("unknown measurement {other}"),
    };
    let seconds = started.elapsed().as_secs_f64();
    drop(dataset);
    println!("{rows}\t{seconds:.2}\t{}", peak_megabytes());
}

fn load(
    return_kind: ReturnKind,
    year: CollectionYear,
    role: Role,
    path: &Path,
    schemas: &SchemaSet,
    run_id: &Arc<str>,
) -> (Dataset, IssueSink) {
    let files =
        sources::expand(&[path.display().to_string()], Path::new(".")).expect("synthetic files");
    let request = LoadRequest {
        return_kind,
        year: Some(year),
        role,
        files,
    };
    dataset::load(&request, schemas, run_id).expect("the synthetic return loads")
}

fn snapshot(output: &tempfile::TempDir, dataset: &Dataset, sink: IssueSink, run_id: &Arc<str>) {
    let run = RunInfo {
        run_id: run_id.to_string(),
        pipeline: None,
        started_at: chrono::Utc::now(),
        la_code: Some(LA.into()),
        previous_year: None,
    };
    let issues = sink.into_issues();
    SnapshotStore::new(output.path())
        .write(&run, dataset, &issues, |_| Ok(()))
        .expect("the snapshot is written");
}

/// Peak resident memory of this process, from /proc (Linux).
fn peak_megabytes() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or("n/a".into(), |kb| (kb / 1024).to_string())
}
