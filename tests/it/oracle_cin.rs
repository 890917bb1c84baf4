//! Differential test of the CIN rules against the reference validator (`csc-validator-be-cin`
//! 0.1.13, "the oracle"; `/work/shared/spec/oracle.md` §3–§4).
//!
//! Synthetic censuses (`csc-returns synth`: clean ones, and ones with injected violations of each
//! CIN rule) are validated by csc-returns and by the oracle, for the rules csc-returns
//! implements. Findings are compared per (rule, child) and, where both flag a child, per (rule,
//! child, table, row key); rows are keyed by (LAchildID, CINdetailsID[, AssessmentID | CPPID]),
//! never by file position. LA-level findings (and the header rule 100) are compared per rule.
//! Every difference must be explained by the rule's section in `tests/oracle/divergences.md`, or
//! by the oracle having crashed on the rule. Injected violations must be found where they were
//! injected (recall), and no rule may flag a child nobody broke (precision).
//!
//! The oracle's own XML flattening is quadratic in children, so each file stays under about
//! 3,000 children. `tests/oracle/setup.sh` installs the oracle into `.oracle/cin` (once).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use csc_returns::ingest::dataset::{self, Dataset, LoadRequest};
use csc_returns::issue::{IssueSink, Level};
use csc_returns::rules::cin::{self, Cin};
use csc_returns::schema::{ReturnKind, SchemaSet};
use csc_returns::source::Role;
use csc_returns::synth::injection::all_kinds;
use csc_returns::table::CellValue;
use csc_returns::year::CollectionYear;

use crate::divergences::{self, Explained};
use crate::support::{oracle_python, repo_root};

/// One synthetic census to compare on.
struct Case {
    name: &'static str,
    seed: u64,
    year: u16,
    children: usize,
    /// Violations injected per CIN rule kind (0: a clean census).
    per_kind: usize,
    /// Booleans written `true`/`false` instead of the generator's `1`/`0`, as many case systems
    /// export them.
    words_for_booleans: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "clean 2025/26",
        seed: 101,
        year: 2026,
        children: 2500,
        per_kind: 0,
        words_for_booleans: false,
    },
    Case {
        name: "clean 2024/25, booleans as true/false",
        seed: 106,
        year: 2025,
        children: 1000,
        per_kind: 0,
        words_for_booleans: true,
    },
    Case {
        name: "clean 2023/24",
        seed: 102,
        year: 2024,
        children: 1200,
        per_kind: 0,
        words_for_booleans: false,
    },
    Case {
        name: "injected 2025/26",
        seed: 103,
        year: 2026,
        children: 1500,
        per_kind: 6,
        words_for_booleans: false,
    },
    Case {
        name: "injected 2024/25",
        seed: 104,
        year: 2025,
        children: 1200,
        per_kind: 6,
        words_for_booleans: false,
    },
    Case {
        name: "injected 2023/24",
        seed: 105,
        year: 2024,
        children: 1200,
        per_kind: 6,
        words_for_booleans: false,
    },
];

/// Where a finding points, as both validators can say it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Place {
    table: String,
    key: Vec<String>,
}

/// One validator's findings on one census: per rule, per child, the rows flagged; and the rules
/// raised for the census as a whole.
#[derive(Debug, Default)]
struct Findings {
    by_rule: BTreeMap<String, BTreeMap<String, BTreeSet<Place>>>,
    whole_return: BTreeSet<String>,
    /// Rules the oracle crashed on (it reported nothing for them).
    failed: BTreeSet<String>,
}

impl Findings {
    fn add(&mut self, rule: &str, child: &str, place: Place) {
        self.by_rule
            .entry(rule.to_string())
            .or_default()
            .entry(child.to_string())
            .or_default()
            .insert(place);
    }
}

/// A difference the test could not explain.
struct Unexplained(String);

