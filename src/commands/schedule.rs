//! `csc-returns schedule PIPELINES`: runs every scheduled pipeline of a folder on its schedule, as
//! a long-lived service; or, with `--print-crontab` / `--print-systemd`, prints the equivalent
//! entries for sites that prefer the system scheduler.
//!
//! The daemon re-reads the folder before each wait, so an edited or added pipeline needs no
//! restart. Each run is a child process (`csc-returns run --trigger scheduled FILE`): a run that
//! fails or is killed cannot take the daemon with it, and each run takes its pipeline's lock, so a
//! run that overruns into the next night's time makes the next one skip, not double up.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

use chrono::Utc;

use crate::commands::Failure;
use crate::pipeline::config::PipelineConfig;
use crate::pipeline::schedule::{ScheduledPipeline, Timetable};

/// The longest the daemon sleeps before looking at the folder and the clock again.
const LONGEST_SLEEP: Duration = Duration::from_secs(60);
/// How often the daemon checks on the runs it started.
const RUN_POLL: Duration = Duration::from_secs(1);

#[derive(Debug, clap::Args)]
pub struct ScheduleArgs {
    /// A folder of pipeline files (or one file).
    pub pipelines: PathBuf,
    /// Print crontab lines for the scheduled pipelines instead of running them.
    #[arg(long, conflicts_with = "print_systemd")]
    pub print_crontab: bool,
    /// Print a systemd service and timer per scheduled pipeline instead of running them.
    #[arg(long)]
    pub print_systemd: bool,
    /// The csc-returns binary the printed entries run (default: this one).
    #[arg(long)]
    pub binary: Option<PathBuf>,
    /// The user the systemd services run as.
    #[arg(long, default_value = "csc-returns")]
    pub user: String,
}

/// The pipeline files a path names: the file itself, or every .yaml/.yml in the folder.
pub fn pipeline_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries =
        std::fs::read_dir(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml")
                })
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "{} holds no pipeline files (*.yaml)",
            path.display()
        ));
    }
    Ok(files)
}

/// The pipelines of a folder.
#[derive(Debug, Default)]
struct Folder {
    scheduled: Vec<ScheduledPipeline>,
    /// Names of the pipelines without a schedule.
    unscheduled: Vec<String>,
    /// Why each file that could not be loaded was not.
    errors: Vec<String>,
}

fn load(path: &Path) -> Result<Folder, String> {
    let Folder {
        mut scheduled,
        mut unscheduled,
        mut errors,
    } = Folder::default();
    for file in pipeline_files(path)? {
        let file = std::path::absolute(&file).unwrap_or(file);
        match PipelineConfig::load(&file) {
            Ok(config) => match config.schedule {
                Some(schedule) => scheduled.push(ScheduledPipeline {
                    name: config.name,
                    file,
                    schedule,
                }),
                None => unscheduled.push(config.name),
            },
            Err(e) => errors.push(e.to_string()),
        }
    }
    Ok(Folder {
        scheduled,
        unscheduled,
        errors,
    })
}

pub fn run(args: ScheduleArgs) -> Result<(), Failure> {
    if args.print_crontab || args.print_systemd {
        let Folder {
            scheduled,
            unscheduled,
            errors,
        } = load(&args.pipelines).map_err(Failure::config)?;
        if !errors.is_empty() {
            return Err(Failure::config(errors.join("\n")));
        }
        if scheduled.is_empty() {
            return Err(Failure::config(format!(
                "no pipeline in {} has a `schedule:`; add one, e.g.\n  schedule:\n    cron: \"30 1 * * *\"",
                args.pipelines.display()
            )));
        }
        let binary = match &args.binary {
            Some(binary) => binary.clone(),
            None => std::env::current_exe()
                .map_err(|e| Failure::runtime(format!("cannot tell where this binary is: {e}")))?,
        };
        let text = if args.print_crontab {
            crontab(&scheduled, &unscheduled, &binary)
        } else {
            systemd(&scheduled, &binary, &args.user)
        };
        print!("{text}");
        return Ok(());
    }
    daemon(&args.pipelines)
}

/// Paths in printed commands: quoted when they hold anything a shell would split or expand.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+:@".contains(&b))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

