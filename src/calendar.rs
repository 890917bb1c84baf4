//! Working days in England: Monday to Friday, except England and Wales bank holidays.
//!
//! The DfE measures assessment and conference timeliness in working days, and the CIN rules check
//! timescales in working days, so both use this one calendar. It is data
//! (`data/calendar/england_bank_holidays.csv`, compiled in) and covers whole calendar years; a date
//! outside them is an error, never a guess, because a silently wrong day count would move a
//! figure across a 45- or 15-day threshold.
//!
//! Day counting follows the DfE duration bands ("same day", "1–10 days", …): the start day is day
//! 0, so [`WorkingCalendar::working_days_between`] counts the working days after the start up to
//! and including the end.
//!
//! ```
//! use chrono::NaiveDate;
//! use csc_returns::calendar::WorkingCalendar;
//!
//! let calendar = WorkingCalendar::england();
//! let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
//! // Friday to the next Tuesday, over the Easter Monday bank holiday.
//! assert_eq!(calendar.working_days_between(d(2025, 4, 18), d(2025, 4, 22)).unwrap(), 1);
//! assert_eq!(calendar.add_working_days(d(2025, 4, 17), 2).unwrap(), d(2025, 4, 23));
//! ```

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The shipped calendar: `data/calendar/england_bank_holidays.csv` (see `data/calendar/README.md`).
const ENGLAND_CSV: &str = include_str!("../data/calendar/england_bank_holidays.csv");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "{date} is outside the bank-holiday calendar, which covers {first} to {last}: add the \
         missing years to data/calendar/england_bank_holidays.csv from the gov.uk bank holidays \
         feed (England and Wales)"
    )]
    OutOfRange {
        date: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
    },
    #[error("bank-holiday calendar line {line}: {message}")]
    Invalid { line: usize, message: String },
}

/// Bank holidays for a run of whole calendar years.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    holidays: BTreeSet<NaiveDate>,
    first: NaiveDate,
    last: NaiveDate,
}