#[test]
fn cin_rules_agree_with_the_reference_validator() {
    let root = repo_root();
    let python = oracle_python("cin");
    let explained = divergences::read();
    // A missing LAchildID stops the oracle's whole run (oracle-defects B, 8500): that kind is
    // measured without it, below.
    let kinds: Vec<String> = cin_kinds()
        .into_iter()
        .filter(|k| k != "cin-8500")
        .collect();
    let mut report = String::new();
    let mut unexplained = Vec::new();
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        synth(out, case, &kinds);
        let year = CollectionYear::new(case.year).unwrap();
        let census = census_path(out, case.year);
        let codes: Vec<&str> = cin::rules_for(year).map(|r| r.meta.code).collect();
        let ours = our_findings(&census, year);
        let oracle = oracle_findings(&python, &root, out, case.year, &codes);
        let _ = writeln!(
            report,
            "\n{} (seed {}, {} children{})",
            case.name,
            case.seed,
            case.children,
            if case.per_kind > 0 {
                format!(", {} injected per CIN rule kind", case.per_kind)
            } else {
                String::new()
            }
        );
        compare(
            case.year,
            &codes,
            &ours,
            &oracle,
            &explained,
            &mut report,
            &mut unexplained,
        );
        if case.per_kind > 0 {
            check_injections(out, &census, year, &ours, &mut report, &mut unexplained);
        } else {
            for (rule, children) in &ours.by_rule {
                if let Some(child) = children.keys().next() {
                    unexplained.push(Unexplained(format!(
                        "{}: rule {rule} flags {} children of a clean census, e.g. {child}",
                        case.name,
                        children.len()
                    )));
                }
            }
        }
    }
    println!("{report}");
    let saved = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oracle-cin-agreement.txt");
    std::fs::write(&saved, &report).unwrap();
    let problems: Vec<String> = unexplained.into_iter().map(|u| u.0).collect();
    assert!(
        problems.is_empty(),
        "{} unexplained differences (agreement tables above and in {}):\n{}",
        problems.len(),
        saved.display(),
        problems.join("\n")
    );
}

/// Every injection is flagged by its rule where it was made, and no rule flags a child no
/// injection touched: csc-returns alone, on small censuses of every year, fast enough for every
/// test run.
#[test]
fn cin_rule_injections_are_found_where_injected_and_nowhere_else() {
    let kinds = cin_kinds();
    let mut report = String::new();
    let mut unexplained = Vec::new();
    let mut found_somewhere = BTreeSet::new();
    for year in 2024..=2027 {
        let case = Case {
            name: "injections",
            seed: u64::from(year),
            year,
            children: 400,
            per_kind: 4,
            words_for_booleans: false,
        };
        let dir = tempfile::tempdir().unwrap();
        synth(dir.path(), &case, &kinds);
        let collection_year = CollectionYear::new(year).unwrap();
        let census = census_path(dir.path(), year);
        let ours = our_findings(&census, collection_year);
        let _ = writeln!(report, "\n{} {year}", case.name);
        found_somewhere.extend(check_injections(
            dir.path(),
            &census,
            collection_year,
            &ours,
            &mut report,
            &mut unexplained,
        ));
    }
    for rule in cin::RULES {
        let kind = format!("cin-{}", rule.meta.code);
        if !kinds.contains(&kind) && !NOT_INJECTED.contains(&rule.meta.code) {
            unexplained.push(Unexplained(format!(
                "rule {} has no injection kind {kind} (src/synth/cin_rules.rs)",
                rule.meta.code
            )));
        }
    }
    for kind in &kinds {
        if !found_somewhere.contains(kind) {
            unexplained.push(Unexplained(format!(
                "{kind} was never injected into (and found in) a census of 2023/24 to 2026/27"
            )));
        }
    }
    println!("{report}");
    let problems: Vec<String> = unexplained.into_iter().map(|u| u.0).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The names of the injection kinds that break a CIN rule.
fn cin_kinds() -> Vec<String> {
    all_kinds()
        .iter()
        .filter(|k| k.return_kind() == Some(ReturnKind::Cin) && k.name().starts_with("cin-"))
        .map(|k| k.name().to_string())
        .collect()
}

fn census_path(out: &Path, year: u16) -> PathBuf {
    out.join(format!("cin/cin_{}-{:02}.xml", year - 1, year % 100))
}

fn synth(out: &Path, case: &Case, kinds: &[String]) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_csc-returns"));
    command
        .arg("synth")
        .arg("--out")
        .arg(out)
        .args(["--return", "cin"])
        .args(["--children", &case.children.to_string()])
        .args(["--seed", &case.seed.to_string()])
        .args(["--year", &case.year.to_string()]);
    if case.per_kind > 0 {
        for kind in kinds {
            command
                .arg("--inject")
                .arg(format!("{kind}={}", case.per_kind));
        }
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "csc-returns synth failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    if case.words_for_booleans {
        let census = census_path(out, case.year);
        let mut xml = std::fs::read_to_string(&census).unwrap();
        for field in ["ReferralNFA", "ICPCnotRequired"] {
            for (digit, word) in [("1", "true"), ("0", "false")] {
                xml = xml.replace(
                    &format!("<{field}>{digit}</{field}>"),
                    &format!("<{field}>{word}</{field}>"),
                );
            }
        }
        std::fs::write(&census, xml).unwrap();
    }
}

