//! Time and memory to write issues.csv and the workbook for a 400,000-row Episodes table with a
//! bad date in one row in a hundred. Run: `cargo bench --bench report` (add `--profile dev` to
//! reuse a debug build; its times are several times slower). Set `REPORT_BENCH_ROWS` for
//! another size, `REPORT_BENCH_BAD_EVERY=1` for a bad date in every row (an export in the wrong
//! date format: one issue per row).
//!
//! Memory is the peak resident set while writing, less the resident set before; CPU time is the
//! process's user and system time, which unlike the wall clock does not grow when other jobs share
//! the cores (both Linux only).

use std::sync::Arc;
use std::time::{Duration, Instant};

use csc_returns::ingest::push_row;
use csc_returns::issue::IssueSink;
use csc_returns::report::{Summary, write_issues_csv, write_workbook};
use csc_returns::schema::{ReturnKind, ReturnSchema};
use csc_returns::source::{Role, SourceFile, SourceFormat};
use csc_returns::table::{RowSource, Table};
use csc_returns::year::CollectionYear;

const SCHEMA: &str = r#"
return: ssda903
collection_year: 2026
version: bench
source: synthetic
child_column: CHILD
tables:
  - name: Episodes
    snapshot_name: episodes
    columns:
      - {name: CHILD, type: text, mandatory: true, max_length: 10}
      - {name: DECOM, type: date, format: dd/mm/yyyy, mandatory: true}
      - {name: RNE, type: code, codes: rne, mandatory: true}
      - {name: LS, type: code, codes: ls, mandatory: true}
      - {name: CIN, type: code, codes: cin, mandatory: true}
      - {name: PLACE, type: code, codes: place, mandatory: true}
      - {name: PLACE_PROVIDER, type: code, codes: provider}
      - {name: DEC, type: date, format: dd/mm/yyyy}
      - {name: REC, type: code, codes: rec}
      - {name: REASON_PLACE_CHANGE, type: code, codes: reason}
      - {name: HOME_POST, type: text}
      - {name: PL_POST, type: text}
      - {name: URN, type: text}
code_lists:
  rne: [{code: S, label: s}, {code: P, label: p}, {code: L, label: l}, {code: T, label: t}, {code: B, label: b}, {code: U, label: u}]
  ls: [{code: C2, label: c}, {code: V2, label: v}, {code: E1, label: e}, {code: J2, label: j}]
  cin: [{code: N1, label: n}, {code: N2, label: n}, {code: N3, label: n}, {code: N4, label: n}]
  place: [{code: U1, label: u}, {code: U3, label: u}, {code: U4, label: u}, {code: R1, label: r}, {code: K2, label: k}]
  provider: [{code: PR1, label: p}, {code: PR2, label: p}, {code: PR4, label: p}]
  rec: [{code: E11, label: e}, {code: E12, label: e}, {code: X1, label: x}]
  reason: [{code: CARPL, label: c}, {code: CLOSE, label: c}, {code: OTHER, label: o}]
"#;

fn main() {
    let rows: u32 = std::env::var("REPORT_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400_000);
    let bad_every: u32 = std::env::var("REPORT_BENCH_BAD_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let schema = Arc::new(ReturnSchema::from_yaml("bench.yaml", SCHEMA).expect("bench schema"));
    let files = vec![Arc::new(SourceFile {
        id: 0,
        path: "Episodes.csv".into(),
        format: SourceFormat::Csv,
        role: Role::ThisYear,
        size: 0,
        sha256: "0".repeat(64),
        encoding: None,
    })];
    let year = CollectionYear::new(2026).expect("a year");
    let mut sink = IssueSink::new("bench".into(), ReturnKind::Ssda903, year);
    let mut table = Table::new(schema, 0);
    table.set_layout(0, (0..13).map(Some).collect());

    let started = Instant::now();
    let codes = |n: u32, list: &[&'static str]| list[n as usize % list.len()];
    for i in 0..rows {
        let child = format!("C{:07}", i / 4);
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let decom = if i % bad_every == 0 {
            format!("{day}/{month}/2025")
        } else {
            format!("{day:02}/{month:02}/2025")
        };
        let dec = format!("{:02}/{month:02}/2026", 1 + (i * 7) % 28);
        let postcode = format!("AB{} {}CD", 1 + i % 99, i % 10);
        let urn = format!("SC{:06}", i % 999_983);
        let cells = [
            Some(child.as_str()),
            Some(decom.as_str()),
            Some(codes(i, &["S", "P", "L", "T", "B", "U"])),
            Some(codes(i / 3, &["C2", "V2", "E1", "J2"])),
            Some(codes(i / 5, &["N1", "N2", "N3", "N4"])),
            Some(codes(i / 7, &["U1", "U3", "U4", "R1", "K2"])),
            Some(codes(i / 11, &["PR1", "PR2", "PR4"])),
            Some(dec.as_str()),
            Some(codes(i / 13, &["E11", "E12", "X1"])),
            Some(codes(i / 17, &["CARPL", "CLOSE", "OTHER"])),
            Some(postcode.as_str()),
            Some(postcode.as_str()),
            Some(urn.as_str()),
        ];
        push_row(
            &mut table,
            &files,
            RowSource {
                file: 0,
                line: i + 2,
            },
            &cells,
            &mut sink,
        );
    }
    let issues = sink.into_issues();
    println!(
        "built {rows} rows, {} issues in {:.2?}",
        issues.len(),
        started.elapsed()
    );

    let dir = tempfile::tempdir().expect("a temporary directory");
    let summary = Summary {
        facts: vec![("Run".into(), "bench".into())],
        files,
    };

    let csv = dir.path().join("issues.csv");
    let measured = measure(|| write_issues_csv(&csv, &issues).expect("issues.csv"));
    report("issues.csv", measured, &csv);

    let xlsx = dir.path().join("validation.xlsx");
    let measured =
        measure(|| write_workbook(&xlsx, &summary, &issues, &[&table]).expect("workbook"));
    report("workbook", measured, &xlsx);
}

struct Measured {
    wall: Duration,
    cpu: Option<Duration>,
    /// KiB of peak resident memory above the resident set before.
    extra_kib: Option<u64>,
}

fn measure(work: impl FnOnce()) -> Measured {
    // Writing 5 to clear_refs resets the peak (VmHWM) to the current resident set.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = status_kib("VmRSS:");
    let cpu_before = cpu_time();
    let started = Instant::now();
    work();
    let wall = started.elapsed();
    let cpu = cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let peak = status_kib("VmHWM:");
    let extra_kib = match (reset, before, peak) {
        (true, Some(before), Some(peak)) => Some(peak.saturating_sub(before)),
        _ => None,
    };
    Measured {
        wall,
        cpu,
        extra_kib,
    }
}

/// User plus system time of this process so far, from `/proc/self/stat` (in 1/100 s ticks).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn report(what: &str, measured: Measured, path: &std::path::Path) {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let memory = measured
        .extra_kib
        .map_or("unknown".to_string(), |kib| format!("{} MiB", kib / 1024));
    let cpu = measured
        .cpu
        .map_or("unknown".to_string(), |cpu| format!("{cpu:.2?}"));
    println!(
        "{what}: {:.2?} wall, {cpu} CPU, peak memory +{memory}, {:.1} MiB on disk",
        measured.wall,
        size as f64 / 1_048_576.0
    );
}
