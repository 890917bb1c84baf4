//! End-to-end benchmark of a nightly run's core: ingest, structural checks, (optionally) the DfE
//! rules, and the Parquet snapshot, for a large synthetic SSDA903 (with its previous year) and a
//! large synthetic CIN census. Targets on 2 cores: ≤ 1 s and ≤ 300 MB peak each, without rules.
//!
//! ```sh
//! cargo bench --bench pipeline                       # 50,000 children per return
//! cargo bench --bench pipeline -- --children 5000 --rules
//! cargo bench --bench pipeline -- --return cin --rules --oracle 3000
//! ```
//!
//! Each measurement runs in a fresh process (this binary re-invoked with `--measure`), so that its
//! peak memory (VmHWM) is its own and not the generator's.
//!
//! With `--rules` the SSDA903 measurement is the full validation: the postcode look-up and the
//! derived PL_LA / PL_LOCATION / PL_DISTANCE for both years (timed on their own line too), the
//! generator's Ofsted provider lists, every rule of the year, and the snapshot with the derived
//! columns. The reference validator gets the same provider lists.
//!
//! `--oracle N` also times the reference validators (installed by `tests/oracle/setup.sh`): the
//! SSDA903 one (`csc-validator-be-903` 0.1.17, `tests/oracle/run_903.py`, every rule of the year in
//! sequence as its users run it, with the previous year) on the same 903 files as csc-returns; and
//! the CIN one (`csc-validator-be-cin` 0.1.13) on an N-child census — its XML flattening is
//! quadratic, so N stays near 3,000 — and csc-returns on the same file. It prints the ratios.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use csc_returns::frame::ExtraColumn;
use csc_returns::ingest::dataset::{self, Dataset, LoadRequest};
use csc_returns::ingest::sources;
use csc_returns::issue::IssueSink;
use csc_returns::rules;
use csc_returns::rules::ssda903::context::{Context, Placements, PostcodeReference, ProviderLists};
use csc_returns::schema::{ReturnKind, SchemaSet};
use csc_returns::snapshot::{RunInfo, SnapshotStore};
use csc_returns::source::Role;
use csc_returns::synth::ssda903::ofsted;
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
    let kinds: Vec<&str> = match option(&args, "--return") {
        Some(kind @ ("ssda903" | "cin")) => vec![kind],
        Some(other) => panic!("--return {other}: use ssda903 or cin"),
        None => vec!["ssda903", "cin"],
    };
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
            returns: kinds
                .iter()
                .map(|k| ReturnKind::parse(k).expect("a return"))
                .collect(),
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
    let what = if with_rules {
        "ingest + structural + rules + snapshot"
    } else {
        "ingest + structural + snapshot"
    };
    println!("| measurement | children | rows | seconds | peak memory (MB) |");
    println!("|---|---|---|---|---|");
    let mut cin_seconds = None;
    let oracle = option(&args, "--oracle");
    for kind in kinds {
        let m = measured(kind, &data, with_rules);
        println!(
            "| {kind}: {what} | {children} | {} | {:.2} | {} |",
            m.rows, m.seconds, m.peak
        );
        for (part, seconds) in &m.parts {
            println!("| {kind}: of which {part} | | | {seconds} | |");
        }
        if kind == "cin" {
            cin_seconds = Some(m.seconds);
        }
        if kind == "ssda903" && oracle.is_some() {
            compare_903_with_oracle(&data, children, &m);
        }
    }
    if let Some(oracle_children) = oracle {
        let oracle_children: usize = oracle_children.parse().expect("--oracle N");
        let per_child = cin_seconds.map(|s| (s, children));
        compare_with_oracle(&scratch.path().join("oracle"), oracle_children, per_child);
    }
}

/// One measurement's results.
struct Measured {
    rows: String,
    seconds: f64,
    peak: String,
    /// Parts of the work timed on their own: (what, seconds).
    parts: Vec<(String, String)>,
}

/// Measures `kind` on `data` in a fresh process.
fn measured(kind: &str, data: &Path, with_rules: bool) -> Measured {
    let mut command = Command::new(std::env::current_exe().expect("this binary"));
    command.args(["--measure", kind]).arg(data);
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
    let parts = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("part\t")?.split_once('\t'))
        .map(|(what, seconds)| (what.to_string(), seconds.to_string()))
        .collect();
    Measured {
        rows: fields[0].to_string(),
        seconds: fields[1].parse().expect("seconds"),
        peak: fields[2].to_string(),
        parts,
    }
}

/// Installs the reference validators' environments under `.oracle/` (tests/oracle/setup.sh
/// leaves working ones alone) and returns the repository root they live in.
fn install_oracles() -> &'static Path {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let setup = Command::new("bash")
        .arg(root.join("tests/oracle/setup.sh"))
        .output()
        .expect("bash runs tests/oracle/setup.sh");
    assert!(
        setup.status.success(),
        "tests/oracle/setup.sh failed (it needs Python 3.10 or 3.11 and access to PyPI):\n{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    root
}