fn load(census: &Path, year: CollectionYear) -> (Dataset, IssueSink) {
    let request = LoadRequest {
        return_kind: ReturnKind::Cin,
        year: Some(year),
        role: Role::ThisYear,
        files: vec![census.to_path_buf()],
    };
    dataset::load(
        &request,
        &SchemaSet::embedded().unwrap(),
        &Arc::from("oracle"),
    )
    .unwrap()
}

/// csc-returns' findings, through the same validation a run does.
fn our_findings(census: &Path, year: CollectionYear) -> Findings {
    let (dataset, mut sink) = load(census, year);
    cin::validate(&Cin::new(&dataset), &mut sink);
    let keys = row_keys(&dataset);
    let codes: BTreeSet<&str> = cin::rules_for(year).map(|r| r.meta.code).collect();
    let mut findings = Findings::default();
    for issue in sink.issues() {
        if !codes.contains(issue.rule_code.as_ref()) {
            continue;
        }
        let table = issue.location.table.as_deref().unwrap_or_default();
        if issue.level() == Level::La || table == "Header" {
            findings.whole_return.insert(issue.rule_code.to_string());
            continue;
        }
        let row = issue
            .location
            .row
            .expect("a CIN rule finding below the return has a row");
        let key = keys[&(table.to_string(), row)].clone();
        let child = issue.location.child_id.as_deref().unwrap_or_default();
        findings.add(
            &issue.rule_code,
            child,
            Place {
                table: table.to_string(),
                key,
            },
        );
    }
    findings
}

/// The natural key of every row, by (table, line of the row's element).
fn row_keys(dataset: &Dataset) -> HashMap<(String, u32), Vec<String>> {
    let mut keys = HashMap::new();
    for table in &dataset.tables {
        let columns: Vec<usize> = ["LAchildID", "CINdetailsID", "AssessmentID", "CPPID"]
            .iter()
            .filter_map(|c| table.column_index(c))
            .collect();
        for row in 0..table.len() {
            let key = columns
                .iter()
                .map(|&c| match table.cell(c, row) {
                    CellValue::Text(text) => text.to_string(),
                    CellValue::Integer(n) => n.to_string(),
                    _ => String::new(),
                })
                .collect();
            keys.insert((table.name().to_string(), table.source(row).line), key);
        }
    }
    keys
}

fn oracle_findings(python: &Path, root: &Path, out: &Path, year: u16, codes: &[&str]) -> Findings {
    let json = out.join("oracle.json");
    let output = Command::new(python)
        .arg(root.join("tests/oracle/run_cin.py"))
        .arg(out)
        .args(["--year", &year.to_string()])
        .args(["--rules", &codes.join(",")])
        .arg("--output")
        .arg(&json)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the reference validator failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let mut findings = Findings::default();
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    for finding in report["findings"].as_array().unwrap() {
        let key: Vec<String> = finding["row_key"]
            .as_array()
            .unwrap()
            .iter()
            .map(text)
            .collect();
        // A finding with no child of its own (the oracle lost it) is the child of its row.
        let child = finding["child_id"]
            .as_str()
            .map(str::to_string)
            .or_else(|| key.first().cloned())
            .unwrap_or_default();
        findings.add(
            &text(&finding["rule_code"]),
            &child,
            Place {
                table: text(&finding["table"]),
                key,
            },
        );
    }
    for la in report["la_level"].as_array().unwrap() {
        findings.whole_return.insert(text(&la["rule_code"]));
    }
    for failed in report["failed_rules"].as_array().unwrap() {
        findings.failed.insert(text(failed));
    }
    findings
}

