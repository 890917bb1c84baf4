//! Differential test of the SSDA903 rules against the reference validator
//! (`csc-validator-be-903` 0.1.17, "the oracle"; `/work/shared/spec/oracle.md`).
//!
//! Synthetic returns of several years, seeds and sizes, clean and with injected rule violations
//! (`903-<code>` kinds, `src/synth/rules903.rs`), each with last year's return and the Ofsted
//! provider lists the generator writes beside them (for the URN rules 219-229 and 241), go
//! through both validators. Findings are compared per (rule, table, row, child) for every rule csc-returns
//! implements. A difference fails the test unless `tests/oracle/divergences.md` explains it (the
//! DfE text wins over the oracle) or the oracle crashed on that rule. Every injected violation
//! must be found on its child (recall), and a clean return must give no finding the oracle does
//! not also give (precision).
//!
//! The oracle runs in the virtual environment that `tests/oracle/setup.sh` makes (idempotent, so a
//! fresh machine installs it on first run). The per-rule agreement table is written to
//! `<target>/tmp/oracle-903-agreement.txt`; `.ci/run` prints it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use csc_returns::rules::catalogue;
use csc_returns::schema::ReturnKind;
use csc_returns::synth::injection::{Request, all_kinds};
use csc_returns::synth::ssda903::ofsted::{CHILDRENS_HOMES, FOLDER, SOCIAL_CARE_PROVIDERS};
use csc_returns::synth::{self, Options, year_folder};
use csc_returns::year::CollectionYear;

use crate::divergences;
use crate::support::{oracle_python, repo_root};

const LA: &str = "E08000003";

/// The rules that compare URNs with Ofsted's provider lists.
const URN_RULES: [&str; 7] = ["219", "221", "224", "227", "228", "229", "241"];

struct Case {
    name: &'static str,
    year: u16,
    children: usize,
    seed: u64,
    /// Injections per `903-` kind; 0 for a clean return.
    per_kind: usize,
}

const CASES: &[Case] = &[
    Case {
        name: "clean 2025/26",
        year: 2026,
        children: 800,
        seed: 101,
        per_kind: 0,
    },
    Case {
        name: "clean 2024/25",
        year: 2025,
        children: 500,
        seed: 102,
        per_kind: 0,
    },
    Case {
        name: "clean 2023/24",
        year: 2024,
        children: 400,
        seed: 103,
        per_kind: 0,
    },
    Case {
        name: "clean 2026/27",
        year: 2027,
        children: 300,
        seed: 104,
        per_kind: 0,
    },
    Case {
        name: "injected 2025/26",
        year: 2026,
        children: 800,
        seed: 105,
        per_kind: 2,
    },
    Case {
        name: "injected 2024/25",
        year: 2025,
        children: 500,
        seed: 106,
        per_kind: 1,
    },
    Case {
        name: "injected 2023/24",
        year: 2024,
        children: 400,
        seed: 107,
        per_kind: 1,
    },
];

/// One finding, as both sides can state it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Flag {
    rule: String,
    /// `Episodes`, or `Episodes_last` for last year's table.
    table: String,
    /// The row as Excel numbers it (header = 1).
    row: u32,
    child: String,
}

/// What the oracle reported for a return: its findings and the rules it ran, skipped or crashed on.
struct OracleRun {
    flags: BTreeSet<Flag>,
    ran: BTreeSet<String>,
    failed: BTreeSet<String>,
}

