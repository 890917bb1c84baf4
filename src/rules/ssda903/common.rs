//! Domain helpers shared by SSDA903 rules: ages and birthdays, the "looked after continuously for
//! 12 months" cohort (OC2), episodes in the collection year, and small cell tests. Each helper
//! follows the DfE definition quoted in its doc comment; rules cite it rather than re-deriving it.
//!
//! Unknown values (blank or failed their structural check) make a condition unknown, and an
//! unknown condition is treated as not met: a rule never flags a child because of a date it
//! could not read (that date's own rule reports it).

use chrono::{Months, NaiveDate};

use crate::records::CellRef;
use crate::records::ssda903::{Ad1, Child, Episode, Header, Oc2, Oc3};
use crate::rules::Flags;
use crate::rules::ssda903::Ssda903;
use crate::table::Val;
use crate::year::CollectionYear;

/// The `n`th birthday of someone born on `dob`. A 29 February birthday falls on 28 February in
/// years without one (the DfE and pandas' `DateOffset(years=n)` agree on this).
pub fn birthday(dob: NaiveDate, n: u32) -> NaiveDate {
    dob.checked_add_months(Months::new(12 * n))
        .unwrap_or(NaiveDate::MAX)
}

/// Age in whole years on `date` (0 before the first birthday; negative ages are clamped to 0).
pub fn age_on(dob: NaiveDate, date: NaiveDate) -> u32 {
    let mut age = 0;
    while birthday(dob, age + 1) <= date {
        age += 1;
    }
    age
}

/// A value that failed its structural check (wrong type, format or code list), or one that is
/// blank when `blank_is_invalid` — the test of every DfE "not a valid code / date" rule.
pub fn is_invalid<T>(value: &Val<T>, blank_is_invalid: bool) -> bool {
    value.is_invalid() || (blank_is_invalid && value.is_blank())
}

/// Whether the episode touches the collection year: it started on or before 31 March and ended
/// on or after 1 April. An episode whose DECOM is unknown is not in the year; one whose DEC is
/// blank (open) or unreadable is taken to run to 31 March, as its start is all that is known.
pub fn in_year(episode: &Episode<'_>, year: CollectionYear) -> bool {
    let Some(decom) = episode.decom().ok() else {
        return false;
    };
    decom <= year.end() && episode.dec().ok().is_none_or(|d| d >= year.start())
}

/// The year's SEX codes for male and female: `1` and `2` until 2023/24, `M` and `F` from 2024/25
/// (ssda903.md §4.1).
pub fn sex_codes(year: CollectionYear) -> (&'static str, &'static str) {
    if year.end_year() <= 2024 {
        ("1", "2")
    } else {
        ("M", "F")
    }
}

/// Short-break legal statuses (V3 agreed series of short breaks, V4 short breaks recorded as
/// agreements): excluded from most cohorts (ssda903.md §7.4).
pub const SHORT_BREAKS: [&str; 2] = ["V3", "V4"];

/// "Looked after continuously for at least 12 months at 31 March" (ssda903.md §7.3; the DfE
/// 2021/22 validation rules definition used by the OC2 rules): the child has an episode in the
/// year and none of these holds for any episode:
///
/// - it started a period of care (RNE `S`) after 1 April and on or before 31 March;
/// - it ended, other than by `X1` (continuation), on or after 1 April and before 31 March;
/// - it is a short break (LS `V3`/`V4`) in the year.
///
/// A child with no episodes is not in the cohort.
pub fn continuously_looked_after(child: &Child<'_>, year: CollectionYear) -> bool {
    let (start, end) = (year.start(), year.end());
    let mut in_care = false;
    for episode in child.episodes() {
        let during_year = in_year(&episode, year);
        in_care |= during_year;
        let entered =
            episode.rne().is("S") && episode.decom().ok().is_some_and(|d| d > start && d <= end);
        let left =
            !episode.rec().is("X1") && episode.dec().ok().is_some_and(|d| d >= start && d < end);
        let short_break = episode.ls().is_in(&SHORT_BREAKS) && during_year;
        if entered || left || short_break {
            return false;
        }
    }
    in_care
}

/// The care-leaver birthday (17th to 21st, ssda903.md §7.8) that falls in the collection year, if
/// any: the age whose OC3 data the return reports.
pub fn care_leaver_birthday(dob: NaiveDate, year: CollectionYear) -> Option<u32> {
    (17..=21).find(|&age| year.contains(birthday(dob, age)))
}

/// The child's episodes grouped into periods of care (ssda903.md §7.2), in DECOM order: a period
/// starts with a new-period episode (RNE `S`) or after an episode that ended other than by `X1`,
/// and runs through the episodes joined to it by `X1`. Episodes whose DECOM is unknown are left
/// out, as their place in the sequence is unknown.
pub fn periods_of_care<'g>(child: &Child<'g>) -> Vec<Vec<Episode<'g>>> {
    let mut periods: Vec<Vec<Episode<'g>>> = Vec::new();
    let mut continues = false;
    for episode in child.episodes() {
        if episode.decom().ok().is_none() {
            continue;
        }
        match periods.last_mut() {
            Some(period) if continues && !episode.rne().is("S") => period.push(episode),
            _ => periods.push(vec![episode]),
        }
        continues = episode.rec().is("X1");
    }
    periods
}

