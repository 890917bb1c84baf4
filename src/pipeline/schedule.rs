//! When a pipeline runs: a standard 5-field cron expression read in a named time zone
//! (Europe/London unless the pipeline says otherwise), and the same schedule written out for cron
//! and systemd, for sites that prefer the system scheduler to `csc-returns schedule`.
//!
//! ```yaml
//! schedule:
//!   cron: "30 1 * * *"          # minute hour day-of-month month day-of-week
//!   time_zone: Europe/London    # optional; an IANA name
//! ```
//!
//! Only POSIX cron syntax is accepted (numbers, names, `*`, `,`, `-`, `*/n`, `a-b/n`): croner's
//! extensions (`L`, `W`, `#`, `?`, `@daily`) have no crontab or systemd equivalent. Times that a
//! clock change skips run at the first instant after the change (01:30 on the last Sunday of
//! March runs at 02:00 BST); times that a clock change repeats run once, at the first of the two.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use croner::Cron;
use serde::Deserialize;

pub const DEFAULT_TIME_ZONE: &str = "Europe/London";

/// The `schedule:` block of a pipeline file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSpec {
    /// Five fields: minute, hour, day of month, month, day of week.
    pub cron: String,
    /// IANA time zone the cron fields are read in.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
}

fn default_time_zone() -> String {
    DEFAULT_TIME_ZONE.to_string()
}

/// A checked schedule.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "ScheduleSpec")]
pub struct Schedule {
    expression: String,
    time_zone: Tz,
    cron: Cron,
    fields: [Field; 5],
}

impl TryFrom<ScheduleSpec> for Schedule {
    type Error = String;

    fn try_from(spec: ScheduleSpec) -> Result<Self, String> {
        Schedule::parse(&spec.cron, &spec.time_zone)
    }
}

/// One cron field: the values it allows, and whether it starts with `*`, which matters for the
/// day fields: when neither does, cron runs on days matching either; otherwise on days matching
/// both.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Field {
    values: Vec<u8>,
    starts_with_star: bool,
}

struct FieldRule {
    name: &'static str,
    min: u8,
    max: u8,
    names: &'static [&'static str],
}

const FIELD_RULES: [FieldRule; 5] = [
    FieldRule {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
    },
    FieldRule {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
    },
    FieldRule {
        name: "day of month",
        min: 1,
        max: 31,
        names: &[],
    },
    FieldRule {
        name: "month",
        min: 1,
        max: 12,
        names: &[
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ],
    },
    FieldRule {
        name: "day of week",
        min: 0,
        max: 7,
        names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
    },
];

const SYSTEMD_WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

impl FieldRule {
    fn value(&self, text: &str) -> Result<u8, String> {
        if let Some(index) = self.names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
            // Month names count from 1 (the field's minimum), weekday names from 0 (Sunday).
            return Ok(index as u8 + self.min);
        }
        let value: u8 = text
            .parse()
            .map_err(|_| format!("{} {text:?} is not a number", self.name))?;
        if value < self.min || value > self.max {
            return Err(format!(
                "{} {value} is out of range {}-{}",
                self.name, self.min, self.max
            ));
        }
        Ok(value)
    }

    fn parse(&self, text: &str) -> Result<Field, String> {
        if let Some(bad) = text
            .chars()
            .find(|c| matches!(c, 'L' | 'W' | '#' | '?' | '+'))
        {
            return Err(format!(
                "{} {text:?} uses `{bad}`, which is not standard cron; write the days out",
                self.name
            ));
        }
        let mut values = Vec::new();
        for item in text.split(',') {
            let (range, step) = match item.split_once('/') {
                Some((range, step)) => {
                    let step: u8 = step.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
                        format!("{} step {step:?} is not a positive number", self.name)
                    })?;
                    (range, step)
                }
                None => (item, 1),
            };
            let (low, high) = if range == "*" {
                (self.min, self.max)
            } else if let Some((low, high)) = range.split_once('-') {
                let (low, high) = (self.value(low)?, self.value(high)?);
                if low > high {
                    return Err(format!(
                        "{} range {range:?} runs backwards; write the lower value first",
                        self.name
                    ));
                }
                (low, high)
            } else if step > 1 {
                return Err(format!(
                    "{} {item:?}: a step needs a range, as in `*/{step}` or `{range}-{}/{step}`",
                    self.name, self.max
                ));
            } else {
                let value = self.value(range)?;
                (value, value)
            };
            values.extend((low..=high).step_by(usize::from(step)));
        }
        if self.max == 7 {
            // Sunday is both 0 and 7.
            for v in &mut values {
                if *v == 7 {
                    *v = 0;
                }
            }
        }
        values.sort_unstable();
        values.dedup();
        Ok(Field {
            values,
            starts_with_star: text.starts_with('*'),
        })
    }
}