fn run_oracle(python: &Path, out: &Path, year: u16, codes: &[&str]) -> OracleRun {
    let json_path = out.join("oracle.json");
    let output = Command::new(python)
        .arg(repo_root().join("tests/oracle/run_903.py"))
        .arg(out)
        .args([
            "--year",
            &year.to_string(),
            "--la",
            LA,
            "--mode",
            "isolated",
        ])
        .args(["--rules", &codes.join(",")])
        .arg("--ch-lookup")
        .arg(out.join(FOLDER).join(CHILDRENS_HOMES))
        .arg("--scp-lookup")
        .arg(out.join(FOLDER).join(SOCIAL_CARE_PROVIDERS))
        .arg("--output")
        .arg(&json_path)
        .output()
        .expect("the oracle's Python runs");
    assert!(
        output.status.success(),
        "run_903.py failed on {}:\n{}",
        out.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let run = &report["runs"][0];
    let strings = |key: &str| -> BTreeSet<String> {
        run[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let flags = run["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| Flag {
            rule: f["rule_code"].as_str().unwrap().to_string(),
            table: f["table"].as_str().unwrap().to_string(),
            row: f["row_index"].as_u64().unwrap() as u32 + 2,
            child: f["child_id"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    OracleRun {
        flags,
        ran: strings("ran_rules"),
        failed: strings("failed_rules"),
    }
}

/// csc-returns' findings of the DfE rules, through the command users run.
fn run_ours(out: &Path, year: u16, codes: &BTreeSet<&str>) -> BTreeSet<Flag> {
    let this = out.join("ssda903").join(year_folder(year));
    let previous = out.join("ssda903").join(year_folder(year - 1));
    let output_root = out.join("csc-returns");
    let output = Command::new(env!("CARGO_BIN_EXE_csc-returns"))
        .arg("validate")
        .arg(&this)
        .args([
            "--return",
            "ssda903",
            "--year",
            &year.to_string(),
            "--la",
            LA,
        ])
        .arg("--previous-year")
        .arg(&previous)
        .arg("--provider-list")
        .arg(out.join(FOLDER).join(CHILDRENS_HOMES))
        .arg("--provider-list")
        .arg(out.join(FOLDER).join(SOCIAL_CARE_PROVIDERS))
        .arg("--output")
        .arg(&output_root)
        .output()
        .expect("csc-returns runs");
    assert!(
        output.status.success(),
        "csc-returns validate failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let issues = find_file(&output_root, "issues.csv").expect("the run wrote issues.csv");
    let mut reader = csv::Reader::from_path(&issues).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap_or_else(|| panic!("issues.csv has no {name} column"))
    };
    let (rule, table, row, child, file, finding) = (
        column("rule_code"),
        column("table"),
        column("row"),
        column("child_id"),
        column("file"),
        column("finding_id"),
    );
    let records: Vec<csv::StringRecord> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| codes.contains(&&r[rule]) && !r[row].is_empty())
        .collect();
    let is_last_year = |record: &csv::StringRecord| Path::new(&record[file]).starts_with(&previous);
    // A finding that links this year's cells to last year's (202: this year's SEX and last
    // year's) is compared at its this-year cells; the oracle reports only those, and last year's
    // cells are there to show what they disagree with.
    let this_year_findings: BTreeSet<&str> = records
        .iter()
        .filter(|r| !is_last_year(r))
        .map(|r| &r[finding])
        .collect();
    let mut flags = BTreeSet::new();
    for record in &records {
        let last_year = is_last_year(record);
        if last_year && this_year_findings.contains(&record[finding]) {
            continue;
        }
        flags.insert(Flag {
            rule: record[rule].to_string(),
            table: format!("{}{}", &record[table], if last_year { "_last" } else { "" }),
            row: record[row].parse().unwrap(),
            child: record[child].to_string(),
        });
    }
    flags
}

fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()? {
        let path = entry.ok()?.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, name) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}

/// Counts for one rule over every case.
#[derive(Debug, Default)]
struct Tally {
    cases: usize,
    both: usize,
    oracle_only: usize,
    oracle_only_explained: usize,
    ours_only: usize,
    ours_only_explained: usize,
    oracle_crashed: usize,
    injected: usize,
    recalled: usize,
}

#[test]
fn ssda903_rules_agree_with_the_reference_validator() {
    let python = oracle_python("903");
    let divergences = divergences::read();
    let rule_kinds: Vec<String> = all_kinds()
        .iter()
        .map(|k| k.name().to_string())
        .filter(|n| n.starts_with("903-"))
        .collect();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    let mut placed: BTreeMap<String, usize> = BTreeMap::new();
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        let year = CollectionYear::new(case.year).unwrap();
        let options = Options {
            out: dir.path().to_path_buf(),
            children: case.children,
            seed: case.seed,
            year,
            returns: vec![ReturnKind::Ssda903],
            la: LA.into(),
            structural_error_rate: 0.0,
            inject: if case.per_kind == 0 {
                Vec::new()
            } else {
                rule_kinds
                    .iter()
                    .map(|k| Request::parse(&format!("{k}={}", case.per_kind)).unwrap())
                    .collect()
            },
        };
        let manifest = synth::generate(&options).expect("synthetic data is written");
        let codes: Vec<&str> = catalogue::select(ReturnKind::Ssda903, Some(year))
            .iter()
            .map(|m| m.code)
            .collect();
        let oracle = run_oracle(&python, dir.path(), case.year, &codes);
        let compared: BTreeSet<&str> = codes
            .iter()
            .copied()
            .filter(|c| oracle.ran.contains(*c) || oracle.failed.contains(*c))
            .collect();
        let ours = run_ours(dir.path(), case.year, &compared);
        for code in &compared {
            let tally = tallies.entry(code.to_string()).or_default();
            tally.cases += 1;
            let theirs: BTreeSet<&Flag> = oracle.flags.iter().filter(|f| f.rule == *code).collect();
            let mine: BTreeSet<&Flag> = ours.iter().filter(|f| f.rule == *code).collect();
            let crashed = oracle.failed.contains(*code);
            tally.oracle_crashed += usize::from(crashed);
            tally.both += theirs.intersection(&mine).count();
            let divergence = divergences.get(*code);
            for (oracle_side, flags) in [
                (true, theirs.difference(&mine).collect::<Vec<_>>()),
                (false, mine.difference(&theirs).collect::<Vec<_>>()),
            ] {
                for flag in flags {
                    let explained = (!oracle_side && crashed)
                        || divergence
                            .is_some_and(|d| d.explains(oracle_side, case.year, &flag.table));
                    match (oracle_side, explained) {
                        (true, true) => tally.oracle_only_explained += 1,
                        (true, false) => tally.oracle_only += 1,
                        (false, true) => tally.ours_only_explained += 1,
                        (false, false) => tally.ours_only += 1,
                    }
                    if !explained {
                        failures.push(format!(
                            "{}: rule {code} flagged by {} only: {} row {} (child {})",
                            case.name,
                            if oracle_side {
                                "the oracle"
                            } else {
                                "csc-returns"
                            },
                            flag.table,
                            flag.row,
                            flag.child
                        ));
                    }
                }
            }
        }
        if case.per_kind == 0 {
            // The generator lists every placement of a clean return in its Ofsted lists as it is.
            for flag in ours.iter().filter(|f| URN_RULES.contains(&f.rule.as_str())) {
                failures.push(format!(
                    "{}: rule {} flagged {} row {} (child {}) of a clean return: the synthetic Ofsted lists disagree with the episodes",
                    case.name, flag.rule, flag.table, flag.row, flag.child
                ));
            }
        }
        // Every year: 903-205A adds its row to last year's return, for a finding in this year's.
        for injection in manifest
            .injections
            .iter()
            .filter(|i| i.kind.starts_with("903-"))
        {
            let tally = tallies.entry(injection.check.clone()).or_default();
            tally.injected += 1;
            let found = ours
                .iter()
                .any(|f| f.rule == injection.check && f.child == injection.child_id);
            if found {
                tally.recalled += 1;
            } else {
                failures.push(format!(
                    "{}: injected {} ({} row {}, child {}) was not found by rule {}",
                    case.name,
                    injection.kind,
                    injection.table,
                    injection.row,
                    injection.child_id,
                    injection.check
                ));
            }
        }
        for injection in &manifest.injections {
            *placed.entry(injection.kind.clone()).or_default() += 1;
        }
    }
    for kind in &rule_kinds {
        if !placed.contains_key(kind) {
            failures.push(format!(
                "{kind} found no place in any injected return; give it more sites or the cases more children"
            ));
        }
    }
    let table = agreement_table(&tallies);
    let report = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oracle-903-agreement.txt");
    std::fs::write(&report, &table).unwrap();
    println!("{table}");
    assert!(
        failures.is_empty(),
        "{} unexplained differences or missed injections (explain a DfE-backed divergence in tests/oracle/divergences.md):\n{}\n\n{table}",
        failures.len(),
        failures.join("\n")
    );
}

fn agreement_table(tallies: &BTreeMap<String, Tally>) -> String {
    let mut out = String::from(
        "SSDA903 rules against csc-validator-be-903 0.1.17 (isolated runs)\n\
         rule      cases   both  oracle-only (explained)  ours-only (explained)  oracle crashed  injected  found\n",
    );
    for (code, t) in tallies {
        out.push_str(&format!(
            "{code:<9} {:>5} {:>6} {:>6} ({:>5})          {:>6} ({:>5})         {:>6}          {:>6} {:>6}\n",
            t.cases,
            t.both,
            t.oracle_only,
            t.oracle_only_explained,
            t.ours_only,
            t.ours_only_explained,
            t.oracle_crashed,
            t.injected,
            t.recalled
        ));
    }
    out
}
