//! Fault injection for crash-safety tests. A test sets `CSC_RETURNS_FAILPOINT` to the name of a
//! point (`snapshot-table:episodes`) to make the run fail there with an I/O error, to
//! `NAME=abort` to kill the process there as a power cut would, or to `NAME=pause` to stop there
//! (holding whatever the run holds) until the test kills the process. Unset, a point costs one
//! lookup.

use std::io;

const VARIABLE: &str = "CSC_RETURNS_FAILPOINT";

/// Fails, aborts or pauses the process if the failpoint `name` is armed.
pub fn hit(name: &str) -> io::Result<()> {
    let Ok(armed) = std::env::var(VARIABLE) else {
        return Ok(());
    };
    match armed.split_once('=') {
        Some((point, "abort")) if point == name => {
            eprintln!("csc-returns: failpoint {name}: aborting");
            std::process::abort()
        }
        Some((point, "pause")) if point == name => {
            eprintln!(
                "csc-returns: failpoint {name}: paused (process {})",
                std::process::id()
            );
            loop {
                std::thread::park();
            }
        }
        None if armed == name => Err(io::Error::other(format!(
            "failpoint {name} was hit ({VARIABLE})"
        ))),
        _ => Ok(()),
    }
}
