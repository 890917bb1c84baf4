//! The command-line interface: one module per subcommand, each with its clap arguments and a `run`
//! function. Commands report bad data as findings and fail only for faults, with the exit codes
//! documented in the README.

use std::fmt;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod benchmarks;
pub mod figures;
pub mod next;
pub mod query;
pub mod report;
pub mod root;
pub mod rules;
pub mod run;
pub mod runs;
pub mod schedule;
pub mod schemas;
pub mod synth;
pub mod validate;

/// Why a command stopped. Bad data is never a failure: it is reported and the run completes.
#[derive(Debug)]
pub enum Failure {
    /// The user asked to fail when data errors remain (`--fail-on-errors`).
    DataErrors(String),
    /// A configuration or usage error the user must fix (bad pipeline file, unknown option).
    Config(String),
    /// A fault while running (disk full, output not writable).
    Runtime(String),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::DataErrors(_) => ExitCode::from(1),
            Failure::Config(_) => ExitCode::from(2),
            Failure::Runtime(_) => ExitCode::from(3),
        }
    }

    pub fn config(message: impl fmt::Display) -> Self {
        Failure::Config(message.to_string())
    }

    pub fn runtime(message: impl fmt::Display) -> Self {
        Failure::Runtime(message.to_string())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::DataErrors(m) | Failure::Config(m) | Failure::Runtime(m) => f.write_str(m),
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "csc-returns",
    version,
    about = "CIN census and SSDA903 returns: ingest, validate, snapshot, figures",
    after_help = "Exit codes: 0 ok (bad data is reported, not fatal; skipped runs too), 1 data errors with \
                  --fail-on-errors, 2 configuration error, 3 runtime fault. See docs/operations.md."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a pipeline: ingest, check, validate and snapshot every return it names.
    Run(run::RunArgs),
    /// Check files of one return without a pipeline file, writing a snapshot and reports.
    Validate(validate::ValidateArgs),
    /// Run every scheduled pipeline of a folder on its schedule (a long-lived service), or print
    /// crontab or systemd entries that do the same.
    Schedule(schedule::ScheduleArgs),
    /// List the runs recorded in the run log, or show one (`runs show ID`).
    Runs(runs::RunsArgs),
    /// Show when a pipeline's schedule runs next (the next five times by default).
    Next(next::NextArgs),
    /// List the return schemas this build knows, or show one year's tables and columns.
    Schemas(schemas::SchemasArgs),
    /// Print an LA's figures for a year and period, with England, region and neighbour benchmarks.
    Figures(figures::FiguresArgs),
    /// Run SQL over a snapshot's tables, issues and figures.
    Query(query::QueryArgs),
    /// List or update the published benchmark editions.
    Benchmarks(benchmarks::BenchmarksArgs),
    /// Write the performance report (HTML page and workbook) from the snapshots' figures.
    Report(report::ReportArgs),
    /// Write synthetic SSDA903 and CIN returns (this year and last, with Ofsted provider lists)
    /// for tests and demos.
    Synth(synth::SynthArgs),
    /// List the DfE validation rules, show one, or print the rule reference.
    Rules(rules::RulesArgs),
}

impl Cli {
    pub fn run(self) -> Result<(), Failure> {
        match self.command {
            Command::Run(args) => run::run(args),
            Command::Validate(args) => validate::run(args),
            Command::Schemas(args) => schemas::run(args),
            Command::Figures(args) => figures::run(args),
            Command::Query(args) => query::run(args),
            Command::Benchmarks(args) => benchmarks::run(args),
            Command::Report(args) => report::run(args),
            Command::Next(args) => next::run(args),
            Command::Schedule(args) => schedule::run(args),
            Command::Runs(args) => runs::run(args),
            Command::Synth(args) => synth::run(args),
            Command::Rules(args) => rules::run(args),
        }
    }
}