/// Compares the two validators rule by rule, writes the agreement table and records every
/// difference the divergences file does not explain.
fn compare(
    year: u16,
    codes: &[&str],
    ours: &Findings,
    oracle: &Findings,
    explained: &BTreeMap<String, Explained>,
    report: &mut String,
    unexplained: &mut Vec<Unexplained>,
) {
    // Several child records with one LAchildID (8510): the oracle joins each record's rows with
    // the other records' (they share LAchildID and CINdetailsID), csc-returns keeps them apart
    // as the XML nests them. Such children are compared for 8510 only.
    let shared_ids: BTreeSet<&String> = ours
        .by_rule
        .get("8510")
        .map(|children| children.keys().collect())
        .unwrap_or_default();
    if !shared_ids.is_empty() {
        let _ = writeln!(
            report,
            "{} LAchildIDs on several child records: compared for 8510 only",
            shared_ids.len()
        );
    }
    let _ = writeln!(
        report,
        "{:<7} {:>6} {:>6} {:>6} {:>9} {:>11} {:>9}  status",
        "rule", "ours", "oracle", "both", "ours-only", "oracle-only", "row-diffs"
    );
    let empty = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for &code in codes {
        if !seen.insert(code) {
            continue;
        }
        let section = explained.get(code);
        let covers = |ours_only: bool, table: &str| {
            section.is_some_and(|s| s.explains(!ours_only, year, table))
        };
        let crashed = oracle.failed.contains(code);
        let mut problems = Vec::new();
        let (ours_whole, oracle_whole) = (
            ours.whole_return.contains(code),
            oracle.whole_return.contains(code),
        );
        if ours_whole != oracle_whole && !(ours_whole && crashed) && !covers(ours_whole, "") {
            problems.push(format!(
                "raised for the return by {} only",
                if ours_whole {
                    "csc-returns"
                } else {
                    "the oracle"
                }
            ));
        }
        let mine = ours.by_rule.get(code).unwrap_or(&empty);
        let theirs = oracle.by_rule.get(code).unwrap_or(&empty);
        let children: BTreeSet<&String> = mine
            .keys()
            .chain(theirs.keys())
            .filter(|child| code == "8510" || !shared_ids.contains(child))
            .collect();
        let (mut both, mut ours_only, mut oracle_only, mut row_diffs) = (0, 0, 0, 0);
        for child in children {
            let none = BTreeSet::new();
            let (a, b) = (
                mine.get(child).unwrap_or(&none),
                theirs.get(child).unwrap_or(&none),
            );
            match (a.is_empty(), b.is_empty()) {
                (false, false) => both += 1,
                (false, true) => ours_only += 1,
                (true, false) => oracle_only += 1,
                (true, true) => {}
            }
            for (place, ours_side) in a
                .difference(b)
                .map(|p| (p, true))
                .chain(b.difference(a).map(|p| (p, false)))
            {
                if !a.is_empty() && !b.is_empty() {
                    row_diffs += 1;
                }
                if (ours_side && crashed) || covers(ours_side, &place.table) {
                    continue;
                }
                problems.push(format!(
                    "child {child}: {} {:?} flagged by {} only",
                    place.table,
                    place.key,
                    if ours_side {
                        "csc-returns"
                    } else {
                        "the oracle"
                    }
                ));
            }
        }
        let status = if !problems.is_empty() {
            "UNEXPLAINED"
        } else if crashed {
            "oracle crashed"
        } else if ours_only + oracle_only + row_diffs > 0 || ours_whole != oracle_whole {
            "explained"
        } else {
            "agree"
        };
        // Children compared (those sharing an LAchildID left out), or "return" for LA level.
        let count = |children: usize, whole: bool| {
            if whole {
                "return".to_string()
            } else {
                children.to_string()
            }
        };
        let _ = writeln!(
            report,
            "{:<7} {:>6} {:>6} {:>6} {:>9} {:>11} {:>9}  {status}",
            code,
            count(both + ours_only, ours_whole),
            count(both + oracle_only, oracle_whole),
            both,
            ours_only,
            oracle_only,
            row_diffs
        );
        for problem in problems.into_iter().take(5) {
            unexplained.push(Unexplained(format!("{year} rule {code}: {problem}")));
        }
    }
}

