//! What several CIN rules share: UPN arithmetic, who counts as unborn, the dates of an episode's
//! activity, and how spans of activity (plans, enquiries, the census period) contain dates.

use chrono::NaiveDate;

use crate::records::CellRef;
use crate::records::cin::{ChildIdentifiers, CinDetails, CinEpisode};
use crate::rules::Flags;
use crate::rules::cin::Cin;
use crate::table::Val;

/// DfE LA codes (post-April 1998 and pseudo-LA codes) that characters 2–4 of a UPN may take, as
/// of 2022/23 (`spec/cin.md` §5.1).
pub const UPN_LA_CODES_2023: &[(u16, u16)] = &[
    (1, 5),
    (201, 213),
    (301, 320),
    (330, 336),
    (340, 344),
    (350, 359),
    (370, 373),
    (380, 384),
    (390, 394),
    (420, 420),
    (660, 681),
    (701, 708),
    (800, 803),
    (805, 808),
    (810, 813),
    (815, 816),
    (820, 823),
    (825, 826),
    (830, 831),
    (835, 839),
    (840, 841),
    (845, 846),
    (850, 852),
    (855, 857),
    (860, 861),
    (865, 896),
    (908, 909),
    (916, 916),
    (919, 919),
    (921, 921),
    (925, 926),
    (928, 929),
    (931, 931),
    (933, 933),
    (935, 938),
    (940, 941),
];

/// Flags 13-character UPNs whose characters 2–4 are not in any of `code_lists` (rule 1530).
pub fn flag_upn_la_codes(data: &Cin<'_>, flags: &mut Flags, code_lists: &[&[(u16, u16)]]) {
    let recognised = |code: &str| {
        code.bytes().all(|b| b.is_ascii_digit())
            && code.parse::<u16>().is_ok_and(|n| {
                code_lists
                    .iter()
                    .any(|list| list.iter().any(|&(from, to)| (from..=to).contains(&n)))
            })
    };
    flag_identifiers(data, flags, "UPN", ChildIdentifiers::upn, |upn| {
        let chars: Vec<char> = upn.chars().collect();
        chars.len() == 13 && !recognised(&chars[1..4].iter().collect::<String>())
    });
}

/// Flags the `column` cell of every child identifiers row whose valid value (read by `value`)
/// `is_wrong` rejects. Blank and invalid values are left to the rules that check those.
pub fn flag_identifiers<'a, T>(
    data: &'a Cin<'_>,
    flags: &mut Flags,
    column: &'static str,
    value: impl Fn(&ChildIdentifiers<'a>) -> Val<T>,
    is_wrong: impl Fn(T) -> bool,
) {
    for child in data.children() {
        for identifiers in child.identifiers() {
            if value(&identifiers).ok().is_some_and(&is_wrong) {
                flags.cell(identifiers.at(column));
            }
        }
    }
}

/// An unborn child: an expected date of birth and no date of birth.
pub fn is_unborn(identifiers: &ChildIdentifiers<'_>) -> bool {
    identifiers.expected_person_birth_date().is_present()
        && identifiers.person_birth_date().is_blank()
}

/// Raises an LA-level query when more than 2% of the children who are born have no sex (or
/// gender) recorded (rule 2886Q, whose field changed in 2024/25).
pub fn flag_share_without_sex(
    data: &Cin<'_>,
    flags: &mut Flags,
    not_recorded: impl Fn(&ChildIdentifiers<'_>) -> bool,
) {
    let (mut born, mut without) = (0usize, 0usize);
    for child in data.children() {
        for identifiers in child.identifiers().iter().filter(|i| !is_unborn(i)) {
            born += 1;
            if not_recorded(identifiers) {
                without += 1;
            }
        }
    }
    // More than 2%, in integers: without / born > 2 / 100.
    if without * 100 > born * 2 {
        flags.whole_return();
    }
}

/// Every episode of the census, child by child.
pub fn episodes<'a>(data: &'a Cin<'_>) -> impl Iterator<Item = CinEpisode<'a>> + 'a {
    data.children().flat_map(|child| child.episodes())
}

/// Every episode of the census that has a details row, with that row.
pub fn episodes_with_details<'a>(
    data: &'a Cin<'_>,
) -> impl Iterator<Item = (CinEpisode<'a>, CinDetails<'a>)> + 'a {
    episodes(data).filter_map(|episode| {
        let details = episode.details()?;
        Some((episode, details))
    })
}

/// A date cell of a record and its value.
pub type DateCell = (CellRef, Val<NaiveDate>);

/// The start and end dates of a plan or an assessment, with the cells they are read from.
pub struct StartEnd {
    pub start: DateCell,
    pub end: DateCell,
}

