//! Snapshots are immutable and published atomically: a run that dies at any point leaves the
//! previous snapshot current, complete and readable.

use std::path::{Path, PathBuf};
use std::process::Command;

use csc_returns::frame;
use csc_returns::schema::ReturnKind;
use csc_returns::snapshot::SnapshotStore;
use csc_returns::year::CollectionYear;

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/02/2015,WBRI,UN1,,\n";
const EPISODES: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
                        1,01/05/2025,S,C2,N1,U1,PR1,,,,,,SC1\n";

/// A pipeline over two small 903 files in a fresh folder.
fn pipeline(dir: &Path) -> PathBuf {
    let input = dir.join("in/2025-26");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("header.csv"), HEADER).unwrap();
    std::fs::write(input.join("episodes.csv"), EPISODES).unwrap();
    let path = dir.join("p.yaml");
    let yaml = "name: t\nla: {code: E08000035, number: \"383\"}\noutput: out\nreturns:\n  - return: ssda903\n    sources: [in/2025-26]\n";
    std::fs::write(&path, yaml).unwrap();
    path
}

fn run(pipeline: &Path, failpoint: Option<&str>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_csc-returns"));
    // Forced: these runs read the same inputs again, which would otherwise be skipped.
    command
        .arg("run")
        .arg(pipeline)
        .arg("--force")
        .env_remove("CSC_RETURNS_FAILPOINT");
    if let Some(point) = failpoint {
        command.env("CSC_RETURNS_FAILPOINT", point);
    }
    command.output().unwrap()
}

fn store(dir: &Path) -> SnapshotStore {
    SnapshotStore::new(dir.join("out"))
}

fn year() -> CollectionYear {
    CollectionYear::new(2026).unwrap()
}

/// Reads every table of the current snapshot, as an analyst's tool would.
fn current_is_readable(dir: &Path) -> String {
    let current = store(dir)
        .current(ReturnKind::Ssda903, year())
        .unwrap()
        .expect("a current snapshot");
    let manifest = current.manifest().unwrap();
    for table in &manifest.tables {
        let frame = frame::read_parquet(&current.dir.join(&table.file)).unwrap();
        assert_eq!(frame::height(&frame), table.rows, "{}", table.name);
    }
    let through_link = dir.join("out/current/ssda903-2026/table=episodes/part-0.parquet");
    assert_eq!(
        frame::height(&frame::read_parquet(&through_link).unwrap()),
        1
    );
    current.id
}

#[test]
fn a_run_killed_while_writing_tables_leaves_the_previous_snapshot_current() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = pipeline(dir.path());
    assert!(run(&pipeline, None).status.success());
    let first = current_is_readable(dir.path());
    let temporary = || {
        dir.path()
            .join("out/.tmp")
            .read_dir()
            .map_or(0, |entries| entries.count())
    };
    for point in [
        "snapshot-table:episodes=abort",
        "snapshot-publish=abort",
        "snapshot-current=abort",
    ] {
        let output = run(&pipeline, Some(point));
        assert!(!output.status.success(), "{point}: the process was killed");
        assert_eq!(
            current_is_readable(dir.path()),
            first,
            "{point}: the previous snapshot is still current"
        );
        let left = if point.starts_with("snapshot-current") {
            0
        } else {
            1
        };
        assert_eq!(
            temporary(),
            left,
            "{point}: a run killed before publishing leaves its temporary folder"
        );
    }
    let listed: Vec<String> = store(dir.path())
        .list(ReturnKind::Ssda903, year())
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        listed.len(),
        2,
        "only the run killed after publishing left a (complete) snapshot: {listed:?}"
    );

    assert!(run(&pipeline, None).status.success());
    let last = current_is_readable(dir.path());
    assert_ne!(last, first);
    assert_eq!(temporary(), 0, "the next run cleared what dead runs left");
}

#[test]
fn a_write_error_fails_the_run_with_exit_code_3_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = pipeline(dir.path());
    assert!(run(&pipeline, None).status.success());
    let first = current_is_readable(dir.path());
    let output = run(&pipeline, Some("snapshot-table:header"));
    assert_eq!(output.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("FAILED") && stdout.contains("previous one is still current"),
        "{stdout}"
    );
    assert_eq!(current_is_readable(dir.path()), first);
    assert_eq!(
        store(dir.path())
            .list(ReturnKind::Ssda903, year())
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        dir.path().join("out/.tmp").read_dir().unwrap().count(),
        0,
        "a failed run removes its own temporary folder"
    );
}

#[cfg(unix)]
#[test]
fn everything_written_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    assert!(run(&pipeline(dir.path()), None).status.success());
    let mut checked = 0;
    let mut pending = vec![dir.path().join("out")];
    while let Some(path) = pending.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.file_type().is_symlink() {
            continue;
        }
        let mode = meta.permissions().mode() & 0o777;
        if meta.is_dir() {
            assert_eq!(mode, 0o700, "{}", path.display());
            pending.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            assert_eq!(mode, 0o600, "{}", path.display());
        }
        checked += 1;
    }
    assert!(checked > 10, "walked the snapshot ({checked} entries)");
}
