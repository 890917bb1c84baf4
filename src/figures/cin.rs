//! Figures from the CIN census: referrals, assessments, section 47 enquiries, initial child
//! protection conferences, child protection plans and children in need.
//!
//! Conventions (documented in `docs/figures.md`; each is tested on boundary cases below):
//! - working days: the start day is day 0 (the DfE duration bands start at "same day"), so an
//!   assessment authorised 45 working days after it started is within 45 days, 46 is not;
//! - "within 12 months": an earlier referral on or after the same date 12 calendar months before
//!   (29 February → 28 February), so a referral exactly 12 months after the last is a re-referral;
//! - "2 years or more" for a plan: more than 729 calendar days including the day of cessation (the
//!   DfE/LAIT wording), i.e. end − start ≥ 729 days.

use std::collections::HashSet;

use chrono::{Months, NaiveDate};

use crate::calendar::{CalendarError, WorkingCalendar};

use super::data::{CinData, Plan};
use super::indicators::Tally;
use super::period::Period;

/// Result of a CIN figure: working-day counts can fail outside the calendar.
pub type CinResult = Result<Vec<Tally>, CalendarError>;

/// The DfE threshold for assessments, in working days after the start.
pub const ASSESSMENT_WORKING_DAYS: i64 = 45;
/// The threshold for an initial conference after the section 47 enquiry started.
pub const ICPC_WORKING_DAYS: i64 = 15;
/// "More than 729 calendar days including the day of cessation".
pub const PLAN_TWO_YEARS_DAYS: i64 = 729;
const INITIAL_CATEGORIES: [(&str, &str); 5] = [
    ("NEG", "Neglect"),
    ("PHY", "Physical abuse"),
    ("SAB", "Sexual abuse"),
    ("EMO", "Emotional abuse"),
    ("MUL", "Multiple"),
];

/// Whether `earlier` falls within the 12 months before `date`.
pub fn within_12_months(earlier: NaiveDate, date: NaiveDate) -> bool {
    earlier < date
        && date
            .checked_sub_months(Months::new(12))
            .is_some_and(|from| earlier >= from)
}

pub fn referrals(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    Ok(vec![Tally::count(
        d.referrals.iter().filter(|r| p.contains(r.date)).count(),
    )])
}

pub fn rereferrals(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    let mut total = 0;
    let mut repeat = 0;
    for r in d.referrals.iter().filter(|r| p.contains(r.date)) {
        total += 1;
        let earlier = d.referral_dates.get(&r.child).into_iter().flatten();
        if earlier.into_iter().any(|e| within_12_months(*e, r.date)) {
            repeat += 1;
        }
    }
    Ok(vec![Tally::ratio(repeat, total)])
}

pub fn referrals_nfa(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    let in_period: Vec<_> = d.referrals.iter().filter(|r| p.contains(r.date)).collect();
    let nfa = in_period.iter().filter(|r| r.nfa).count();
    Ok(vec![Tally::ratio(nfa, in_period.len())])
}

pub fn referrals_not_in_need(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    let assessed: HashSet<(&str, Option<i64>)> = d
        .assessments
        .iter()
        .map(|a| (a.child.as_str(), a.cin_id))
        .collect();
    let in_period: Vec<_> = d.referrals.iter().filter(|r| p.contains(r.date)).collect();
    let not_in_need = in_period
        .iter()
        .filter(|r| {
            assessed.contains(&(r.child.as_str(), r.cin_id))
                && matches!(r.closure_reason.as_deref(), Some("RC8" | "RC9"))
        })
        .count();
    Ok(vec![Tally::ratio(not_in_need, in_period.len())])
}

pub fn assessments_completed(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    Ok(vec![Tally::count(
        d.assessments
            .iter()
            .filter(|a| a.authorised.is_some_and(|date| p.contains(date)))
            .count(),
    )])
}