impl StartEnd {
    /// The span from the start to the end, when the start is valid (an invalid end is taken as
    /// open).
    pub fn span(&self) -> Option<Span> {
        Some(Span {
            start: self.start.1.ok()?,
            end: self.end.1.ok(),
        })
    }

    /// Both dates are valid and the end is before the start.
    pub fn ends_before_start(&self) -> bool {
        matches!((self.start.1, self.end.1), (Val::Ok(start), Val::Ok(end)) if end < start)
    }
}

/// The start and authorisation (end) dates of each of the episode's assessments.
pub fn assessment_dates(episode: &CinEpisode<'_>) -> Vec<StartEnd> {
    episode
        .assessments()
        .iter()
        .map(|a| {
            let a = a.assessment();
            StartEnd {
                start: (a.at("AssessmentActualStartDate"), a.actual_start_date()),
                end: (a.at("AssessmentAuthorisationDate"), a.authorisation_date()),
            }
        })
        .collect()
}

/// The dates of each of the episode's CIN plans.
pub fn cin_plan_dates(episode: &CinEpisode<'_>) -> Vec<StartEnd> {
    episode
        .cin_plans()
        .into_iter()
        .map(|p| StartEnd {
            start: (p.at("CINPlanStartDate"), p.start_date()),
            end: (p.at("CINPlanEndDate"), p.end_date()),
        })
        .collect()
}

/// The dates of each of the episode's child protection plans.
pub fn protection_plan_dates(episode: &CinEpisode<'_>) -> Vec<StartEnd> {
    episode
        .protection_plans()
        .iter()
        .map(|p| {
            let p = p.plan();
            StartEnd {
                start: (p.at("CPPstartDate"), p.start_date()),
                end: (p.at("CPPendDate"), p.end_date()),
            }
        })
        .collect()
}

/// The referral date of the episode (none when it has no details row).
pub fn referral_dates(episode: &CinEpisode<'_>) -> Vec<DateCell> {
    episode
        .details()
        .map(|d| (d.at("CINreferralDate"), d.cin_referral_date()))
        .into_iter()
        .collect()
}

/// The start date of each of the episode's assessments.
pub fn assessment_starts(episode: &CinEpisode<'_>) -> Vec<DateCell> {
    assessment_dates(episode)
        .into_iter()
        .map(|a| a.start)
        .collect()
}

/// The start date of each of the episode's CIN plans.
pub fn cin_plan_starts(episode: &CinEpisode<'_>) -> Vec<DateCell> {
    cin_plan_dates(episode)
        .into_iter()
        .map(|p| p.start)
        .collect()
}

/// The end date of each of the episode's CIN plans.
pub fn cin_plan_ends(episode: &CinEpisode<'_>) -> Vec<DateCell> {
    cin_plan_dates(episode).into_iter().map(|p| p.end).collect()
}

/// The start date of each of the episode's section 47 enquiries.
pub fn section47_starts(episode: &CinEpisode<'_>) -> Vec<DateCell> {
    episode
        .section47s()
        .into_iter()
        .map(|s| (s.at("S47ActualStartDate"), s.actual_start_date()))
        .collect()
}

/// The start date of each of the episode's child protection plans.
pub fn protection_plan_starts(episode: &CinEpisode<'_>) -> Vec<DateCell> {
    protection_plan_dates(episode)
        .into_iter()
        .map(|p| p.start)
        .collect()
}