/// The child's episode with the latest DECOM (episodes with an unknown DECOM excluded).
pub fn latest_episode<'g>(episodes: impl IntoIterator<Item = Episode<'g>>) -> Option<Episode<'g>> {
    episodes
        .into_iter()
        .filter(|e| e.decom().ok().is_some())
        .max_by_key(|e| e.decom().ok())
}

/// The child's episode with the earliest DECOM (episodes with an unknown DECOM excluded).
pub fn earliest_episode<'g>(
    episodes: impl IntoIterator<Item = Episode<'g>>,
) -> Option<Episode<'g>> {
    episodes
        .into_iter()
        .filter(|e| e.decom().ok().is_some())
        .min_by_key(|e| e.decom().ok())
}

/// The OC2 rows of the children in the OC2 cohort ([`continuously_looked_after`]).
pub fn oc2_rows_in_cohort<'d>(data: &'d Ssda903<'_>) -> impl Iterator<Item = Oc2<'d>> + 'd {
    oc2_rows_where_cohort(data, true)
}

/// The OC2 rows of the children outside the OC2 cohort ([`continuously_looked_after`]).
pub fn oc2_rows_outside_cohort<'d>(data: &'d Ssda903<'_>) -> impl Iterator<Item = Oc2<'d>> + 'd {
    oc2_rows_where_cohort(data, false)
}

fn oc2_rows_where_cohort<'d>(
    data: &'d Ssda903<'_>,
    in_cohort: bool,
) -> impl Iterator<Item = Oc2<'d>> + 'd {
    data.children().flat_map(move |child| {
        let rows = child.oc2();
        // The cohort test reads every episode: only children with OC2 rows need it.
        if rows.is_empty() || continuously_looked_after(&child, data.year) != in_cohort {
            Vec::new()
        } else {
            rows
        }
    })
}

/// The eight 0/1 outcome items of an OC2 row (rules 181, 182, 190, 191), with their columns.
pub fn oc2_indicators<'a>(row: &Oc2<'a>) -> [(&'static str, Val<&'a str>); 8] {
    [
        ("CONVICTED", row.convicted()),
        ("HEALTH_CHECK", row.health_check()),
        ("IMMUNISATIONS", row.immunisations()),
        ("TEETH_CHECK", row.teeth_check()),
        ("HEALTH_ASSESSMENT", row.health_assessment()),
        ("SUBSTANCE_MISUSE", row.substance_misuse()),
        ("INTERVENTION_RECEIVED", row.intervention_received()),
        ("INTERVENTION_OFFERED", row.intervention_offered()),
    ]
}

/// The OC2 items every child in the OC2 cohort must have (rules 182, 191): immunisations, teeth
/// check, health assessment and substance misuse.
pub const OC2_CORE: [&str; 4] = [
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
];

/// The six adoption items of an AD1 row (rules 134, 151, 187): each column and whether it is
/// given (not blank).
pub fn ad1_items_given(row: &Ad1<'_>) -> [(&'static str, bool); 6] {
    [
        ("DATE_INT", row.date_int().is_present()),
        ("DATE_MATCH", row.date_match().is_present()),
        ("FOSTER_CARE", row.foster_care().is_present()),
        ("NB_ADOPTR", row.nb_adoptr().is_present()),
        ("SEX_ADOPTR", row.sex_adoptr().is_present()),
        ("LS_ADOPTR", row.ls_adoptr().is_present()),
    ]
}

/// The three care-leaver items of an OC3 row (rules 134, 153, 187): each column and whether it
/// is given (not blank).
pub fn oc3_items_given(row: &Oc3<'_>) -> [(&'static str, bool); 3] {
    [
        ("IN_TOUCH", row.in_touch().is_present()),
        ("ACTIV", row.activ().is_present()),
        ("ACCOM", row.accom().is_present()),
    ]
}

