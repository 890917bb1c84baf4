//! The synthetic data generator: determinism, the injection manifest against what was written,
//! and realism invariants the validators rely on. Files are read back with small readers written
//! here, independent of the project's ingest.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use csc_returns::schema::ReturnKind;
use csc_returns::synth::injection::Request;
use csc_returns::synth::manifest::{InjectionEntry, Manifest};
use csc_returns::synth::{self, Options};
use csc_returns::upn::{check_letter, expected_first_letter};
use csc_returns::year::CollectionYear;

fn options(out: &Path, children: usize, seed: u64, rate: f64, inject: Vec<Request>) -> Options {
    Options {
        out: out.to_path_buf(),
        children,
        seed,
        year: CollectionYear::new(2026).unwrap(),
        returns: ReturnKind::ALL.to_vec(),
        la: "E08000003".into(),
        structural_error_rate: rate,
        inject,
    }
}

/// Every file under `dir` with its bytes, keyed by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    synth::generate(&options(a.path(), 120, 7, 0.01, vec![])).unwrap();
    synth::generate(&options(b.path(), 120, 7, 0.01, vec![])).unwrap();
    synth::generate(&options(c.path(), 120, 8, 0.01, vec![])).unwrap();
    let (first, second, other) = (files(a.path()), files(b.path()), files(c.path()));
    // Two years of 11 tables and of the CIN XML, two Ofsted lists and the manifest.
    assert_eq!(first.len(), 2 * 11 + 2 + 2 + 1, "{:?}", first.keys());
    assert_eq!(first, second);
    for (path, bytes) in &first {
        if path.ends_with(".csv") && bytes.iter().filter(|b| **b == b'\n').count() > 5
            || path.ends_with(".xml")
        {
            assert_ne!(
                Some(bytes),
                other.get(path),
                "{path} did not change with the seed"
            );
        }
    }
}

#[test]
fn injection_leaves_clean_data_alone_everywhere_else() {
    let clean_dir = tempfile::tempdir().unwrap();
    let broken_dir = tempfile::tempdir().unwrap();
    synth::generate(&options(clean_dir.path(), 150, 3, 0.0, vec![])).unwrap();
    let requests = vec![
        Request::parse("invalid-boolean=4").unwrap(),
        Request::parse("duplicate-row=3").unwrap(),
        Request::parse("cin-1510=2").unwrap(),
        Request::parse("903-190=2").unwrap(),
        Request::parse("903-205A=1").unwrap(),
    ];
    let manifest = synth::generate(&options(broken_dir.path(), 150, 3, 0.01, requests)).unwrap();
    assert!(
        manifest.injections.len() > 20,
        "{} injections",
        manifest.injections.len()
    );
    assert!(manifest.shortfalls.is_empty(), "{:?}", manifest.shortfalls);
    let kinds: Vec<&str> = manifest
        .injections
        .iter()
        .map(|i| i.check.as_str())
        .collect();
    let rule_kinds: Vec<&InjectionEntry> = manifest
        .injections
        .iter()
        .filter(|i| i.kind == "cin-1510")
        .collect();
    assert_eq!(rule_kinds.len(), 2);
    for entry in rule_kinds {
        assert_eq!(
            (
                entry.check.as_str(),
                entry.table.as_str(),
                entry.column.as_deref()
            ),
            ("1510", "ChildIdentifiers", Some("UPN"))
        );
        assert!(
            !upn_is_valid(&entry.value)
                && upn_is_valid(&format!(
                    "{}{}",
                    check_letter(&entry.value[1..]).unwrap(),
                    &entry.value[1..]
                ))
        );
    }
    for check in [
        "invalid-date",
        "invalid-code",
        "missing-value",
        "invalid-boolean",
        "duplicate-row",
    ] {
        assert!(kinds.contains(&check), "no {check} among {kinds:?}");
    }
    let clean = files(clean_dir.path());
    let broken = files(broken_dir.path());
    let saved: Manifest = serde_json::from_slice(&broken["synth-manifest.json"]).unwrap();
    assert_eq!(saved, manifest);
    for file in manifest.files.iter().map(|f| f.path.as_str()) {
        let entries: Vec<&InjectionEntry> = manifest
            .injections
            .iter()
            .filter(|i| i.file == file)
            .collect();
        if file.ends_with(".xlsx") {
            assert!(entries.is_empty());
            assert!(
                clean[file] == broken[file],
                "{file}: the Ofsted lists are made from the clean returns"
            );
            continue;
        }
        let clean_text = String::from_utf8(clean[file].clone()).unwrap();
        let broken_text = String::from_utf8(broken[file].clone()).unwrap();
        if file.ends_with(".csv") {
            check_csv(file, &clean_text, &broken_text, &entries);
        } else {
            check_xml(file, &clean_text, &broken_text, &entries);
        }
    }
}