impl WorkingCalendar {
    /// The England and Wales calendar shipped with csc-returns.
    pub fn england() -> &'static WorkingCalendar {
        static CALENDAR: OnceLock<WorkingCalendar> = OnceLock::new();
        CALENDAR.get_or_init(|| {
            WorkingCalendar::from_csv(ENGLAND_CSV).expect("the shipped calendar is valid")
        })
    }

    /// Reads a calendar from CSV with columns `date` (YYYY-MM-DD), `name` and, optionally,
    /// `non_working_weekday`. Coverage is from 1 January of the first year listed to 31 December
    /// of the last; every year in between must list at least one holiday.
    pub fn from_csv(text: &str) -> Result<Self, CalendarError> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let invalid = |line: usize, message: String| CalendarError::Invalid { line, message };
        let headers = reader
            .headers()
            .map_err(|e| invalid(1, e.to_string()))?
            .clone();
        let date_column = headers
            .iter()
            .position(|h| h == "date")
            .ok_or_else(|| invalid(1, "no `date` column".into()))?;
        let mut holidays = BTreeSet::new();
        for (index, record) in reader.records().enumerate() {
            let line = index + 2;
            let record = record.map_err(|e| invalid(line, e.to_string()))?;
            let text = record.get(date_column).unwrap_or_default();
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| invalid(line, format!("{text:?} is not a YYYY-MM-DD date")))?;
            holidays.insert(date);
        }
        let (Some(first), Some(last)) = (holidays.first(), holidays.last()) else {
            return Err(invalid(1, "no dates".into()));
        };
        let (first_year, last_year) = (first.year(), last.year());
        if let Some(gap) =
            (first_year..=last_year).find(|y| !holidays.iter().any(|d| d.year() == *y))
        {
            return Err(invalid(
                1,
                format!("no bank holidays listed for {gap}, so the calendar has a hole"),
            ));
        }
        Ok(WorkingCalendar {
            first: NaiveDate::from_ymd_opt(first_year, 1, 1).expect("1 January exists"),
            last: NaiveDate::from_ymd_opt(last_year, 12, 31).expect("31 December exists"),
            holidays,
        })
    }

    /// The first and last dates the calendar knows.
    pub fn coverage(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.last)
    }

    fn check(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if date < self.first || date > self.last {
            return Err(CalendarError::OutOfRange {
                date,
                first: self.first,
                last: self.last,
            });
        }
        Ok(())
    }

    pub fn is_bank_holiday(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.check(date)?;
        Ok(self.holidays.contains(&date))
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.check(date)?;
        Ok(
            !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
                && !self.holidays.contains(&date),
        )
    }

    /// Working days after `start` up to and including `end`: 0 when both are the same day (or
    /// `end` is the next working day's eve), negative when `end` is before `start`.
    pub fn working_days_between(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<i64, CalendarError> {
        self.check(start)?;
        self.check(end)?;
        let (from, to, sign) = if start <= end {
            (start, end, 1)
        } else {
            (end, start, -1)
        };
        Ok(sign * (weekdays_through(to) - weekdays_through(from) - self.holidays_in(from, to)))
    }

    /// The `n`th working day after `start` (`start` itself when `n` is 0).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.step_working_days(start, n, |date| date + Days::new(1))
    }

    /// The `n`th working day before `start`, not counting `start` (`start` itself when `n` is
    /// 0): one working day before Easter Monday 1 April 2024 is Thursday 28 March.
    pub fn subtract_working_days(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<NaiveDate, CalendarError> {
        self.step_working_days(start, n, |date| date - Days::new(1))
    }

    fn step_working_days(
        &self,
        start: NaiveDate,
        n: u32,
        step: impl Fn(NaiveDate) -> NaiveDate,
    ) -> Result<NaiveDate, CalendarError> {
        self.check(start)?;
        let mut date = start;
        let mut left = n;
        while left > 0 {
            date = step(date);
            if self.is_working_day(date)? {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// Bank holidays on weekdays strictly after `from`, up to and including `to`.
    fn holidays_in(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        use std::ops::Bound::{Excluded, Included};
        self.holidays
            .range((Excluded(from), Included(to)))
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .count() as i64
    }
}

/// Monday-to-Friday days from a fixed Monday up to and including `date`: differences give weekday
/// counts in constant time.
fn weekdays_through(date: NaiveDate) -> i64 {
    let days = i64::from(date.num_days_from_ce());
    // Day 1 of the common era (0001-01-01) was a Monday, so day d is weekday (d - 1) % 7.
    let weeks = (days - 1).div_euclid(7);
    let into_week = (days - 1).rem_euclid(7) + 1;
    weeks * 5 + into_week.min(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Counts one day at a time, the obviously right way.
    fn slow_count(calendar: &WorkingCalendar, start: NaiveDate, end: NaiveDate) -> i64 {
        let mut count = 0;
        let mut date = start;
        while date < end {
            date = date + Days::new(1);
            if calendar.is_working_day(date).unwrap() {
                count += 1;
            }
        }
        count
    }

    #[test]
    fn the_shipped_calendar_covers_2008_to_2030_with_one_off_holidays() {
        let calendar = WorkingCalendar::england();
        assert_eq!(calendar.coverage(), (d(2008, 1, 1), d(2030, 12, 31)));
        for one_off in [d(2011, 4, 29), d(2020, 5, 8), d(2022, 6, 3), d(2022, 9, 19)] {
            assert!(calendar.is_bank_holiday(one_off).unwrap(), "{one_off}");
            assert!(!calendar.is_working_day(one_off).unwrap(), "{one_off}");
        }
        // 2020's early May holiday moved from Monday 4 May to Friday 8 May.
        assert!(calendar.is_working_day(d(2020, 5, 4)).unwrap());
        // Christmas 2021 fell at a weekend; the substitute days are not working days.
        assert!(!calendar.is_working_day(d(2021, 12, 27)).unwrap());
        assert!(!calendar.is_working_day(d(2021, 12, 28)).unwrap());
        assert!(calendar.is_working_day(d(2021, 12, 29)).unwrap());
        assert!(
            !calendar.is_working_day(d(2025, 3, 29)).unwrap(),
            "Saturday"
        );
    }

    #[test]
    fn the_start_day_is_day_zero() {
        let calendar = WorkingCalendar::england();
        let monday = d(2025, 6, 2);
        assert_eq!(calendar.working_days_between(monday, monday).unwrap(), 0);
        assert_eq!(
            calendar
                .working_days_between(monday, d(2025, 6, 3))
                .unwrap(),
            1
        );
        assert_eq!(
            calendar
                .working_days_between(monday, d(2025, 6, 9))
                .unwrap(),
            5
        );
        // Friday to Saturday and Sunday: no working day has passed.
        assert_eq!(
            calendar
                .working_days_between(d(2025, 6, 6), d(2025, 6, 8))
                .unwrap(),
            0
        );
        assert_eq!(
            calendar
                .working_days_between(d(2025, 6, 9), monday)
                .unwrap(),
            -5
        );
    }

    #[test]
    fn counting_agrees_with_day_by_day_counting_across_holidays_and_weekends() {
        let calendar = WorkingCalendar::england();
        let starts = [
            d(2021, 12, 20),
            d(2022, 5, 28),
            d(2025, 4, 12),
            d(2024, 2, 29),
        ];
        for start in starts {
            for length in [0u64, 1, 2, 3, 6, 7, 13, 30, 64, 65, 200, 400] {
                let end = start + Days::new(length);
                assert_eq!(
                    calendar.working_days_between(start, end).unwrap(),
                    slow_count(calendar, start, end),
                    "{start} to {end}"
                );
            }
        }
    }

    #[test]
    fn adding_working_days_is_the_inverse_of_counting() {
        let calendar = WorkingCalendar::england();
        let start = d(2025, 4, 17); // Maundy Thursday
        assert_eq!(calendar.add_working_days(start, 0).unwrap(), start);
        assert_eq!(calendar.add_working_days(start, 1).unwrap(), d(2025, 4, 22));
        for n in [1, 10, 15, 45, 46] {
            let end = calendar.add_working_days(start, n).unwrap();
            assert_eq!(
                calendar.working_days_between(start, end).unwrap(),
                i64::from(n)
            );
        }
    }

    #[test]
    fn subtracting_steps_back_over_weekends_and_holidays() {
        let calendar = WorkingCalendar::england();
        // Easter 2024: Good Friday 29 March and Easter Monday 1 April.
        assert_eq!(
            calendar.subtract_working_days(d(2024, 4, 1), 1).unwrap(),
            d(2024, 3, 28)
        );
        assert_eq!(
            calendar.subtract_working_days(d(2025, 4, 1), 1).unwrap(),
            d(2025, 3, 31)
        );
        assert_eq!(
            calendar.subtract_working_days(d(2025, 4, 1), 0).unwrap(),
            d(2025, 4, 1)
        );
        for n in [1, 15, 45] {
            let start = calendar.subtract_working_days(d(2026, 3, 31), n).unwrap();
            assert_eq!(
                calendar
                    .working_days_between(start, d(2026, 3, 31))
                    .unwrap(),
                i64::from(n)
            );
        }
        assert!(calendar.subtract_working_days(d(2008, 1, 2), 5).is_err());
    }

    #[test]
    fn dates_outside_the_calendar_are_errors_that_say_how_to_extend_it() {
        let calendar = WorkingCalendar::england();
        let err = calendar
            .working_days_between(d(2030, 12, 1), d(2031, 1, 5))
            .unwrap_err();
        assert_eq!(
            err,
            CalendarError::OutOfRange {
                date: d(2031, 1, 5),
                first: d(2008, 1, 1),
                last: d(2030, 12, 31)
            }
        );
        assert!(err.to_string().contains("england_bank_holidays.csv"));
        assert!(calendar.add_working_days(d(2030, 12, 30), 5).is_err());
        assert!(calendar.is_working_day(d(2007, 12, 31)).is_err());
    }

    #[test]
    fn a_calendar_with_a_missing_year_is_refused() {
        let err = WorkingCalendar::from_csv("date,name\n2020-01-01,a\n2022-01-03,b\n").unwrap_err();
        assert!(err.to_string().contains("2021"), "{err}");
        let err = WorkingCalendar::from_csv("date,name\n2020-13-01,a\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
