//! Helpers shared by the integration tests.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};

/// The repository root, for shipped schemas and demo data.
#[allow(dead_code)]
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The csc-returns binary with a clean environment for fault injection.
pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_csc-returns"));
    command.env_remove("CSC_RETURNS_FAILPOINT");
    command
}

/// Runs the binary with arguments and returns its output.
pub fn csc(args: &[&str], dir: &Path) -> std::process::Output {
    binary().args(args).current_dir(dir).output().unwrap()
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Starts `csc-returns run` in the background with its stderr piped, so that a test can wait
/// for a line (a failpoint pausing, a run waiting for the lock) before acting.
pub fn spawn_run(
    dir: &Path,
    args: &[&str],
    failpoint: Option<&str>,
) -> (Child, BufReader<ChildStderr>) {
    let mut command = binary();
    command
        .arg("run")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(point) = failpoint {
        command.env("CSC_RETURNS_FAILPOINT", point);
    }
    let mut child = command.spawn().unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    (child, stderr)
}

/// Reads stderr until a line containing `needle`; panics if the process ends first.
pub fn wait_for_line(stderr: &mut BufReader<ChildStderr>, needle: &str) -> String {
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        let n = stderr.read_line(&mut line).unwrap();
        assert!(
            n > 0,
            "the process ended before printing {needle:?}; it printed:\n{seen}"
        );
        if line.contains(needle) {
            return line;
        }
        seen.push_str(&line);
    }
}

/// The Python of a reference validator's environment (`903` or `cin`), installed by
/// `tests/oracle/setup.sh` (which leaves a working environment alone).
pub fn oracle_python(which: &str) -> PathBuf {
    let root = repo_root();
    let output = Command::new("bash")
        .arg(root.join("tests/oracle/setup.sh"))
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "tests/oracle/setup.sh failed (it needs Python 3.10 or 3.11 and access to PyPI):\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    root.join(".oracle").join(which).join("bin/python")
}