fn run_command(binary: &Path, file: &Path) -> String {
    format!(
        "{} run --trigger scheduled {}",
        shell_word(binary),
        shell_word(file)
    )
}

/// Crontab lines, one per scheduled pipeline, each after the time zone it is read in.
pub fn crontab(scheduled: &[ScheduledPipeline], unscheduled: &[String], binary: &Path) -> String {
    let mut out = String::from(
        "# csc-returns nightly runs (from `csc-returns schedule --print-crontab`).\n\
         # Install as the service user with `crontab -e`. CRON_TZ is honoured by cronie (RHEL,\n\
         # Fedora, SUSE); Debian and Ubuntu cron use the system time zone (`timedatectl`), so set\n\
         # that to the zone below. Output is mailed to MAILTO; every run is also in the run log\n\
         # (`csc-returns runs`). Each run takes its pipeline's lock: an overrun is skipped, not doubled.\n",
    );
    for pipeline in scheduled {
        writeln!(
            out,
            "\n# {}: \"{}\" in {}\nCRON_TZ={}\n{} {}",
            pipeline.name,
            pipeline.schedule.expression(),
            pipeline.schedule.time_zone(),
            pipeline.schedule.time_zone(),
            pipeline.schedule.expression(),
            run_command(binary, &pipeline.file)
        )
        .unwrap();
    }
    for name in unscheduled {
        writeln!(
            out,
            "\n# {name}: no `schedule:` in its pipeline file, not listed"
        )
        .unwrap();
    }
    out
}

/// A unit name from a pipeline name: systemd allows letters, digits and `:_.-`.
fn unit_name(pipeline: &str) -> String {
    let safe: String = pipeline
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ":_.-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("csc-returns-{safe}")
}

/// A systemd service and timer per scheduled pipeline.
pub fn systemd(scheduled: &[ScheduledPipeline], binary: &Path, user: &str) -> String {
    let mut out = String::from(
        "# csc-returns nightly runs as systemd timers (from `csc-returns schedule --print-systemd`).\n\
         # Save each unit under /etc/systemd/system/, then:\n\
         #   systemctl daemon-reload && systemctl enable --now <name>.timer\n\
         # Secrets the pipeline names (auth.token_env...) go in the EnvironmentFile, mode 0600.\n",
    );
    for pipeline in scheduled {
        let unit = unit_name(&pipeline.name);
        let output = PipelineConfig::load(&pipeline.file)
            .map(|c| c.output_root())
            .unwrap_or_default();
        writeln!(
            out,
            "\n# ---- /etc/systemd/system/{unit}.service ----\n\
             [Unit]\n\
             Description=csc-returns pipeline {name}\n\
             Wants=network-online.target\n\
             After=network-online.target\n\
             \n\
             [Service]\n\
             Type=oneshot\n\
             User={user}\n\
             ExecStart={command}\n\
             EnvironmentFile=-/etc/csc-returns/{name}.env\n\
             UMask=0077\n\
             NoNewPrivileges=yes\n\
             PrivateTmp=yes\n\
             ProtectSystem=strict\n\
             ReadWritePaths={output}\n\
             \n\
             # ---- /etc/systemd/system/{unit}.timer ----\n\
             [Unit]\n\
             Description=Run csc-returns pipeline {name} on \"{cron}\" ({zone})\n\
             \n\
             [Timer]",
            name = pipeline.name,
            command = run_command(binary, &pipeline.file),
            output = output.display(),
            cron = pipeline.schedule.expression(),
            zone = pipeline.schedule.time_zone(),
        )
        .unwrap();
        for calendar in pipeline.schedule.systemd_calendar() {
            writeln!(out, "OnCalendar={calendar}").unwrap();
        }
        out.push_str(
            "# A run missed while the server was off starts when it is back.\n\
             Persistent=true\n\
             \n\
             [Install]\n\
             WantedBy=timers.target\n",
        );
    }
    out
}

