use std::process::ExitCode;

use clap::Parser;
use csc_returns::commands::Cli;

fn main() -> ExitCode {
    match Cli::parse().run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("csc-returns: {failure}");
            failure.exit_code()
        }
    }
}
