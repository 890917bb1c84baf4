//! Schedules from the command line: `next` across the clock changes, the crontab and systemd
//! entries `schedule` prints, and the `schedule` daemon running a pipeline when it is due.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use csc_returns::pipeline::history::{Outcome, RunLog, Trigger};

use crate::support::{binary, csc, stderr, stdout};

fn pipeline(dir: &Path, name: &str, schedule: &str) {
    let yaml = format!(
        "name: {name}\nla: {{code: E08000035, number: \"383\"}}\noutput: ../out\nreturns:\n  - return: ssda903\n    year: 2026\n    sources: [../in]\n{schedule}"
    );
    std::fs::create_dir_all(dir.join("pipelines")).unwrap();
    std::fs::write(dir.join("pipelines").join(format!("{name}.yaml")), yaml).unwrap();
}

#[test]
fn next_shows_five_runs_in_london_time_across_the_spring_and_autumn_changes() {
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), "nightly", "schedule:\n  cron: \"30 1 * * *\"\n");
    let spring = csc(
        &[
            "next",
            "pipelines/nightly.yaml",
            "--after",
            "2026-03-27T12:00:00Z",
        ],
        dir.path(),
    );
    assert!(spring.status.success(), "{}", stderr(&spring));
    let lines: Vec<String> = stdout(&spring).lines().map(str::to_string).collect();
    assert_eq!(
        lines[0],
        "Pipeline nightly: \"30 1 * * *\" in Europe/London"
    );
    assert_eq!(lines.len(), 6, "five run times");
    assert!(
        lines[1].contains("Sat 28 Mar 2026 01:30 GMT  (01:30 UTC)"),
        "{lines:?}"
    );
    assert!(
        lines[2].contains("Sun 29 Mar 2026 02:00 BST  (01:00 UTC)")
            && lines[2].contains("does not exist that day"),
        "{lines:?}"
    );
    assert!(
        lines[3].contains("Mon 30 Mar 2026 01:30 BST  (00:30 UTC)"),
        "{lines:?}"
    );

    let autumn = stdout(&csc(
        &[
            "next",
            "pipelines/nightly.yaml",
            "--after",
            "2026-10-24T12:00:00Z",
            "--count",
            "2",
        ],
        dir.path(),
    ));
    let lines: Vec<&str> = autumn.lines().collect();
    assert!(
        lines[1].contains("Sun 25 Oct 2026 01:30 BST  (00:30 UTC)")
            && lines[1].contains("happens twice"),
        "{autumn}"
    );
    assert!(
        lines[2].contains("Mon 26 Oct 2026 01:30 GMT  (01:30 UTC)"),
        "{autumn}"
    );
}

#[test]
fn next_without_a_schedule_or_with_a_bad_one_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), "manual", "");
    let output = csc(&["next", "pipelines/manual.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("has no `schedule:`"),
        "{}",
        stderr(&output)
    );
    pipeline(
        dir.path(),
        "bad",
        "schedule:\n  cron: \"30 1 * * 8\"\n  time_zone: Europe/London\n",
    );
    let output = csc(&["next", "pipelines/bad.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("day of week 8 is out of range 0-7"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn crontab_and_systemd_entries_run_each_scheduled_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    pipeline(dir.path(), "nightly", "schedule:\n  cron: \"30 1 * * *\"\n");
    pipeline(
        dir.path(),
        "weekdays",
        "schedule:\n  cron: \"0 6 * * 1-5\"\n  time_zone: UTC\n",
    );
    pipeline(dir.path(), "manual", "");
    let pipelines = std::fs::canonicalize(dir.path().join("pipelines")).unwrap();

    let crontab = csc(
        &[
            "schedule",
            "pipelines",
            "--print-crontab",
            "--binary",
            "/usr/local/bin/csc-returns",
        ],
        dir.path(),
    );
    assert!(crontab.status.success(), "{}", stderr(&crontab));
    let text = stdout(&crontab);
    let expected = format!(
        "CRON_TZ=Europe/London\n30 1 * * * /usr/local/bin/csc-returns run --trigger scheduled {}",
        pipelines.join("nightly.yaml").display()
    );
    assert!(text.contains(&expected), "{text}");
    let expected = format!(
        "CRON_TZ=UTC\n0 6 * * 1-5 /usr/local/bin/csc-returns run --trigger scheduled {}",
        pipelines.join("weekdays.yaml").display()
    );
    assert!(text.contains(&expected), "{text}");
    assert!(text.contains("# manual: no `schedule:`"), "{text}");

    let systemd = csc(
        &[
            "schedule",
            "pipelines",
            "--print-systemd",
            "--binary",
            "/usr/local/bin/csc-returns",
            "--user",
            "csc",
        ],
        dir.path(),
    );
    let text = stdout(&systemd);
    for expected in [
        "# ---- /etc/systemd/system/csc-returns-nightly.service ----",
        "User=csc",
        &format!(
            "ExecStart=/usr/local/bin/csc-returns run --trigger scheduled {}",
            pipelines.join("nightly.yaml").display()
        ),
        "OnCalendar=*-*-* 01:30:00 Europe/London",
        "# ---- /etc/systemd/system/csc-returns-weekdays.timer ----",
        "OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 06:00:00 UTC",
        "Persistent=true",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert!(!text.contains("csc-returns-manual"));
}

/// Kills the daemon however the test ends, so that a failed assertion leaves no process behind.
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_daemon_runs_a_pipeline_when_due_and_reports_a_broken_one_without_stopping() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::fs::write(
        dir.path().join("in/header.csv"),
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/02/2015,WBRI,UN2,,\n",
    )
    .unwrap();
    pipeline(
        dir.path(),
        "every-minute",
        "schedule:\n  cron: \"* * * * *\"\n  time_zone: UTC\n",
    );
    pipeline(dir.path(), "broken", "schedule:\n  cron: \"61 * * * *\"\n");

    let mut child = binary()
        .args(["schedule", "pipelines"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let output = child.stdout.take().unwrap();
    let daemon = Daemon(child);
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });

    // The next minute boundary, then the run itself.
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut seen = Vec::new();
    let finished = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = received.recv_timeout(left).unwrap_or_else(|_| {
            panic!("no run finished in 3 minutes; the daemon said:\n{seen:#?}")
        });
        seen.push(line.clone());
        if line.contains("every-minute finished:") {
            break line;
        }
    };
    assert!(finished.contains("exit 0 (ok)"), "{seen:#?}");
    assert!(
        seen.iter().any(|l| l.contains("not scheduled until fixed")
            && l.contains("broken.yaml")
            && l.contains("61")),
        "{seen:#?}"
    );
    assert!(
        seen.iter().any(|l| l.contains("started every-minute")),
        "{seen:#?}"
    );
    drop(daemon);

    let runs = RunLog::new(&dir.path().join("out")).list().unwrap();
    assert_eq!(runs.len(), 1, "{runs:#?}");
    assert_eq!(runs[0].pipeline, "every-minute");
    assert_eq!(runs[0].trigger, Trigger::Scheduled);
    assert_eq!(runs[0].outcome, Outcome::Succeeded);
}
