//! Date arithmetic the generator needs: birthdays, ages, weekdays and the return's date formats.

use chrono::{Datelike, Months, NaiveDate, Weekday};

pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid calendar date")
}

pub fn days(n: i64) -> chrono::Duration {
    chrono::Duration::days(n)
}

/// The date `years` years after `from` (29 February falls back to 28 February).
pub fn add_years(from: NaiveDate, years: i32) -> NaiveDate {
    if years >= 0 {
        from.checked_add_months(Months::new(12 * years as u32))
    } else {
        from.checked_sub_months(Months::new(12 * (-years) as u32))
    }
    .expect("date in range")
}

pub fn add_months(from: NaiveDate, months: u32) -> NaiveDate {
    from.checked_add_months(Months::new(months))
        .expect("date in range")
}

/// Age in completed years on `on`.
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

pub fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The same day, or the Monday after it when it falls on a weekend.
pub fn weekday_on_or_after(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day + days(2),
        Weekday::Sun => day + days(1),
        _ => day,
    }
}

/// `dd/mm/YYYY`, the SSDA903 CSV date format.
pub fn dmy(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// `YYYY-MM-DD`, the CIN XML date format.
pub fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_birthdays() {
        let dob = date(2008, 2, 29);
        assert_eq!(add_years(dob, 18), date(2026, 2, 28));
        assert_eq!(age_on(date(2010, 6, 15), date(2026, 6, 14)), 15);
        assert_eq!(age_on(date(2010, 6, 15), date(2026, 6, 15)), 16);
        assert_eq!(weekday_on_or_after(date(2025, 11, 22)), date(2025, 11, 24));
        assert_eq!(dmy(date(2025, 4, 1)), "01/04/2025");
        assert_eq!(iso(date(2025, 4, 1)), "2025-04-01");
    }
}