impl Schedule {
    /// Parses a 5-field cron expression read in the IANA time zone `time_zone`. Errors name the
    /// option and the bad value.
    pub fn parse(expression: &str, time_zone: &str) -> Result<Schedule, String> {
        let zone = Tz::from_str(time_zone).map_err(|_| {
            format!(
                "`schedule.time_zone` {time_zone:?} is not an IANA time zone name like {DEFAULT_TIME_ZONE}"
            )
        })?;
        let invalid = |why: String| format!("`schedule.cron` {expression:?}: {why}");
        if expression.trim_start().starts_with('@') {
            return Err(invalid(
                "write the five fields out (for @daily, `0 0 * * *`)".into(),
            ));
        }
        let parts: Vec<&str> = expression.split_whitespace().collect();
        if parts.len() != 5 {
            return Err(invalid(format!(
                "has {} fields; cron needs five: minute hour day-of-month month day-of-week, as in \"30 1 * * *\"",
                parts.len()
            )));
        }
        let mut fields = Vec::with_capacity(5);
        for (part, rule) in parts.iter().zip(&FIELD_RULES) {
            fields.push(rule.parse(part).map_err(invalid)?);
        }
        let cron = Cron::from_str(&parts.join(" ")).map_err(|e| invalid(e.to_string()))?;
        Ok(Schedule {
            expression: parts.join(" "),
            time_zone: zone,
            cron,
            fields: fields.try_into().expect("five fields"),
        })
    }

    pub fn expression(&self) -> &str {
        &self.expression
    }

    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// The first run time strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Tz>> {
        self.cron
            .find_next_occurrence(&after.with_timezone(&self.time_zone), false)
            .ok()
    }

    /// Whether the cron fields name this wall-clock time; false for a run moved past a clock
    /// change.
    pub fn matches(&self, time: &DateTime<Tz>) -> bool {
        self.cron.is_time_matching(time).unwrap_or(false)
    }

    /// The next `count` run times after `after`.
    pub fn upcoming(&self, after: DateTime<Utc>, count: usize) -> Vec<DateTime<Tz>> {
        let mut times = Vec::with_capacity(count);
        let mut cursor = after;
        while times.len() < count {
            let Some(next) = self.next_after(cursor) else {
                break;
            };
            cursor = next.with_timezone(&Utc);
            times.push(next);
        }
        times
    }

    /// The schedule as systemd `OnCalendar=` values. Cron runs on days matching either day field
    /// when both are restricted; systemd requires both, so that case takes two values.
    pub fn systemd_calendar(&self) -> Vec<String> {
        let [minute, hour, day, month, weekday] = &self.fields;
        let list = |field: &Field, rule: &FieldRule| {
            if field.values.len() == usize::from(rule.max - rule.min + 1) {
                "*".to_string()
            } else {
                field
                    .values
                    .iter()
                    .map(|v| format!("{v:02}"))
                    .collect::<Vec<_>>()
                    .join(",")
            }
        };
        let [minute_rule, hour_rule, day_rule, month_rule, _] = &FIELD_RULES;
        let time = format!(
            "{}:{}:00 {}",
            list(hour, hour_rule),
            list(minute, minute_rule),
            self.time_zone
        );
        let months = list(month, month_rule);
        let days = list(day, day_rule);
        let weekdays = if weekday.values.len() == 7 {
            String::new()
        } else {
            let names: Vec<&str> = weekday
                .values
                .iter()
                .map(|v| SYSTEMD_WEEKDAYS[usize::from(*v)])
                .collect();
            format!("{} ", names.join(","))
        };
        if day.starts_with_star || weekday.starts_with_star {
            vec![format!("{weekdays}*-{months}-{days} {time}")]
        } else {
            vec![
                format!("*-{months}-{days} {time}"),
                format!("{weekdays}*-{months}-* {time}"),
            ]
        }
    }
}

/// A scheduled pipeline file, as the daemon and the crontab and systemd printers see it.
#[derive(Debug, Clone)]
pub struct ScheduledPipeline {
    pub name: String,
    pub file: PathBuf,
    pub schedule: Schedule,
}

/// When each pipeline of the daemon runs next. Kept apart from the clock so that the daemon's
/// decisions can be tested at any instant, DST changes included.
#[derive(Debug, Default)]
pub struct Timetable {
    entries: BTreeMap<PathBuf, (ScheduledPipeline, DateTime<Utc>)>,
}

