//! Nightly operation: the run log, one run per pipeline at a time, runs killed mid-write,
//! skipping unchanged inputs, and the night-over-night issue diff.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr};
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use csc_returns::frame;
use csc_returns::ingest::dataset::{self, LoadRequest};
use csc_returns::issue_diff::{self, DiffEntry, ISSUES_DIFF_PARQUET, Previous, Status};
use csc_returns::pipeline::history::{Outcome, RunLog, RunRecord};
use csc_returns::schema::{ReturnKind, SchemaSet};
use csc_returns::snapshot::SnapshotStore;
use csc_returns::source::Role;
use csc_returns::year::CollectionYear;

use crate::support::{csc, spawn_run, stderr, stdout, wait_for_line};

const HEADER_COLUMNS: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
/// Child 2 has a mother status that does not exist (a structural finding: no DfE rule judges
/// MOTHER for a child without episodes); child 3 an ethnicity that does not (rule 103).
const NIGHT_ONE: &str =
    "1,M,01/02/2015,WBRI,UN2,,\n2,M,01/02/2015,WBRI,UN2,X,\n3,F,01/02/2015,XXXX,UN3,,\n";
/// A new child 0 above the others (moving every row down) with a bad mother status; child 2's
/// code corrected to another bad one; child 3's ethnicity fixed.
const NIGHT_TWO: &str = "0,M,01/02/2015,WBRI,UN4,Q,\n1,M,01/02/2015,WBRI,UN2,,\n2,M,01/02/2015,WBRI,UN2,Y,\n3,F,01/02/2015,WBRI,UN3,,\n";
const EPISODES: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
                        1,01/05/2025,S,C2,N1,U1,PR1,,,,M1 1AE,LS1 1UR,SC1\n";

fn year() -> CollectionYear {
    CollectionYear::new(2026).unwrap()
}

/// A pipeline over a header and an episodes file in `dir`.
fn pipeline(dir: &Path, header_rows: &str) -> PathBuf {
    let input = dir.join("in/2025-26");
    std::fs::create_dir_all(&input).unwrap();
    write_header(dir, header_rows);
    std::fs::write(input.join("episodes.csv"), EPISODES).unwrap();
    let path = dir.join("p.yaml");
    let yaml = "name: t\nla: {code: E08000035, number: \"383\"}\noutput: out\nreturns:\n  - return: ssda903\n    sources: [in/2025-26]\n";
    std::fs::write(&path, yaml).unwrap();
    path
}

fn write_header(dir: &Path, rows: &str) {
    std::fs::write(
        dir.join("in/2025-26/header.csv"),
        format!("{HEADER_COLUMNS}{rows}"),
    )
    .unwrap();
}

fn run_log(dir: &Path) -> Vec<RunRecord> {
    RunLog::new(&dir.join("out")).list().unwrap()
}

fn store(dir: &Path) -> SnapshotStore {
    SnapshotStore::new(dir.join("out"))
}

fn snapshot_ids(dir: &Path) -> Vec<String> {
    store(dir)
        .list(ReturnKind::Ssda903, year())
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect()
}

fn current_id(dir: &Path) -> String {
    store(dir)
        .current(ReturnKind::Ssda903, year())
        .unwrap()
        .unwrap()
        .id
}

fn temporary_entries(dir: &Path) -> usize {
    dir.join("out/.tmp")
        .read_dir()
        .map_or(0, |entries| entries.count())
}

fn record_of_process(dir: &Path, pid: u32) -> RunRecord {
    run_log(dir)
        .into_iter()
        .find(|r| r.pid == pid)
        .expect("the paused run wrote its record")
}