/// Assessments authorised in the period with a start date on or before it; those without one
/// cannot be timed and are left out of both counts (the DfE duration bands do the same).
pub fn assessments_within_45_days(
    d: &CinData,
    p: &Period,
    calendar: &WorkingCalendar,
) -> CinResult {
    let (mut timed, mut within) = (0, 0);
    for a in &d.assessments {
        let (Some(start), Some(end)) = (a.start, a.authorised) else {
            continue;
        };
        if !p.contains(end) || start > end {
            continue;
        }
        timed += 1;
        if calendar.working_days_between(start, end)? <= ASSESSMENT_WORKING_DAYS {
            within += 1;
        }
    }
    Ok(vec![Tally::ratio(within, timed)])
}

pub fn enquiries_started(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    Ok(vec![Tally::count(
        d.enquiries
            .iter()
            .filter(|e| e.start.is_some_and(|s| p.contains(s)))
            .count(),
    )])
}

/// ICPCs held: after a section 47 enquiry (Section47) or without one in the episode (CINdetails,
/// e.g. a child transferring in on a plan).
pub fn conferences(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    let after_enquiry = d
        .enquiries
        .iter()
        .filter(|e| e.icpc.is_some_and(|c| p.contains(c)))
        .count();
    let without = d
        .referrals
        .iter()
        .filter(|r| r.icpc.is_some_and(|c| p.contains(c)))
        .count();
    Ok(vec![Tally::count(after_enquiry + without)])
}

/// ICPCs in the period within 15 working days of the section 47 start; an ICPC dated before its
/// enquiry has no valid duration and is left out (it still counts as an ICPC held).
pub fn conferences_within_15_days(
    d: &CinData,
    p: &Period,
    calendar: &WorkingCalendar,
) -> CinResult {
    let (mut timed, mut within) = (0, 0);
    for e in &d.enquiries {
        let (Some(start), Some(icpc)) = (e.start, e.icpc) else {
            continue;
        };
        if !p.contains(icpc) || icpc < start {
            continue;
        }
        timed += 1;
        if calendar.working_days_between(start, icpc)? <= ICPC_WORKING_DAYS {
            within += 1;
        }
    }
    Ok(vec![Tally::ratio(within, timed)])
}

fn starting<'a>(d: &'a CinData, p: &'a Period) -> impl Iterator<Item = &'a Plan> {
    d.plans.iter().filter(|plan| p.contains(plan.start))
}

fn open_at_end<'a>(d: &'a CinData, p: &'a Period) -> impl Iterator<Item = &'a Plan> {
    d.plans
        .iter()
        .filter(|plan| plan.start <= p.end && plan.end.is_none_or(|end| end > p.end))
}

pub fn plans_starting(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    Ok(vec![Tally::count(starting(d, p).count())])
}

pub fn plans_open(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    Ok(vec![Tally::count(open_at_end(d, p).count())])
}

fn by_category<'a>(plans: impl Iterator<Item = &'a Plan>) -> Vec<Tally> {
    let plans: Vec<&Plan> = plans.collect();
    INITIAL_CATEGORIES
        .iter()
        .map(|(code, label)| {
            let n = plans
                .iter()
                .filter(|plan| plan.initial_category.as_deref() == Some(code))
                .count();
            Tally::ratio(n, plans.len()).with_breakdown(label)
        })
        .collect()
}

pub fn plans_open_by_category(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    Ok(by_category(open_at_end(d, p)))
}

pub fn plans_starting_by_category(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    Ok(by_category(starting(d, p)))
}

/// A plan is second or subsequent when the census says the child had earlier plans
/// (NumberOfPreviousCPP) or an earlier plan is in this or an earlier year's return.
pub fn plans_second_or_subsequent(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    let plans: Vec<&Plan> = starting(d, p).collect();
    let subsequent = plans
        .iter()
        .filter(|plan| {
            plan.previous_plans.is_some_and(|n| n > 0)
                || d.plan_starts
                    .get(&plan.child)
                    .is_some_and(|starts| starts.iter().any(|s| *s < plan.start))
        })
        .count();
    Ok(vec![Tally::ratio(subsequent, plans.len())])
}