/// Flags every date that `dates` picks from an episode and that `is_wrong` rejects, alone.
pub fn flag_episode_dates(
    data: &Cin<'_>,
    flags: &mut Flags,
    dates: impl Fn(&CinEpisode<'_>) -> Vec<DateCell>,
    is_wrong: impl Fn(Val<NaiveDate>) -> bool,
) {
    for episode in episodes(data) {
        for (cell, date) in dates(&episode) {
            if is_wrong(date) {
                flags.cell(cell);
            }
        }
    }
}

/// Flags every date that `dates` picks from an episode and that is blank or after the
/// ReferenceDate (rules 4010 and 8600).
pub fn flag_missing_or_after_reference_date(
    data: &Cin<'_>,
    flags: &mut Flags,
    dates: impl Fn(&CinEpisode<'_>) -> Vec<DateCell>,
) {
    let Some((_, end)) = data.period() else {
        return;
    };
    flag_episode_dates(data, flags, dates, |date| {
        missing_or(date, |date| date > end)
    });
}

/// A date that is blank, or valid and `wrong`; an invalid date is left to the schema checks.
pub fn missing_or(date: Val<NaiveDate>, wrong: impl FnOnce(NaiveDate) -> bool) -> bool {
    match date {
        Val::Blank => true,
        Val::Ok(date) => wrong(date),
        Val::Invalid => false,
    }
}

/// The episode is a referral with no further action (a valid `true` ReferralNFA).
pub fn is_nfa(episode: &CinEpisode<'_>) -> bool {
    episode
        .details()
        .is_some_and(|details| details.referral_nfa().is(true))
}

/// The episode is a referral that went on to further action (a valid `false` ReferralNFA).
pub fn is_further_action(episode: &CinEpisode<'_>) -> bool {
    episode
        .details()
        .is_some_and(|details| details.referral_nfa().is(false))
}

/// Flags every date that `dates` picks from an episode (an activity's start, a conference) and
/// that is before the episode's referral date, linked with the referral date. Episodes without a
/// valid referral date and invalid activity dates are left to the rules that check those.
pub fn flag_before_referral(
    data: &Cin<'_>,
    flags: &mut Flags,
    dates: impl Fn(&CinEpisode<'_>) -> Vec<DateCell>,
) {
    for (episode, details) in episodes_with_details(data) {
        let Some(referral) = details.cin_referral_date().ok() else {
            continue;
        };
        for (cell, date) in dates(&episode) {
            if date.ok().is_some_and(|date| date < referral) {
                flags.cells([cell, details.at("CINreferralDate")]);
            }
        }
    }
}

/// Flags every date that `dates` picks from a child's episodes and that is after the child's date
/// of death, linked with the date of death.
pub fn flag_after_death(
    data: &Cin<'_>,
    flags: &mut Flags,
    dates: impl Fn(&CinEpisode<'_>) -> Vec<DateCell>,
) {
    for child in data.children() {
        let deaths: Vec<_> = child
            .identifiers()
            .into_iter()
            .filter_map(|i| Some((i.at("PersonDeathDate"), i.person_death_date().ok()?)))
            .collect();
        if deaths.is_empty() {
            continue;
        }
        for episode in child.episodes() {
            for (cell, date) in dates(&episode) {
                let Some(date) = date.ok() else { continue };
                for &(death_cell, death) in &deaths {
                    if date > death {
                        flags.cells([cell, death_cell]);
                    }
                }
            }
        }
    }
}

/// Flags every plan of a child that `starting` picks and that starts on or after the start of
/// one of the child's plans that `open` picks and before its end (on or before the ReferenceDate
/// when it is still open), linked with that plan's start and end (rules 4016 and 4017).
pub fn flag_plans_starting_during(
    data: &Cin<'_>,
    flags: &mut Flags,
    starting: impl Fn(&CinEpisode<'_>) -> Vec<StartEnd>,
    open: impl Fn(&CinEpisode<'_>) -> Vec<StartEnd>,
) {
    let Some((_, reference_date)) = data.period() else {
        return;
    };
    for child in data.children() {
        let episodes = child.episodes();
        let open_plans: Vec<_> = episodes
            .iter()
            .flat_map(&open)
            .filter_map(|plan| Some((plan.span()?, plan)))
            .collect();
        for plan in episodes.iter().flat_map(&starting) {
            let Some(start) = plan.start.1.ok() else {
                continue;
            };
            for (span, open) in &open_plans {
                if span.holds_before_end(start, reference_date) {
                    flags.cells([plan.start.0, open.start.0, open.end.0]);
                }
            }
        }
    }
}

/// A span of time that may still be open, such as a plan without an end date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Span {
    /// `date` is on or after the start and before the end; an open span is taken to run to
    /// `open_until` inclusive (the ReferenceDate: the return knows nothing later).
    pub fn holds_before_end(&self, date: NaiveDate, open_until: NaiveDate) -> bool {
        date >= self.start && self.end.map_or(date <= open_until, |end| date < end)
    }

    /// As [`Span::holds_before_end`], but the end day itself is inside the span.
    pub fn holds_through_end(&self, date: NaiveDate, open_until: NaiveDate) -> bool {
        date >= self.start && self.end.map_or(date <= open_until, |end| date <= end)
    }
}

/// `date` is within the census period (both ends included).
pub fn in_period(date: NaiveDate, (start, end): (NaiveDate, NaiveDate)) -> bool {
    (start..=end).contains(&date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_spans_run_to_the_reference_date() {
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        let closed = Span {
            start: d(5, 1),
            end: Some(d(6, 1)),
        };
        let open = Span {
            start: d(5, 1),
            end: None,
        };
        assert!(closed.holds_before_end(d(5, 1), d(12, 31)));
        assert!(!closed.holds_before_end(d(6, 1), d(12, 31)));
        assert!(closed.holds_through_end(d(6, 1), d(12, 31)));
        assert!(!closed.holds_before_end(d(4, 30), d(12, 31)));
        assert!(open.holds_before_end(d(12, 31), d(12, 31)));
        assert!(!open.holds_through_end(d(12, 31), d(12, 30)));
    }
}