#[test]
fn every_run_is_recorded_with_its_inputs_outcome_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), NIGHT_ONE);
    let output = csc(&["run", "p.yaml"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let records = run_log(dir.path());
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!(record.outcome, Outcome::Succeeded);
    assert_eq!(record.pipeline, "t");
    assert_eq!(record.trigger.as_str(), "manual");
    assert!(record.finished_at.unwrap() >= record.started_at);
    assert_eq!(record.inputs.len(), 2);
    let header = record
        .inputs
        .iter()
        .find(|i| i.path.ends_with("header.csv"))
        .unwrap();
    assert_eq!(
        header.sha256,
        csc_returns::source::sha256_hex(format!("{HEADER_COLUMNS}{NIGHT_ONE}").as_bytes())
    );
    let ssda903 = &record.returns[0];
    assert_eq!(ssda903.snapshot_id.as_deref(), Some(record.run_id.as_str()));
    assert_eq!(ssda903.rows, 4);
    assert_eq!(ssda903.issues.error, 2);
    assert_eq!(ssda903.rules.iter().map(|r| r.findings).sum::<usize>(), 2);

    let listed = csc(&["runs", "--pipelines", "p.yaml"], dir.path());
    assert!(listed.status.success(), "{}", stderr(&listed));
    let line = stdout(&listed)
        .lines()
        .find(|l| l.starts_with(&record.run_id))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("{}", stdout(&listed)));
    assert!(
        line.contains("manual") && line.contains("succeeded"),
        "{line}"
    );

    let shown = csc(
        &["runs", "show", &record.run_id, "--output", "out"],
        dir.path(),
    );
    let text = stdout(&shown);
    assert!(shown.status.success(), "{}", stderr(&shown));
    for expected in [
        "outcome:  succeeded",
        "header.csv",
        &header.sha256,
        "2 errors",
        "invalid-code",
        "first run for the year: 2 new (2 errors)",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    let unknown = csc(&["runs", "show", "nope", "--output", "out"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn unchanged_inputs_are_skipped_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = pipeline(dir.path(), NIGHT_ONE);
    assert!(csc(&["run", "p.yaml"], dir.path()).status.success());
    let first = current_id(dir.path());

    let again = csc(&["run", "p.yaml"], dir.path());
    assert_eq!(again.status.code(), Some(0), "a skip is not a failure");
    let strict = csc(&["run", "p.yaml", "--fail-on-errors"], dir.path());
    assert_eq!(
        strict.status.code(),
        Some(1),
        "the unchanged data still has its errors"
    );
    assert!(stderr(&strict).contains("2 data errors remain, unchanged since run"));
    assert!(
        stdout(&again).contains("skipped: the inputs are unchanged since run")
            && stdout(&again).contains(&first),
        "{}",
        stdout(&again)
    );
    assert_eq!(
        snapshot_ids(dir.path()),
        [first.as_str()],
        "no new snapshot"
    );

    // Rewriting a file with the same bytes (a new modification time) is not a change.
    write_header(dir.path(), NIGHT_ONE);
    assert!(stdout(&csc(&["run", "p.yaml"], dir.path())).contains("skipped"));

    let forced = csc(&["run", "p.yaml", "--force"], dir.path());
    assert!(forced.status.success() && !stdout(&forced).contains("skipped"));
    assert_eq!(snapshot_ids(dir.path()).len(), 2);

    let mut yaml = std::fs::read_to_string(&pipeline).unwrap();
    yaml.push_str("# an edited pipeline runs again\n");
    std::fs::write(&pipeline, yaml).unwrap();
    assert!(!stdout(&csc(&["run", "p.yaml"], dir.path())).contains("skipped"));

    write_header(dir.path(), NIGHT_TWO);
    assert!(!stdout(&csc(&["run", "p.yaml"], dir.path())).contains("skipped"));
    assert_eq!(snapshot_ids(dir.path()).len(), 4);

    let outcomes: Vec<(Outcome, bool)> = run_log(dir.path())
        .iter()
        .map(|r| (r.outcome, r.forced))
        .collect();
    assert_eq!(
        outcomes,
        [
            (Outcome::Succeeded, false),
            (Outcome::Skipped, false),
            (Outcome::Skipped, false),
            (Outcome::Skipped, false),
            (Outcome::Succeeded, true),
            (Outcome::Succeeded, false),
            (Outcome::Succeeded, false),
        ]
    );
}

/// Starts `run p.yaml` and returns once it has paused while writing the episodes table, holding
/// the lock and a half-written snapshot. Keep its stderr reader until the process is dead:
/// dropping it closes the pipe the run writes to.
fn run_paused_mid_write(dir: &Path) -> (Child, BufReader<ChildStderr>) {
    let (run, mut log) = spawn_run(dir, &["p.yaml"], Some("snapshot-table:episodes=pause"));
    wait_for_line(&mut log, "paused");
    (run, log)
}

#[test]
fn a_second_run_is_skipped_or_waits_while_the_first_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), NIGHT_ONE);
    let (mut first, _first_err) = run_paused_mid_write(dir.path());

    let second = csc(&["run", "p.yaml"], dir.path());
    assert_eq!(second.status.code(), Some(0));
    let text = stdout(&second);
    assert!(
        text.contains("skipped: another run of t is under way")
            && text.contains(&format!("process {}", first.id()))
            && text.contains("--wait"),
        "{text}"
    );

    let (waiting, mut waiting_err) = spawn_run(dir.path(), &["p.yaml", "--wait"], None);
    wait_for_line(&mut waiting_err, "waiting for it to finish");
    // The holder dies without letting go; the operating system releases its lock.
    first.kill().unwrap();
    first.wait().unwrap();
    let waited = waiting.wait_with_output().unwrap();
    assert!(waited.status.success());
    let text = stdout(&waited);
    let first_record = record_of_process(dir.path(), first.id());
    assert!(
        text.contains(&format!("run {} had been interrupted", first_record.run_id)),
        "{text}"
    );
    assert_eq!(first_record.outcome, Outcome::Interrupted);

    let outcomes: Vec<Outcome> = run_log(dir.path()).iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [Outcome::Interrupted, Outcome::Skipped, Outcome::Succeeded]
    );
    assert_eq!(snapshot_ids(dir.path()).len(), 1);
}

