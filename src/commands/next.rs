//! `csc-returns next PIPELINE`: when a pipeline's schedule runs next, in its own time zone and in
//! UTC, with a note where a clock change moves a run.

use std::path::PathBuf;

use chrono::{DateTime, LocalResult, TimeZone, Utc};

use crate::commands::Failure;
use crate::pipeline::config::PipelineConfig;

#[derive(Debug, clap::Args)]
pub struct NextArgs {
    /// The pipeline file (YAML) with a `schedule:` block.
    pub pipeline: PathBuf,
    /// How many run times to show.
    #[arg(long, default_value_t = 5)]
    pub count: usize,
    /// Show run times after this instant (RFC 3339, e.g. 2026-03-28T12:00:00Z) instead of now.
    #[arg(long, value_parser = parse_instant)]
    pub after: Option<DateTime<Utc>>,
}

fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{text:?} is not an RFC 3339 time like 2026-03-28T12:00:00Z: {e}"))
}

pub fn run(args: NextArgs) -> Result<(), Failure> {
    let config = PipelineConfig::load(&args.pipeline).map_err(Failure::config)?;
    let Some(schedule) = &config.schedule else {
        return Err(Failure::config(format!(
            "{} has no `schedule:`; add one, e.g.\n  schedule:\n    cron: \"30 1 * * *\"",
            args.pipeline.display()
        )));
    };
    let after = args.after.unwrap_or_else(Utc::now);
    println!(
        "Pipeline {}: \"{}\" in {}",
        config.name,
        schedule.expression(),
        schedule.time_zone()
    );
    for time in schedule.upcoming(after, args.count) {
        let repeated = matches!(
            time.timezone().from_local_datetime(&time.naive_local()),
            LocalResult::Ambiguous(..)
        );
        let moved = if !schedule.matches(&time) {
            "  (the scheduled time does not exist that day: the clocks go forward)"
        } else if repeated {
            "  (this time happens twice that day as the clocks go back; the run is at the first)"
        } else {
            ""
        };
        println!(
            "  {}  ({} UTC){moved}",
            time.format("%a %d %b %Y %H:%M %Z"),
            time.with_timezone(&Utc).format("%H:%M")
        );
    }
    Ok(())
}