/// The cells of the items (column, given) that are given when `given`, blank otherwise.
pub fn cells_given(
    items: &[(&'static str, bool)],
    given: bool,
    at: impl Fn(&'static str) -> CellRef,
) -> Vec<CellRef> {
    items
        .iter()
        .filter(|(_, is_given)| *is_given == given)
        .map(|(column, _)| at(column))
        .collect()
}

/// Flags the blank items of a row whose items (column, given) are partly given: all or none is
/// complete (rules 151, 153).
pub fn flag_partly_given(
    flags: &mut Flags,
    items: &[(&'static str, bool)],
    at: impl Fn(&'static str) -> CellRef,
) {
    let blank = cells_given(items, false, at);
    if !blank.is_empty() && blank.len() < items.len() {
        flags.cells(blank);
    }
}

/// The cells of `row` among `items` that pass `test`, as cell references of the row.
pub fn cells_where<T>(
    items: impl IntoIterator<Item = (&'static str, Val<T>)>,
    test: impl Fn(&Val<T>) -> bool,
    at: impl Fn(&'static str) -> CellRef,
) -> Vec<CellRef> {
    items
        .into_iter()
        .filter(|(_, value)| test(value))
        .map(|(column, _)| at(column))
        .collect()
}

/// Each child of this year's return that is also in last year's, with its records of each year.
pub fn children_with_last<'d>(
    data: &'d Ssda903<'_>,
) -> impl Iterator<Item = (Child<'d>, Child<'d>)> + 'd {
    data.children()
        .filter_map(|child| Some((child, data.previous_child(child.id())?)))
}

/// Each child of this year's return that has a Header row in both years, with this year's and
/// last year's Header: what the "differs from last year" rules (202-208) compare.
pub fn headers_with_last<'d>(
    data: &'d Ssda903<'_>,
) -> impl Iterator<Item = (Child<'d>, Header<'d>, Header<'d>)> + 'd {
    children_with_last(data).filter_map(|(child, last)| {
        let (header, last) = (child.header()?, last.header()?);
        Some((child, header, last))
    })
}

/// Flags `column` in both years' Header rows where the child's `value` is known in both years and
/// differs; an unknown value (blank or not valid) is left to that field's own rules.
pub fn flag_header_changes<'d, T: PartialEq>(
    data: &'d Ssda903<'_>,
    flags: &mut Flags,
    column: &'static str,
    value: impl Fn(&Header<'d>) -> Option<T>,
) {
    for (_, header, last) in headers_with_last(data) {
        if let (Some(now), Some(before)) = (value(&header), value(&last))
            && now != before
        {
            flags.cells([header.at(column), last.at(column)]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::records::ssda903::Grouped;
    use crate::rules::ssda903::fixture::{EPISODES, dataset};
    use crate::source::Role;

    fn date(d: u32, m: u32, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn birthdays_and_ages_follow_the_calendar() {
        assert_eq!(birthday(date(29, 2, 2012), 1), date(28, 2, 2013));
        assert_eq!(birthday(date(29, 2, 2012), 4), date(29, 2, 2016));
        assert_eq!(age_on(date(1, 4, 2010), date(31, 3, 2026)), 15);
        assert_eq!(age_on(date(1, 4, 2010), date(1, 4, 2026)), 16);
        assert_eq!(age_on(date(1, 4, 2030), date(1, 4, 2026)), 0);
    }

    #[test]
    fn care_leaver_birthdays_are_17_to_21_in_the_year() {
        let year = CollectionYear::new(2026).unwrap();
        assert_eq!(care_leaver_birthday(date(1, 4, 2008), year), Some(17));
        assert_eq!(care_leaver_birthday(date(31, 3, 2005), year), Some(21));
        assert_eq!(care_leaver_birthday(date(1, 4, 2003), year), None);
        assert_eq!(care_leaver_birthday(date(1, 4, 2009), year), None);
    }

    #[test]
    fn periods_of_care_are_joined_by_x1() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}\
                 1,01/01/2020,S,C2,N1,U1,PR1,01/06/2020,X1,,,,\n\
                 1,01/06/2020,P,C2,N1,U3,PR1,01/01/2021,E11,,,,\n\
                 1,01/05/2025,S,C2,N1,U1,PR1,01/06/2025,X1,,,,\n\
                 1,01/06/2025,L,C1,N1,U1,PR1,,,,,,\n\
                 1,xx/06/2025,P,C1,N1,U1,PR1,,,,,,\n"
            )],
        );
        let grouped = Grouped::new(&data, Year::This);
        let child = grouped.child("1").unwrap();
        let periods: Vec<Vec<u32>> = periods_of_care(&child)
            .iter()
            .map(|p| p.iter().map(|e| e.source().line).collect())
            .collect();
        assert_eq!(periods, [vec![2, 3], vec![4, 5]]);
    }

    #[test]
    fn continuously_looked_after_follows_the_dfe_definition() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}\
                 1,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n\
                 2,01/05/2025,S,C2,N1,U1,PR1,,,,,,\n\
                 3,01/01/2020,S,C2,N1,U1,PR1,01/06/2025,X1,,,,\n\
                 3,01/06/2025,P,C2,N1,U3,PR1,,,,,,\n\
                 4,01/01/2020,S,C2,N1,U1,PR1,01/06/2025,E11,,,,\n\
                 5,01/01/2020,S,V3,N1,U1,PR1,,,,,,\n\
                 6,01/01/2020,S,C2,N1,U1,PR1,01/03/2025,E11,,,,\n\
                 7,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n\
                 8,01/01/2020,S,C2,N1,U1,PR1,31/03/2026,E11,,,,\n"
            )],
        );
        let grouped = Grouped::new(&data, Year::This);
        let year = data.year;
        let cohort: Vec<&str> = grouped
            .children()
            .filter(|c| continuously_looked_after(c, year))
            .map(|c| c.id())
            .collect();
        // 2 entered in the year, 4 left, 5 had short breaks, 6 was not looked after in the year;
        // 7 entered on 1 April and 8 left on 31 March, which the definition does not count.
        assert_eq!(cohort, ["1", "3", "7", "8"]);
    }
}