#[test]
fn a_run_killed_mid_write_is_recorded_as_interrupted_and_publishes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), NIGHT_ONE);
    assert!(csc(&["run", "p.yaml"], dir.path()).status.success());
    let before = current_id(dir.path());

    write_header(dir.path(), NIGHT_TWO);
    let (mut killed, _killed_err) = run_paused_mid_write(dir.path());
    killed.kill().unwrap();
    killed.wait().unwrap();

    let record = record_of_process(dir.path(), killed.id());
    assert_eq!(
        record.outcome,
        Outcome::Running,
        "SIGKILL left it as it was"
    );
    assert_eq!(
        temporary_entries(dir.path()),
        1,
        "its half-written snapshot"
    );
    assert_eq!(
        snapshot_ids(dir.path()),
        [before.as_str()],
        "none is visible"
    );
    assert_eq!(current_id(dir.path()), before);

    let listed = stdout(&csc(&["runs", "--output", "out"], dir.path()));
    let line = listed
        .lines()
        .find(|l| l.starts_with(&record.run_id))
        .unwrap();
    assert!(line.contains("interrupted"), "{listed}");
    let record = RunLog::new(&dir.path().join("out"))
        .read(&record.run_id)
        .unwrap()
        .unwrap();
    assert_eq!(record.outcome, Outcome::Interrupted);
    assert!(record.message.unwrap().contains("ended without finishing"));

    let next = csc(&["run", "p.yaml"], dir.path());
    assert!(next.status.success(), "{}", stderr(&next));
    assert_eq!(temporary_entries(dir.path()), 0, "the next run cleared it");
    assert_eq!(snapshot_ids(dir.path()).len(), 2);
}

