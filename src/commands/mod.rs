//! The command-line interface: one module per subcommand, each with its clap arguments and a `run`
//! function. Commands report bad data as findings and fail only for faults, with the exit codes
//! documented in the README.

use std::fmt;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod schemas;
pub mod synth;

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
    about = "CIN census and SSDA903 returns: ingest, validate, snapshot, figures"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the return schemas this build knows, or show one year's tables and columns.
    Schemas(schemas::SchemasArgs),
    /// Write synthetic SSDA903 and CIN returns (this year and last) for tests and demos.
    Synth(synth::SynthArgs),
}

impl Cli {
    pub fn run(self) -> Result<(), Failure> {
        match self.command {
            Command::Schemas(args) => schemas::run(args),
            Command::Synth(args) => synth::run(args),
        }
    }
}
