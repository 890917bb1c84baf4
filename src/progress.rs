//! Progress for long steps (reading a big export, writing the workbook). A bar is drawn only when
//! stderr is a terminal: under cron, systemd, CI or a test the same calls do nothing, so logs hold
//! no escape codes and no one has to pass a `--quiet`.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar or spinner on stderr, or nothing when nobody is watching. Dropping it (or
/// [`Progress::finish`]) clears the line, so the command's own output follows undisturbed.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar counting up to `len` steps.
    pub fn bar(len: u64, message: impl Into<Cow<'static, str>>) -> Self {
        Self::when(std::io::stderr().is_terminal(), || {
            ProgressBar::new(len)
                .with_style(
                    ProgressStyle::with_template(
                        "{msg} [{bar:30}] {human_pos}/{human_len} ({elapsed}, about {eta} left)",
                    )
                    .expect("a valid template")
                    .progress_chars("=> "),
                )
                .with_message(message)
        })
    }

    /// A spinner for a step of unknown length.
    pub fn spinner(message: impl Into<Cow<'static, str>>) -> Self {
        Self::when(std::io::stderr().is_terminal(), || {
            let bar = ProgressBar::new_spinner()
                .with_style(
                    ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                        .expect("a valid template"),
                )
                .with_message(message);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        })
    }

    /// Nothing drawn, whatever stderr is: for callers told to be quiet.
    pub fn hidden() -> Self {
        Progress { bar: None }
    }

    fn when(draw: bool, make: impl FnOnce() -> ProgressBar) -> Self {
        Progress {
            bar: draw.then(make),
        }
    }

    pub fn inc(&self, steps: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(steps);
        }
    }

    pub fn set_message(&self, message: impl Into<Cow<'static, str>>) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
        }
    }

    /// Ends the step and clears its line.
    pub fn finish(self) {}
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_terminal_no_bar_is_made() {
        let progress = Progress::when(false, || panic!("no bar may be built for cron"));
        progress.inc(5);
        progress.set_message("still quiet");
        assert!(progress.bar.is_none());
    }

    #[test]
    fn on_a_terminal_steps_are_counted() {
        let progress = Progress::when(true, ProgressBar::hidden);
        progress.inc(2);
        progress.inc(3);
        let bar = progress.bar.clone().expect("a bar on a terminal");
        assert_eq!(bar.position(), 5);
        progress.finish();
        assert!(bar.is_finished(), "finishing clears the bar");
    }
}