#[test]
fn the_diff_follows_issues_by_their_natural_key_across_nights() {
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), NIGHT_ONE);
    let night_one = csc(&["run", "p.yaml"], dir.path());
    assert!(
        stdout(&night_one).contains("first run of this pipeline for the year: 2 issues, all new"),
        "{}",
        stdout(&night_one)
    );
    let first = current_id(dir.path());

    write_header(dir.path(), NIGHT_TWO);
    let night_two = csc(&["run", "p.yaml"], dir.path());
    let text = stdout(&night_two);
    assert!(
        text.contains(&format!(
            "since run {first}: 1 new (1 errors), 1 fixed, 1 still open"
        )),
        "{text}"
    );
    // Rule 103 (ethnicity) supersedes the structural code-list finding on child 3.
    assert!(
        text.contains("new: invalid-code ×1; fixed: 103 ×1"),
        "{text}"
    );

    let current = store(dir.path())
        .current(ReturnKind::Ssda903, year())
        .unwrap()
        .unwrap();
    let entries = frame::read_issues_diff(&current.dir.join(ISSUES_DIFF_PARQUET)).unwrap();
    let by_child = |child: &str| -> &DiffEntry {
        entries
            .iter()
            .find(|e| e.child_id.as_deref() == Some(child))
            .unwrap_or_else(|| panic!("{entries:#?}"))
    };
    let (new, still_open, fixed) = (by_child("0"), by_child("2"), by_child("3"));
    assert_eq!(new.status, Status::New);
    assert_eq!(new.first_seen_run, current.id);
    assert_eq!(still_open.status, Status::StillOpen);
    assert_eq!(still_open.first_seen_run, first, "first seen on night one");
    assert_eq!(
        still_open.row,
        Some(4),
        "tonight's row, after the inserted one"
    );
    assert_eq!(still_open.flagged_value.as_deref(), Some("Y"));
    assert_eq!(still_open.row_key.as_deref(), Some("CHILD=2"));
    assert_eq!(
        (
            fixed.status,
            fixed.rule_code.as_str(),
            fixed.column.as_deref()
        ),
        (Status::Fixed, "103", Some("ETHNIC"))
    );
    assert_eq!(fixed.row, Some(4), "where it was when last seen");
    assert_eq!(entries.len(), 3);

    let raw = frame::read_parquet(&current.dir.join(ISSUES_DIFF_PARQUET)).unwrap();
    assert_eq!(
        frame::string_column(&raw, "compared_with").unwrap(),
        vec![Some(first.clone()); 3]
    );
    let record = run_log(dir.path()).pop().unwrap();
    let diff = record.returns[0].diff.unwrap();
    assert_eq!(
        (diff.new, diff.new_errors, diff.fixed, diff.still_open),
        (1, 1, 1, 1)
    );
}

#[test]
fn nights_open_count_from_the_first_report() {
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), NIGHT_TWO);
    let schemas = SchemaSet::embedded().unwrap();
    let run_id: Arc<str> = "tonight".into();
    let request = LoadRequest {
        return_kind: ReturnKind::Ssda903,
        year: Some(year()),
        role: Role::ThisYear,
        files: vec![
            dir.path().join("in/2025-26/header.csv"),
            dir.path().join("in/2025-26/episodes.csv"),
        ],
    };
    let (dataset, sink) = dataset::load(&request, &schemas, &run_id).unwrap();
    let issues = sink.into_issues();
    let today = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
    let first = issue_diff::compare(None, &issues, &dataset, "first", today - Days::new(3));
    assert!(
        first
            .entries
            .iter()
            .all(|e| e.status == Status::New && e.nights_open == 1)
    );
    let previous = Previous {
        run_id: "first".into(),
        open: first.entries.clone(),
    };
    let tonight = issue_diff::compare(Some(&previous), &issues, &dataset, "tonight", today);
    assert_eq!(tonight.compared_with.as_deref(), Some("first"));
    assert!(!tonight.entries.is_empty());
    for entry in &tonight.entries {
        assert_eq!(entry.status, Status::StillOpen);
        assert_eq!(entry.first_seen, today - Days::new(3));
        assert_eq!(entry.nights_open, 4, "the first night and three more");
    }
    let summary = tonight.summary();
    assert_eq!(summary.oldest_open, Some((today - Days::new(3), 4)));

    let written = tempfile::tempdir().unwrap();
    tonight.write(written.path()).unwrap();
    let back = frame::read_issues_diff(&written.path().join(ISSUES_DIFF_PARQUET)).unwrap();
    assert_eq!(back, tonight.entries, "the diff survives Parquet");
}