/// Times the SSDA903 reference validator on the same files csc-returns just validated (this year
/// and the previous year), and prints its time, its peak memory and the ratio.
fn compare_903_with_oracle(data: &Path, children: usize, ours: &Measured) {
    let root = install_oracles();
    let started = Instant::now();
    // Through a one-line wrapper that reports the runner's peak memory when it has finished
    // (ru_maxrss, KiB on Linux).
    let output = Command::new(root.join(".oracle/903/bin/python"))
        .arg("-c")
        .arg(
            "import resource, runpy, sys; sys.argv = sys.argv[1:]; \
             runpy.run_path(sys.argv[0], run_name='__main__'); \
             print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)",
        )
        .arg(root.join("tests/oracle/run_903.py"))
        .arg(data)
        .args([
            "--year",
            &YEAR.to_string(),
            "--la",
            LA,
            "--mode",
            "sequence",
        ])
        .args(
            provider_lists(data)
                .iter()
                .zip(["--ch-lookup", "--scp-lookup"])
                .flat_map(|(list, option)| [option.into(), list.clone().into_os_string()]),
        )
        .arg("--output")
        .arg(data.join("oracle-903.json"))
        .output()
        .expect("the reference validator runs");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the reference validator failed: {stderr}"
    );
    let peak = stderr.lines().last().unwrap_or("n/a").trim();
    println!(
        "| ssda903: reference validator 0.1.17, every rule in sequence, previous year | {children} | {} | {seconds:.1} | {peak} |",
        ours.rows
    );
    println!(
        "| ssda903: reference validator / csc-returns on the same files | | | {:.0}× | |",
        seconds / ours.seconds
    );
}

/// Times the CIN reference validator on an `children`-child census and csc-returns on the same
/// file, and prints both ratios: on that file, and per child against csc-returns' own large run
/// (`large`: its seconds and children).
fn compare_with_oracle(dir: &Path, children: usize, large: Option<(f64, usize)>) {
    let root = install_oracles();
    let options = Options {
        out: dir.to_path_buf(),
        children,
        seed: 1,
        year: CollectionYear::new(YEAR).unwrap(),
        returns: vec![ReturnKind::Cin],
        la: LA.into(),
        structural_error_rate: 0.0,
        inject: Vec::new(),
    };
    synth::generate(&options).expect("synthetic data");
    let ours = measured("cin", dir, true);
    let started = Instant::now();
    let output = Command::new(root.join(".oracle/cin/bin/python"))
        .arg(root.join("tests/oracle/run_cin.py"))
        .arg(dir)
        .args(["--year", &YEAR.to_string(), "--output"])
        .arg(dir.join("oracle.json"))
        .output()
        .expect("the reference validator runs");
    let oracle_seconds = started.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "the reference validator failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    println!(
        "| cin: ingest + structural + rules + snapshot | {children} | {} | {:.2} | {} |",
        ours.rows, ours.seconds, ours.peak
    );
    println!(
        "| cin: reference validator 0.1.13, flatten + all its rules | {children} | | {oracle_seconds:.2} | |"
    );
    println!();
    println!(
        "Same {children}-child census: the reference validator takes {:.0}× as long as csc-returns.",
        oracle_seconds / ours.seconds
    );
    if let Some((seconds, large_children)) = large {
        let oracle_per_child = oracle_seconds / children as f64;
        let ours_per_child = seconds / large_children as f64;
        println!(
            "Per child: the reference validator at {children} children takes {:.0}× as long as csc-returns at {large_children} (its time per child grows with the census).",
            oracle_per_child / ours_per_child
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
            let mut derived = Vec::new();
            if with_rules {
                let looking_up = Instant::now();
                let reference = PostcodeReference::builtin().expect("the postcode reference");
                let placements = Placements::derive(&reference, &this, Some(&previous), Some(LA))
                    .expect("derived placement fields");
                eprintln!(
                    "part\tpostcode look-up and PL_LA/PL_LOCATION/PL_DISTANCE, both years\t{:.2}",
                    looking_up.elapsed().as_secs_f64()
                );
                derived.push(("Episodes", placements.snapshot_columns()));
                let reading_lists = Instant::now();
                let (providers, _) =
                    ProviderLists::load(&provider_lists(data), Some(&reference), &mut sink);
                eprintln!(
                    "part\tOfsted provider lists ({} URNs)\t{:.2}",
                    providers.as_ref().map_or(0, ProviderLists::len),
                    reading_lists.elapsed().as_secs_f64()
                );
                let context = Context {
                    placements: Some(placements),
                    providers,
                };
                rules::ssda903::validate(
                    &rules::ssda903::Ssda903::new(&this, Some(&previous), Some(LA))
                        .with_context(&context),
                    &mut sink,
                );
            }
            let rows = this.row_count() + previous.row_count();
            snapshot(&output, &this, &derived, sink, &run_id);
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
            snapshot(&output, &census, &[], sink, &run_id);
            (census, rows)
        }
        other => panic!("unknown measurement {other}"),
    };
    let seconds = started.elapsed().as_secs_f64();
    drop(dataset);
    println!("{rows}\t{seconds:.2}\t{}", peak_megabytes());
}

/// The Ofsted children's homes and social care providers lists the generator writes, in the
/// order the reference validator's `--ch-lookup` and `--scp-lookup` take them.
fn provider_lists(data: &Path) -> [PathBuf; 2] {
    let folder = data.join(ofsted::FOLDER);
    [
        folder.join(ofsted::CHILDRENS_HOMES),
        folder.join(ofsted::SOCIAL_CARE_PROVIDERS),
    ]
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

fn snapshot(
    output: &tempfile::TempDir,
    dataset: &Dataset,
    derived: &[(&str, Vec<ExtraColumn>)],
    sink: IssueSink,
    run_id: &Arc<str>,
) {
    let run = RunInfo {
        run_id: run_id.to_string(),
        pipeline: None,
        started_at: chrono::Utc::now(),
        la_code: Some(LA.into()),
        previous_year: None,
        extra_inputs: Vec::new(),
        postcode_reference: None,
        rules: None,
    };
    let issues = sink.into_issues();
    SnapshotStore::new(output.path())
        .write_with_columns(&run, dataset, derived, &issues, |_| Ok(()))
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