/// Every injected 903 cell holds the recorded value, every repeated row repeats the row above
/// it, every added row is recorded whole and comes after all other rows, and after removing the
/// repeats and added rows every other cell equals the clean file's.
fn check_csv(file: &str, clean: &str, broken: &str, entries: &[&InjectionEntry]) {
    let lines: Vec<&str> = broken.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let mut repeated = Vec::new();
    let mut added = Vec::new();
    let mut cells: HashMap<(usize, usize), &InjectionEntry> = HashMap::new();
    for entry in entries {
        let line = lines[entry.row - 1];
        assert_eq!(
            line.split(',').next(),
            Some(entry.child_id.as_str()),
            "{file} row {}",
            entry.row
        );
        match &entry.column {
            None if entry.added_row => {
                assert_eq!(
                    line, entry.value,
                    "{file} row {} is the added row",
                    entry.row
                );
                added.push(entry.row);
            }
            None => {
                assert_eq!(entry.check, "duplicate-row");
                assert_eq!(
                    line,
                    lines[entry.row - 2],
                    "{file} row {} repeats the row above",
                    entry.row
                );
                repeated.push(entry.row);
            }
            Some(column) => {
                let c = header.iter().position(|h| h == column).unwrap();
                assert_eq!(
                    line.split(',').nth(c),
                    Some(entry.value.as_str()),
                    "{file} row {} {column}",
                    entry.row
                );
                cells.insert((entry.row, c), entry);
            }
        }
    }
    assert!(
        added.iter().all(|row| *row > lines.len() - added.len()),
        "{file}: added rows {added:?} are the last of its {} lines",
        lines.len()
    );
    let clean_lines: Vec<&str> = clean.lines().collect();
    let mut clean_row = 0;
    for (index, line) in lines.iter().enumerate() {
        let row = index + 1;
        if repeated.contains(&row) || added.contains(&row) {
            continue;
        }
        let expected: Vec<&str> = clean_lines[clean_row].split(',').collect();
        for (c, value) in line.split(',').enumerate() {
            if value != expected[c] {
                let entry = cells.get(&(row, c)).unwrap_or_else(|| {
                    panic!(
                        "{file} row {row} column {} changed without a manifest entry",
                        header[c]
                    )
                });
                assert_ne!(entry.value, expected[c]);
            }
        }
        clean_row += 1;
    }
    assert_eq!(
        clean_row,
        clean_lines.len(),
        "{file}: repeats and added rows are the only extra rows"
    );
}

/// The element a CIN column is written as.
fn element(column: &str) -> &str {
    if column == "AssessmentFactor" {
        "AssessmentFactors"
    } else {
        column
    }
}

/// Every injected CIN cell is the named element of the row starting at the recorded line, holds
/// the recorded value, and is the only line that differs from the clean file.
fn check_xml(file: &str, clean: &str, broken: &str, entries: &[&InjectionEntry]) {
    let lines: Vec<&str> = broken.lines().collect();
    let clean_lines: Vec<&str> = clean.lines().collect();
    assert_eq!(
        lines.len(),
        clean_lines.len(),
        "{file}: injection adds no lines"
    );
    let tag = |line: &str| {
        line.trim()
            .trim_start_matches('<')
            .split(['>', '/'])
            .next()
            .unwrap()
            .to_string()
    };
    let mut explained = Vec::new();
    for entry in entries {
        let start = entry.row - 1;
        let column = entry
            .column
            .as_deref()
            .expect("CIN injections name a column");
        let name = element(column);
        let found = (start..lines.len())
            .find(|&i| tag(lines[i]) == name)
            .unwrap_or_else(|| panic!("{file}: no {name} after line {}", entry.row));
        let expected = if entry.value.is_empty() {
            format!("<{name}/>")
        } else {
            format!("<{name}>{}</{name}>", entry.value)
        };
        assert_eq!(lines[found].trim(), expected, "{file} line {}", found + 1);
        explained.push(found);
        // The row's start tag names the table's element.
        let row_tag = tag(lines[start]);
        let row_elements = match entry.table.as_str() {
            "Disabilities" => "Disability",
            "AssessmentFactorsList" => "AssessmentFactors",
            "Reviews" => "CPPreviewDate",
            "CINplanDates" => "CINPlanDates",
            other => other,
        };
        assert_eq!(
            row_tag, row_elements,
            "{file} line {} starts a {} row",
            entry.row, entry.table
        );
        let child_line = (0..start)
            .rev()
            .find(|&i| tag(lines[i]) == "LAchildID" || tag(lines[i]) == "Child")
            .unwrap();
        let child = (child_line..lines.len())
            .find(|&i| tag(lines[i]) == "LAchildID")
            .unwrap();
        assert!(
            lines[child].contains(&entry.child_id),
            "{file} line {}: child {}",
            entry.row,
            entry.child_id
        );
    }
    for (i, (a, b)) in lines.iter().zip(&clean_lines).enumerate() {
        if a != b {
            assert!(
                explained.contains(&i),
                "{file} line {} changed without a manifest entry: {a}",
                i + 1
            );
        }
    }
}

