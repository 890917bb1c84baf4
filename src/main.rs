use std::process::ExitCode;

use clap::Parser;
use csc_returns::commands::Cli;

fn main() -> ExitCode {
    restore_default_sigpipe();
    match Cli::parse().run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("csc-returns: {failure}");
            failure.exit_code()
        }
    }
}

/// Lets `csc-returns ... | head` end quietly, as command-line tools do, instead of panicking when
/// the reader goes away.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal disposition at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