#[derive(serde::Deserialize)]
struct Manifest {
    injections: Vec<Injection>,
}

#[derive(serde::Deserialize)]
struct Injection {
    role: String,
    table: String,
    row: u32,
    column: Option<String>,
    check: String,
    kind: String,
    value: String,
    child_id: String,
}

/// Rules no edit of one child's census can break (`src/synth/cin_rules.rs`): the header's, the
/// LA-level ones, and those that need a row removed or repeated.
const NOT_INJECTED: [&str; 8] = [
    "100", "2883", "2886Q", "2887Q", "2888Q", "2991Q", "4004", "8590",
];

/// Kinds that give two children one value (a UPN, an LA child ID): their rule fires only when a
/// census has at least two of them.
const SHARED_VALUE_KINDS: [&str; 2] = ["cin-1520", "cin-8510"];

/// Recall: every violation injected into this year's census is flagged by its rule, on the row it
/// was injected into. Precision: no rule flags a child that no injection touched. Returns the
/// kinds found.
fn check_injections(
    out: &Path,
    census: &Path,
    year: CollectionYear,
    ours: &Findings,
    report: &mut String,
    unexplained: &mut Vec<Unexplained>,
) -> BTreeSet<String> {
    let manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(out.join("synth-manifest.json")).unwrap())
            .unwrap();
    let (dataset, _) = load(census, year);
    let keys = row_keys(&dataset);
    let applies: BTreeSet<&str> = cin::rules_for(year).map(|r| r.meta.code).collect();
    let this_year = || manifest.injections.iter().filter(|i| i.role == "this_year");
    let shared = |kind: &str| this_year().filter(|i| i.kind == kind).count();
    let injected: Vec<&Injection> = this_year()
        .filter(|i| i.kind.starts_with("cin-") && applies.contains(i.check.as_str()))
        .filter(|i| !SHARED_VALUE_KINDS.contains(&i.kind.as_str()) || shared(&i.kind) >= 2)
        .collect();
    // Children by their id before and after an injection that changed it.
    let broken: BTreeSet<&str> = this_year()
        .flat_map(|i| {
            let renamed = (i.column.as_deref() == Some("LAchildID")).then_some(i.value.as_str());
            std::iter::once(i.child_id.as_str()).chain(renamed)
        })
        .collect();
    let _ = writeln!(
        report,
        "{:<10} {:>8} {:>6}  recall",
        "kind", "injected", "found"
    );
    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for injection in &injected {
        let place = Place {
            table: injection.table.clone(),
            key: keys[&(injection.table.clone(), injection.row)].clone(),
        };
        let found = ours
            .by_rule
            .get(&injection.check)
            .is_some_and(|children| children.values().any(|places| places.contains(&place)))
            || (ours.whole_return.contains(&injection.check));
        let tally = by_kind.entry(injection.kind.as_str()).or_default();
        tally.0 += 1;
        if found {
            tally.1 += 1;
        } else {
            unexplained.push(Unexplained(format!(
                "{} injected into {} line {} (child {}) is not flagged by rule {}",
                injection.kind, injection.table, injection.row, injection.child_id, injection.check
            )));
        }
    }
    let found_kinds = by_kind
        .iter()
        .filter(|(_, (_, found))| *found > 0)
        .map(|(kind, _)| kind.to_string())
        .collect();
    for (kind, (count, found)) in by_kind {
        let _ = writeln!(
            report,
            "{kind:<10} {count:>8} {found:>6}  {:.0}%",
            100.0 * found as f64 / count as f64
        );
    }
    for (rule, children) in &ours.by_rule {
        let strays: Vec<&String> = children
            .keys()
            .filter(|child| !broken.contains(child.as_str()))
            .collect();
        if let Some(first) = strays.first() {
            unexplained.push(Unexplained(format!(
                "rule {rule} flags {} children no injection touched, e.g. {first}",
                strays.len()
            )));
        }
    }
    found_kinds
}