/// Whether a plan lasted two years or more by `end`.
pub fn lasted_two_years(start: NaiveDate, end: NaiveDate) -> bool {
    (end - start).num_days() >= PLAN_TWO_YEARS_DAYS
}

pub fn plans_open_two_years(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    let open: Vec<&Plan> = open_at_end(d, p).collect();
    let long = open
        .iter()
        .filter(|plan| lasted_two_years(plan.start, p.end))
        .count();
    Ok(vec![Tally::ratio(long, open.len())])
}

pub fn plans_ended_two_years(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    let ended: Vec<(NaiveDate, NaiveDate)> = d
        .plans
        .iter()
        .filter_map(|plan| {
            plan.end
                .filter(|end| p.contains(*end))
                .map(|end| (plan.start, end))
        })
        .collect();
    let long = ended
        .iter()
        .filter(|(s, e)| lasted_two_years(*s, *e))
        .count();
    Ok(vec![Tally::ratio(long, ended.len())])
}

/// CIN episodes open at the period end, NFA referrals excluded.
pub fn children_in_need(d: &CinData, p: &Period, _: &WorkingCalendar) -> CinResult {
    Ok(vec![Tally::count(
        d.referrals
            .iter()
            .filter(|r| !r.nfa && r.date <= p.end && r.closure.is_none_or(|c| c > p.end))
            .count(),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::data::{Assessment, Enquiry, Referral};
    use crate::figures::testing::{category, d, values, year};
    use crate::year::CollectionYear;

    fn referral(child: &str, date: NaiveDate) -> Referral {
        Referral {
            child: child.into(),
            cin_id: Some(1),
            date,
            closure: None,
            closure_reason: None,
            nfa: false,
            icpc: None,
        }
    }

    fn with_referrals(referrals: Vec<Referral>, history: &[(&str, NaiveDate)]) -> CinData {
        let mut data = CinData {
            referrals,
            ..CinData::default()
        };
        for r in data.referrals.clone() {
            data.referral_dates.entry(r.child).or_default().push(r.date);
        }
        for (child, date) in history {
            data.referral_dates
                .entry(child.to_string())
                .or_default()
                .push(*date);
        }
        data
    }

    #[test]
    fn a_referral_exactly_12_months_after_the_last_is_a_re_referral_one_day_more_is_not() {
        let calendar = WorkingCalendar::england();
        let data = with_referrals(
            vec![
                referral("A", d(2025, 6, 10)),
                referral("B", d(2025, 6, 11)),
                referral("C", d(2025, 9, 1)),
                referral("C", d(2025, 12, 1)),
            ],
            // Last year's return holds the earlier referrals of A and B.
            &[("A", d(2024, 6, 10)), ("B", d(2024, 6, 10))],
        );
        // A: exactly 12 months; B: 12 months and a day; C: the second within the year.
        let t = rereferrals(&data, &year(), calendar).unwrap();
        assert_eq!(values(&t), [(2.0, Some(4.0))]);
        assert!(within_12_months(d(2023, 2, 28), d(2024, 2, 29)));
        assert!(!within_12_months(d(2023, 2, 27), d(2024, 2, 29)));
        assert!(
            !within_12_months(d(2025, 6, 10), d(2025, 6, 10)),
            "the same referral"
        );
    }

    #[test]
    fn nfa_and_not_in_need_shares_of_referrals() {
        let calendar = WorkingCalendar::england();
        let mut nfa = referral("A", d(2025, 5, 1));
        nfa.nfa = true;
        let mut closed = referral("B", d(2025, 5, 2));
        closed.closure_reason = Some("RC8".into());
        let mut unassessed = referral("C", d(2025, 5, 3));
        unassessed.closure_reason = Some("RC9".into());
        let mut data = with_referrals(
            vec![nfa, closed, unassessed, referral("D", d(2024, 5, 1))],
            &[],
        );
        data.assessments = vec![Assessment {
            child: "B".into(),
            cin_id: Some(1),
            start: Some(d(2025, 5, 2)),
            authorised: Some(d(2025, 6, 2)),
        }];
        assert_eq!(
            values(&referrals(&data, &year(), calendar).unwrap()),
            [(3.0, None)]
        );
        assert_eq!(
            values(&referrals_nfa(&data, &year(), calendar).unwrap()),
            [(1.0, Some(3.0))]
        );
        assert_eq!(
            values(&referrals_not_in_need(&data, &year(), calendar).unwrap()),
            [(1.0, Some(3.0))]
        );
    }

    #[test]
    fn an_assessment_on_working_day_45_is_in_time_and_46_is_not_across_a_bank_holiday() {
        let calendar = WorkingCalendar::england();
        // Started Tuesday 1 April 2025. The 45th weekday after it is Tuesday 3 June; four bank
        // holidays fall in between (Good Friday 18 April, Easter Monday 21 April, 5 May, 26 May),
        // so working day 45 is Monday 9 June and day 46 Tuesday 10 June.
        let start = d(2025, 4, 1);
        let day_45 = calendar.add_working_days(start, 45).unwrap();
        let day_46 = calendar.add_working_days(start, 46).unwrap();
        assert_eq!(day_45, d(2025, 6, 9));
        assert_eq!(day_46, d(2025, 6, 10));
        let assessment = |child: &str, end| Assessment {
            child: child.into(),
            cin_id: Some(1),
            start: Some(start),
            authorised: Some(end),
        };
        let data = CinData {
            assessments: vec![
                assessment("A", day_45),
                assessment("B", day_46),
                assessment("C", start),
                Assessment {
                    child: "D".into(),
                    cin_id: Some(1),
                    start: None,
                    authorised: Some(day_45),
                },
            ],
            ..CinData::default()
        };
        assert_eq!(
            values(&assessments_completed(&data, &year(), calendar).unwrap()),
            [(4.0, None)]
        );
        assert_eq!(
            values(&assessments_within_45_days(&data, &year(), calendar).unwrap()),
            [(2.0, Some(3.0))],
            "A (day 45) and C (same day) are in time, B is not, D cannot be timed"
        );
    }

    #[test]
    fn conferences_within_15_working_days_of_the_enquiry() {
        let calendar = WorkingCalendar::england();
        let start = d(2025, 12, 15); // Monday; Christmas Day and Boxing Day follow
        let enquiry = |icpc| Enquiry {
            child: "A".into(),
            start: Some(start),
            icpc: Some(icpc),
        };
        let day_15 = calendar.add_working_days(start, 15).unwrap();
        assert_eq!(day_15, d(2026, 1, 8));
        let mut without = referral("B", d(2025, 12, 1));
        without.icpc = Some(d(2025, 12, 20));
        let data = CinData {
            enquiries: vec![
                enquiry(day_15),
                enquiry(d(2026, 1, 9)),
                enquiry(d(2025, 12, 1)),
                Enquiry {
                    child: "C".into(),
                    start: Some(start),
                    icpc: None,
                },
            ],
            referrals: vec![without],
            ..CinData::default()
        };
        assert_eq!(
            values(&enquiries_started(&data, &year(), calendar).unwrap()),
            [(4.0, None)]
        );
        assert_eq!(
            values(&conferences(&data, &year(), calendar).unwrap()),
            [(4.0, None)]
        );
        assert_eq!(
            values(&conferences_within_15_days(&data, &year(), calendar).unwrap()),
            [(1.0, Some(2.0))],
            "the ICPC before its enquiry has no valid duration"
        );
    }

    fn plan(child: &str, start: NaiveDate, end: Option<NaiveDate>, category: &str) -> Plan {
        Plan {
            child: child.into(),
            start,
            end,
            initial_category: Some(category.into()),
            previous_plans: Some(0),
        }
    }

    #[test]
    fn a_plan_of_exactly_two_years_counts_and_one_day_short_of_729_days_does_not() {
        let calendar = WorkingCalendar::england();
        let end = d(2026, 3, 31);
        let data = CinData {
            plans: vec![
                // Open at 31 March: exactly two years, 729 days, 728 days.
                plan("A", d(2024, 3, 31), None, "NEG"),
                plan("B", end - chrono::Days::new(729), None, "NEG"),
                plan(
                    "C",
                    end - chrono::Days::new(728),
                    Some(d(2026, 4, 10)),
                    "EMO",
                ),
                // Ended in the year: exactly two years, and one day short of 729 days.
                plan("D", d(2023, 6, 1), Some(d(2025, 6, 1)), "PHY"),
                plan(
                    "E",
                    d(2023, 6, 1),
                    Some(d(2023, 6, 1) + chrono::Days::new(728)),
                    "PHY",
                ),
                // Ended on 31 March: not open at 31 March.
                plan("F", d(2025, 4, 1), Some(end), "SAB"),
            ],
            ..CinData::default()
        };
        assert_eq!(
            values(&plans_open(&data, &year(), calendar).unwrap()),
            [(3.0, None)]
        );
        assert_eq!(
            values(&plans_open_two_years(&data, &year(), calendar).unwrap()),
            [(2.0, Some(3.0))]
        );
        assert_eq!(
            values(&plans_ended_two_years(&data, &year(), calendar).unwrap()),
            [(1.0, Some(3.0))],
            "D (2 years) of D, E and F"
        );
        let by = plans_open_by_category(&data, &year(), calendar).unwrap();
        let neglect = category(&by, "Neglect");
        assert_eq!((neglect.numerator, neglect.denominator), (2.0, Some(3.0)));
        assert_eq!(by.len(), 5, "every category, even empty ones");
        let starting = plans_starting_by_category(&data, &year(), calendar).unwrap();
        let sexual = category(&starting, "Sexual abuse");
        assert_eq!((sexual.numerator, sexual.denominator), (1.0, Some(1.0)));
    }

    #[test]
    fn second_plans_use_the_census_count_or_earlier_plans_from_history() {
        let calendar = WorkingCalendar::england();
        let mut counted = plan("A", d(2025, 5, 1), None, "NEG");
        counted.previous_plans = Some(2);
        let mut data = CinData {
            plans: vec![
                counted,
                plan("B", d(2025, 6, 1), None, "NEG"),
                plan("C", d(2025, 7, 1), None, "NEG"),
            ],
            ..CinData::default()
        };
        // B had a plan in 2019, known only from an earlier year's return.
        data.plan_starts
            .insert("B".into(), vec![d(2019, 1, 1), d(2025, 6, 1)]);
        data.plan_starts.insert("C".into(), vec![d(2025, 7, 1)]);
        assert_eq!(
            values(&plans_second_or_subsequent(&data, &year(), calendar).unwrap()),
            [(2.0, Some(3.0))]
        );
        assert_eq!(
            values(&plans_starting(&data, &year(), calendar).unwrap()),
            [(3.0, None)]
        );
    }

    #[test]
    fn children_in_need_at_the_period_end_exclude_nfa_and_closed_episodes() {
        let calendar = WorkingCalendar::england();
        let mut nfa = referral("A", d(2025, 5, 1));
        nfa.nfa = true;
        let mut closed = referral("B", d(2025, 5, 1));
        closed.closure = Some(d(2026, 3, 31));
        let mut closes_later = referral("C", d(2024, 5, 1));
        closes_later.closure = Some(d(2026, 4, 1));
        let data = with_referrals(
            vec![nfa, closed, closes_later, referral("D", d(2026, 3, 31))],
            &[],
        );
        assert_eq!(
            values(&children_in_need(&data, &year(), calendar).unwrap()),
            [(2.0, None)]
        );
        let q1 = Period::quarter(CollectionYear::new(2026).unwrap(), 1);
        assert_eq!(
            values(&children_in_need(&data, &q1, calendar).unwrap()),
            [(2.0, None)],
            "B and C at 30 June"
        );
    }
}