fn date(text: &str) -> (i32, u32, u32) {
    let parts: Vec<&str> = text.split('/').collect();
    (
        parts[2].parse().unwrap(),
        parts[1].parse().unwrap(),
        parts[0].parse().unwrap(),
    )
}

fn upn_is_valid(upn: &str) -> bool {
    expected_first_letter(upn).is_some_and(|letter| upn.starts_with(letter))
}

#[test]
fn episodes_are_ordered_continuous_and_upns_carry_their_check_letters() {
    let dir = tempfile::tempdir().unwrap();
    synth::generate(&options(dir.path(), 400, 11, 0.0, vec![])).unwrap();
    for folder in ["2024-25", "2025-26"] {
        let text =
            std::fs::read_to_string(dir.path().join("ssda903").join(folder).join("episodes.csv"))
                .unwrap();
        let mut by_child: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
        for line in text.lines().skip(1) {
            let cells: Vec<String> = line.split(',').map(String::from).collect();
            by_child.entry(cells[0].clone()).or_default().push(cells);
        }
        let mut continuations = 0;
        for (child, episodes) in &by_child {
            for pair in episodes.windows(2) {
                let (before, after) = (&pair[0], &pair[1]);
                assert!(
                    date(&before[1]) < date(&after[1]),
                    "child {child}: episodes in DECOM order"
                );
                assert!(
                    !before[7].is_empty(),
                    "child {child}: only the last episode may be open"
                );
                assert!(
                    date(&before[7]) <= date(&after[1]),
                    "child {child}: episodes overlap"
                );
                if before[8] == "X1" {
                    continuations += 1;
                    assert_eq!(
                        before[7], after[1],
                        "child {child}: an X1 episode continues the same day"
                    );
                    assert_ne!(
                        after[2], "S",
                        "child {child}: a continuation is not a new start"
                    );
                } else {
                    assert_eq!(
                        after[2], "S",
                        "child {child}: after leaving care the next episode is a new start"
                    );
                    assert_ne!(
                        before[7], after[1],
                        "child {child}: a new start is not on the day care ended"
                    );
                }
            }
            let last = episodes.last().unwrap();
            assert_eq!(
                last[7].is_empty(),
                last[8].is_empty(),
                "child {child}: DEC and REC together"
            );
        }
        assert!(
            continuations > 100,
            "{continuations} continuations in {folder}"
        );
        let header =
            std::fs::read_to_string(dir.path().join("ssda903").join(folder).join("header.csv"))
                .unwrap();
        let mut permanent = 0;
        for line in header.lines().skip(1) {
            let upn = line.split(',').nth(4).unwrap();
            if !upn.starts_with("UN") {
                assert!(upn_is_valid(upn), "{upn}");
                permanent += 1;
            }
        }
        assert!(permanent > 100);
    }
    let cin = std::fs::read_to_string(dir.path().join("cin").join("cin_2025-26.xml")).unwrap();
    let upns: Vec<&str> = cin
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<UPN>")?.strip_suffix("</UPN>"))
        .collect();
    assert!(upns.len() > 100);
    assert!(
        upns.iter().all(|u| upn_is_valid(u)),
        "every CIN UPN has its check letter"
    );
    let mut unique = upns.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), upns.len(), "UPNs are unique (1520)");
}

#[test]
fn an_unknown_la_or_year_is_refused_with_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad_la = options(dir.path(), 10, 1, 0.0, vec![]);
    bad_la.la = "E09999999".into();
    let message = synth::generate(&bad_la).unwrap_err().to_string();
    assert!(
        message.contains("E09999999") && message.contains("Manchester (E08000003, 352)"),
        "{message}"
    );
    let mut bad_year = options(dir.path(), 10, 1, 0.0, vec![]);
    bad_year.year = CollectionYear::new(2030).unwrap();
    assert!(
        synth::generate(&bad_year)
            .unwrap_err()
            .to_string()
            .contains("2024–2027")
    );
    assert!(
        Request::parse("no-such-kind")
            .unwrap_err()
            .contains("invalid-date")
    );
    assert_eq!(Request::parse("invalid-date=5").unwrap().count, 5);
}

#[test]
fn the_demo_data_is_what_the_documented_command_writes() {
    // The command in data/demo/README.md.
    let dir = tempfile::tempdir().unwrap();
    let mut demo = options(dir.path(), 400, 2026, 0.002, vec![]);
    demo.year = CollectionYear::new(2026).unwrap();
    synth::generate(&demo).unwrap();
    let readme =
        std::fs::read_to_string(crate::support::repo_root().join("data/demo/README.md")).unwrap();
    assert!(readme.contains(
        "synth --out data/demo --children 400 --seed 2026 --year 2026 --structural-error-rate 0.002"
    ));
    let mut committed = files(&crate::support::repo_root().join("data/demo"));
    committed.remove("README.md");
    let written = files(dir.path());
    assert_eq!(
        committed.keys().collect::<Vec<_>>(),
        written.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &written {
        assert!(
            committed[path] == *bytes,
            "data/demo/{path} differs from what the generator writes now: regenerate the demo data with the command in data/demo/README.md"
        );
    }
}