fn log(message: &str) {
    println!(
        "{} csc-returns schedule: {message}",
        Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
}

/// The long-lived scheduler.
fn daemon(folder: &Path) -> Result<(), Failure> {
    let binary = std::env::current_exe()
        .map_err(|e| Failure::runtime(format!("cannot tell where this binary is: {e}")))?;
    // Fail at start on a folder that cannot be read; later, report and keep going.
    pipeline_files(folder).map_err(Failure::config)?;
    let mut timetable = Timetable::default();
    let mut running: BTreeMap<PathBuf, (String, Child)> = BTreeMap::new();
    let mut reported_errors: Vec<String> = Vec::new();
    let mut shown_plan = String::new();
    log(&format!("watching {}", folder.display()));
    loop {
        let now = Utc::now();
        match load(folder) {
            Ok(Folder {
                scheduled, errors, ..
            }) => {
                for error in errors.iter().filter(|e| !reported_errors.contains(e)) {
                    log(&format!("not scheduled until fixed: {error}"));
                }
                reported_errors = errors;
                timetable.update(scheduled, now);
            }
            Err(e) => log(&format!("{e}; keeping the pipelines already loaded")),
        }
        let plan = plan_text(&timetable);
        if plan != shown_plan {
            log(&plan);
            shown_plan = plan;
        }
        // Reaped first, so that a run that has ended is not reported as still going.
        running.retain(|_, (name, child)| match child.try_wait() {
            Ok(Some(status)) => {
                log(&format!(
                    "{name} finished: {}",
                    describe_exit(status.code())
                ));
                false
            }
            Ok(None) => true,
            Err(e) => {
                log(&format!("cannot check on the run of {name}: {e}"));
                false
            }
        });
        for pipeline in timetable.take_due(now) {
            start(&binary, &pipeline, &mut running);
        }
        // While a run is under way, wake often enough to report its end when it happens.
        let longest = if running.is_empty() {
            LONGEST_SLEEP
        } else {
            RUN_POLL
        };
        let sleep = timetable
            .next_wake()
            .and_then(|next| (next - Utc::now()).to_std().ok())
            .unwrap_or(LONGEST_SLEEP)
            .clamp(Duration::from_millis(200), longest);
        std::thread::sleep(sleep);
    }
}

fn plan_text(timetable: &Timetable) -> String {
    let upcoming = timetable.upcoming();
    if upcoming.is_empty() {
        return "no scheduled pipelines; add `schedule:` to a pipeline file in the folder".into();
    }
    let lines: Vec<String> = upcoming
        .iter()
        .map(|(pipeline, next)| {
            format!(
                "{} next at {}",
                pipeline.name,
                next.with_timezone(&pipeline.schedule.time_zone())
                    .format("%Y-%m-%d %H:%M %Z")
            )
        })
        .collect();
    lines.join("; ")
}

fn start(
    binary: &Path,
    pipeline: &ScheduledPipeline,
    running: &mut BTreeMap<PathBuf, (String, Child)>,
) {
    if let Some((_, child)) = running.get(&pipeline.file) {
        // The child would find the lock taken and record a skip; say so here too.
        log(&format!(
            "{} is due but its previous run (process {}) is still going",
            pipeline.name,
            child.id()
        ));
    }
    match Command::new(binary)
        .args(["run", "--trigger", "scheduled"])
        .arg(&pipeline.file)
        .spawn()
    {
        Ok(child) => {
            log(&format!(
                "started {} (process {})",
                pipeline.name,
                child.id()
            ));
            if let Some((name, mut previous)) =
                running.insert(pipeline.file.clone(), (pipeline.name.clone(), child))
            {
                // Still reaped, so that it does not linger as a zombie once it ends.
                std::thread::spawn(move || {
                    let status = previous.wait();
                    log(&format!(
                        "{name} (an earlier run) finished: {}",
                        status.map_or_else(|e| e.to_string(), |s| describe_exit(s.code()))
                    ));
                });
            }
        }
        Err(e) => log(&format!("cannot start {}: {e}", pipeline.name)),
    }
}

/// The documented exit codes, in words.
pub fn describe_exit(code: Option<i32>) -> String {
    match code {
        Some(0) => "exit 0 (ok)".into(),
        Some(1) => "exit 1 (data errors, with --fail-on-errors)".into(),
        Some(2) => "exit 2 (configuration error: see the run's output)".into(),
        Some(3) => "exit 3 (runtime fault: see the run's output)".into(),
        Some(code) => format!("exit {code}"),
        None => "killed by a signal".into(),
    }
}