impl Timetable {
    /// Replaces the pipelines the timetable knows. A pipeline whose schedule is unchanged keeps
    /// its next run; a new or changed one runs at its next time after `now`.
    pub fn update(&mut self, pipelines: Vec<ScheduledPipeline>, now: DateTime<Utc>) {
        let mut entries = BTreeMap::new();
        for pipeline in pipelines {
            let kept = self.entries.remove(&pipeline.file).filter(|(old, _)| {
                old.schedule.expression == pipeline.schedule.expression
                    && old.schedule.time_zone == pipeline.schedule.time_zone
            });
            let next = match kept {
                Some((_, next)) => Some(next),
                None => pipeline
                    .schedule
                    .next_after(now)
                    .map(|t| t.with_timezone(&Utc)),
            };
            if let Some(next) = next {
                entries.insert(pipeline.file.clone(), (pipeline, next));
            }
        }
        self.entries = entries;
    }

    /// The pipelines due at `now`, each moved on to its next run after `now`. A daemon that
    /// slept through several run times (a suspended machine) runs each pipeline once, not once
    /// per missed time.
    pub fn take_due(&mut self, now: DateTime<Utc>) -> Vec<ScheduledPipeline> {
        let mut due = Vec::new();
        self.entries.retain(|_, (pipeline, next)| {
            if *next > now {
                return true;
            }
            due.push(pipeline.clone());
            match pipeline.schedule.next_after(now) {
                Some(after) => {
                    *next = after.with_timezone(&Utc);
                    true
                }
                None => false,
            }
        });
        due
    }

    /// The earliest next run, if any pipeline is scheduled.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        self.entries.values().map(|(_, next)| *next).min()
    }

    /// Every pipeline with its next run time, soonest first.
    pub fn upcoming(&self) -> Vec<(&ScheduledPipeline, DateTime<Utc>)> {
        let mut all: Vec<_> = self.entries.values().map(|(p, n)| (p, *n)).collect();
        all.sort_by_key(|(p, n)| (*n, p.name.clone()));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn london(schedule: &Schedule, after: &str, count: usize) -> Vec<String> {
        schedule
            .upcoming(utc(after), count)
            .iter()
            .map(|t| t.to_rfc3339())
            .collect()
    }

    #[test]
    fn spring_forward_runs_a_skipped_time_once_just_after_the_gap() {
        // 29 March 2026: at 01:00 GMT the clocks go to 02:00 BST; 01:30 does not exist.
        let schedule = Schedule::parse("30 1 * * *", "Europe/London").unwrap();
        assert_eq!(
            london(&schedule, "2026-03-27T12:00:00Z", 4),
            [
                "2026-03-28T01:30:00+00:00",
                "2026-03-29T02:00:00+01:00",
                "2026-03-30T01:30:00+01:00",
                "2026-03-31T01:30:00+01:00",
            ]
        );
    }

    #[test]
    fn fall_back_runs_a_repeated_time_once_at_the_first() {
        // 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT; 01:30 happens twice.
        let schedule = Schedule::parse("30 1 * * *", "Europe/London").unwrap();
        assert_eq!(
            london(&schedule, "2026-10-24T12:00:00Z", 3),
            [
                "2026-10-25T01:30:00+01:00",
                "2026-10-26T01:30:00+00:00",
                "2026-10-27T01:30:00+00:00",
            ]
        );
    }

    #[test]
    fn times_clear_of_the_change_keep_their_wall_clock_time() {
        let schedule = Schedule::parse("0 3 * * *", "Europe/London").unwrap();
        assert_eq!(
            london(&schedule, "2026-03-28T12:00:00Z", 2),
            ["2026-03-29T03:00:00+01:00", "2026-03-30T03:00:00+01:00"]
        );
        let utc_times: Vec<DateTime<Utc>> = schedule
            .upcoming(utc("2026-10-24T12:00:00Z"), 2)
            .iter()
            .map(|t| t.with_timezone(&Utc))
            .collect();
        assert_eq!(
            utc_times,
            [utc("2026-10-25T03:00:00Z"), utc("2026-10-26T03:00:00Z")],
            "03:00 BST on Saturday night is 02:00 UTC; after the change 03:00 GMT is 03:00 UTC"
        );
    }

    #[test]
    fn other_time_zones_and_weekdays() {
        let schedule = Schedule::parse("15 22 * * MON-FRI", "America/New_York").unwrap();
        let friday_evening = schedule.next_after(utc("2026-01-03T00:00:00Z")).unwrap();
        assert_eq!(friday_evening.to_rfc3339(), "2026-01-02T22:15:00-05:00");
        let after_the_weekend = schedule.next_after(utc("2026-01-03T12:00:00Z")).unwrap();
        assert_eq!(after_the_weekend.to_rfc3339(), "2026-01-05T22:15:00-05:00");
        let sunday = Schedule::parse("0 4 * * 7", "UTC").unwrap();
        assert_eq!(
            sunday.next_after(utc("2026-01-01T00:00:00Z")).unwrap(),
            Utc.with_ymd_and_hms(2026, 1, 4, 4, 0, 0).unwrap()
        );
    }

    #[test]
    fn errors_name_the_option_and_the_value() {
        let cases = [
            ("30 1 * *", "UTC", "five"),
            ("61 1 * * *", "UTC", "minute 61 is out of range 0-59"),
            ("30 1 L * *", "UTC", "`L`"),
            ("30 1 * * 5#2", "UTC", "`#`"),
            ("@daily", "UTC", "0 0 * * *"),
            ("30 1 * * *", "London", "`schedule.time_zone` \"London\""),
            ("30 5/2 * * *", "UTC", "a step needs a range"),
            ("30 9-5 * * *", "UTC", "runs backwards"),
            ("30 1 * * FUN", "UTC", "day of week \"FUN\""),
        ];
        for (cron, zone, expected) in cases {
            let err = Schedule::parse(cron, zone).unwrap_err();
            assert!(err.contains(expected), "{cron}: {err}");
        }
    }

    #[test]
    fn systemd_calendars_match_cron() {
        let calendar = |cron: &str| {
            Schedule::parse(cron, "Europe/London")
                .unwrap()
                .systemd_calendar()
        };
        assert_eq!(calendar("30 1 * * *"), ["*-*-* 01:30:00 Europe/London"]);
        assert_eq!(
            calendar("*/20 2,4 * * 1-5"),
            ["Mon,Tue,Wed,Thu,Fri *-*-* 02,04:00,20,40:00 Europe/London"]
        );
        assert_eq!(
            calendar("0 6 1 jan,jul 0"),
            [
                "*-01,07-01 06:00:00 Europe/London",
                "Sun *-01,07-* 06:00:00 Europe/London"
            ],
            "cron's either-day rule becomes two calendars"
        );
    }

    fn scheduled(name: &str, cron: &str) -> ScheduledPipeline {
        ScheduledPipeline {
            name: name.into(),
            file: PathBuf::from(format!("{name}.yaml")),
            schedule: Schedule::parse(cron, "Europe/London").unwrap(),
        }
    }

    #[test]
    fn the_timetable_runs_each_pipeline_once_per_time_across_the_clock_change() {
        let mut timetable = Timetable::default();
        timetable.update(
            vec![scheduled("nightly", "30 1 * * *")],
            utc("2026-03-28T12:00:00Z"),
        );
        assert_eq!(timetable.next_wake(), Some(utc("2026-03-29T01:00:00Z")));
        assert!(timetable.take_due(utc("2026-03-29T00:59:59Z")).is_empty());
        let due = timetable.take_due(utc("2026-03-29T01:00:00Z"));
        assert_eq!(due.len(), 1);
        assert!(timetable.take_due(utc("2026-03-29T01:00:30Z")).is_empty());
        assert_eq!(timetable.next_wake(), Some(utc("2026-03-30T00:30:00Z")));

        timetable.update(
            vec![scheduled("nightly", "30 1 * * *")],
            utc("2026-10-24T12:00:00Z"),
        );
        assert_eq!(
            timetable.next_wake(),
            Some(utc("2026-03-30T00:30:00Z")),
            "an unchanged schedule keeps its next run"
        );
        timetable.update(Vec::new(), utc("2026-10-24T12:00:00Z"));
        timetable.update(
            vec![scheduled("nightly", "30 1 * * *")],
            utc("2026-10-24T12:00:00Z"),
        );
        assert_eq!(timetable.next_wake(), Some(utc("2026-10-25T00:30:00Z")));
        assert_eq!(timetable.take_due(utc("2026-10-25T00:30:00Z")).len(), 1);
        assert!(
            timetable.take_due(utc("2026-10-25T01:30:00Z")).is_empty(),
            "the second 01:30 (GMT) does not run again"
        );
        assert_eq!(timetable.next_wake(), Some(utc("2026-10-26T01:30:00Z")));
    }

    #[test]
    fn a_daemon_that_slept_through_several_times_runs_once() {
        let mut timetable = Timetable::default();
        timetable.update(
            vec![
                scheduled("hourly", "0 * * * *"),
                scheduled("nightly", "30 1 * * *"),
            ],
            utc("2026-01-10T00:10:00Z"),
        );
        let due = timetable.take_due(utc("2026-01-10T05:10:00Z"));
        let names: Vec<&str> = due.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["hourly", "nightly"]);
        let upcoming: Vec<(String, DateTime<Utc>)> = timetable
            .upcoming()
            .into_iter()
            .map(|(p, t)| (p.name.clone(), t))
            .collect();
        assert_eq!(
            upcoming,
            [
                ("hourly".to_string(), utc("2026-01-10T06:00:00Z")),
                ("nightly".to_string(), utc("2026-01-11T01:30:00Z")),
            ]
        );
    }
}
