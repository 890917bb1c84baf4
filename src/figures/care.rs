//! Figures from the SSDA903: children looked after, placement stability, permanence and care
//! leavers.
//!
//! Conventions (documented in `docs/figures.md`, tested below):
//! - short breaks (LS V3, V4) are left out of every figure;
//! - looked after on a date: an episode with DECOM on or before it and DEC blank or after it;
//! - a period of care is a run of episodes joined by REC X1 (the next starts the day the previous
//!   ended); started = an RNE S episode, ceased = an episode ending with a reason other than X1,
//!   each child counted once (first start, last cessation);
//! - a placement starts with RNE S, P or B (new carers). Not a new placement: T, U, L (same
//!   carers), placed for adoption with current foster carers (A3, A5), temporary placements (T0–T4)
//!   and the return from one to the placement held before it, and a placement ending the day it began;
//! - long-term stability: under 16 at the period end, looked after continuously since 30 months
//!   before it, and with the same carers since 24 months before it (placed for adoption: the
//!   adoptive placement and the one before it together);
//! - adoption A1/A10/A2: children adopted (REC E11, E12) in the three years to the period end.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};

use super::data::{CareData, CareLeaver, Episode};
use super::indicators::Tally;
use super::period::Period;

/// The episodes that count for looked-after figures: short breaks left out.
fn in_care(episodes: &[Episode]) -> Vec<&Episode> {
    episodes.iter().filter(|e| !e.is_short_break()).collect()
}

fn is_temporary(e: &Episode) -> bool {
    matches!(e.place.as_str(), "T0" | "T1" | "T2" | "T3" | "T4")
}

/// Whether episode `i` of a child's (short-break-free, DECOM-ordered) episodes starts a new
/// placement with new carers.
fn starts_placement(episodes: &[&Episode], i: usize) -> bool {
    let episode = episodes[i];
    if is_temporary(episode) {
        return false;
    }
    let Some(previous) = i.checked_sub(1).map(|j| episodes[j]) else {
        return true;
    };
    if episode.rne == "S" || previous.dec != Some(episode.decom) {
        return true;
    }
    if !matches!(episode.rne.as_str(), "P" | "B") || matches!(episode.place.as_str(), "A3" | "A5") {
        return false;
    }
    let returns_from_temporary = is_temporary(previous)
        && i.checked_sub(2).map(|j| episodes[j]).is_some_and(|before| {
            before.place == episode.place && before.pl_post == episode.pl_post
        });
    !returns_from_temporary
}

/// The date the placement (same carers) that episode `i` is part of began.
fn placement_start(episodes: &[&Episode], i: usize) -> (usize, NaiveDate) {
    let mut j = i;
    while j > 0 && !starts_placement(episodes, j) {
        j -= 1;
    }
    (j, episodes[j].decom)
}

/// The index of the first episode of the period of care episode `i` belongs to.
fn period_start(episodes: &[&Episode], i: usize) -> usize {
    let mut j = i;
    while j > 0
        && episodes[j].rne != "S"
        && episodes[j - 1].dec == Some(episodes[j].decom)
        && episodes[j - 1].rec.as_deref() == Some("X1")
    {
        j -= 1;
    }
    j
}

/// Placements during `from..=to`: the one open at `from` and each new one after it.
fn placements_between(episodes: &[&Episode], from: NaiveDate, to: NaiveDate) -> usize {
    let mut count = 0;
    for (i, e) in episodes.iter().enumerate() {
        let overlaps = e.decom <= to && e.dec.is_none_or(|dec| dec >= from);
        if !overlaps || is_temporary(e) || e.dec == Some(e.decom) {
            continue;
        }
        if count == 0 || starts_placement(episodes, i) {
            count += 1;
        }
    }
    count
}

/// Children looked after at the end of the period, each with its (short-break-free) episodes and
/// the index of the one open then.
fn looked_after_at(d: &CareData, date: NaiveDate) -> Vec<(&String, Vec<&Episode>, usize)> {
    d.episodes
        .iter()
        .filter_map(|(child, all)| {
            let episodes = in_care(all);
            let open = episodes.iter().rposition(|e| e.is_open_on(date))?;
            Some((child, episodes, open))
        })
        .collect()
}

fn age_on(dob: NaiveDate, date: NaiveDate) -> Option<u32> {
    date.years_since(dob)
}

pub fn looked_after(d: &CareData, p: &Period) -> Vec<Tally> {
    vec![Tally::count(looked_after_at(d, p.end).len())]
}

pub fn started(d: &CareData, p: &Period) -> Vec<Tally> {
    let children = d
        .episodes
        .values()
        .filter(|all| {
            in_care(all)
                .iter()
                .any(|e| e.rne == "S" && p.contains(e.decom))
        })
        .count();
    vec![Tally::count(children)]
}

/// Each child's last episode ending care in the period.
fn last_cessations<'a>(d: &'a CareData, p: &Period) -> Vec<&'a Episode> {
    d.episodes
        .values()
        .filter_map(|all| {
            all.iter().rfind(|e| {
                !e.is_short_break() && e.ends_care() && e.dec.is_some_and(|dec| p.contains(dec))
            })
        })
        .collect()
}

pub fn ceased(d: &CareData, p: &Period) -> Vec<Tally> {
    vec![Tally::count(last_cessations(d, p).len())]
}

pub fn ceased_adopted(d: &CareData, p: &Period) -> Vec<Tally> {
    let ceased = last_cessations(d, p);
    let adopted = ceased
        .iter()
        .filter(|e| matches!(e.rec.as_deref(), Some("E11" | "E12")))
        .count();
    vec![Tally::ratio(adopted, ceased.len())]
}

/// Special guardianship: E43/E44 before 2024/25's split, E45–E48 since.
pub fn ceased_special_guardianship(d: &CareData, p: &Period) -> Vec<Tally> {
    let ceased = last_cessations(d, p);
    let sgo = ceased
        .iter()
        .filter(|e| {
            matches!(
                e.rec.as_deref(),
                Some("E43" | "E44" | "E45" | "E46" | "E47" | "E48")
            )
        })
        .count();
    vec![Tally::ratio(sgo, ceased.len())]
}

/// Shares of the children looked after at the period end by a characteristic: every category is
/// reported, with "Not recorded" for children the category cannot be told for.
fn breakdown(
    d: &CareData,
    p: &Period,
    categories: &[&str],
    category_of: impl Fn(&String, &Episode) -> Option<&'static str>,
) -> Vec<Tally> {
    let cla = looked_after_at(d, p.end);
    let mut counts: BTreeMap<&str, usize> = categories.iter().map(|c| (*c, 0)).collect();
    let mut not_recorded = 0;
    for (child, episodes, open) in &cla {
        match category_of(child, episodes[*open]) {
            Some(category) => *counts.entry(category).or_default() += 1,
            None => not_recorded += 1,
        }
    }
    let mut tallies: Vec<Tally> = categories
        .iter()
        .map(|c| Tally::ratio(counts[c], cla.len()).with_breakdown(c))
        .collect();
    if not_recorded > 0 {
        tallies.push(Tally::ratio(not_recorded, cla.len()).with_breakdown("Not recorded"));
    }
    tallies
}

const AGE_BANDS: [&str; 5] = ["Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over"];

pub fn by_age(d: &CareData, p: &Period) -> Vec<Tally> {
    breakdown(d, p, &AGE_BANDS, |child, _| {
        let age = age_on(d.children.get(child)?.dob?, p.end)?;
        Some(match age {
            0 => AGE_BANDS[0],
            1..=4 => AGE_BANDS[1],
            5..=9 => AGE_BANDS[2],
            10..=15 => AGE_BANDS[3],
            _ => AGE_BANDS[4],
        })
    })
}

pub fn by_sex(d: &CareData, p: &Period) -> Vec<Tally> {
    breakdown(d, p, &["Male", "Female"], |child, _| {
        // Before 2024/25 SEX was 1 (male) / 2 (female).
        match d.children.get(child)?.sex.as_deref()? {
            "M" | "1" => Some("Male"),
            "F" | "2" => Some("Female"),
            _ => None,
        }
    })
}

const ETHNIC_GROUPS: [&str; 5] = [
    "White",
    "Mixed or multiple ethnic groups",
    "Asian or Asian British",
    "Black, African, Caribbean or Black British",
    "Other ethnic group",
];

pub fn by_ethnicity(d: &CareData, p: &Period) -> Vec<Tally> {
    breakdown(d, p, &ETHNIC_GROUPS, |child, _| {
        let code = d.children.get(child)?.ethnic.clone()?;
        match code.as_str() {
            "REFU" | "NOBT" => None,
            "CHNE" | "OOTH" => Some(ETHNIC_GROUPS[4]),
            _ => match code.chars().next()? {
                'W' => Some(ETHNIC_GROUPS[0]),
                'M' => Some(ETHNIC_GROUPS[1]),
                'A' => Some(ETHNIC_GROUPS[2]),
                'B' => Some(ETHNIC_GROUPS[3]),
                _ => None,
            },
        }
    })
}

const LEGAL_STATUSES: [&str; 6] = [
    "Care order",
    "Placement order",
    "Freeing order",
    "Voluntary agreement (section 20)",
    "Youth justice legal status",
    "Emergency protection or police protection",
];

pub fn by_legal_status(d: &CareData, p: &Period) -> Vec<Tally> {
    breakdown(d, p, &LEGAL_STATUSES, |_, episode| {
        Some(match episode.ls.as_str() {
            "C1" | "C2" => LEGAL_STATUSES[0],
            "E1" => LEGAL_STATUSES[1],
            "D1" => LEGAL_STATUSES[2],
            "V2" => LEGAL_STATUSES[3],
            "J1" | "J2" | "J3" => LEGAL_STATUSES[4],
            "L1" | "L2" | "L3" => LEGAL_STATUSES[5],
            _ => return None,
        })
    })
}

const PLACEMENTS: [&str; 8] = [
    "Foster placements",
    "Placed for adoption",
    "Placed with parents or others with parental responsibility",
    "Secure units, children's homes and residential care homes",
    "Independent and semi-independent living, supported accommodation",
    "Other residential settings",
    "Temporary placements",
    "Other placements",
];

pub fn by_placement(d: &CareData, p: &Period) -> Vec<Tally> {
    breakdown(d, p, &PLACEMENTS, |_, episode| {
        Some(match episode.place.as_str() {
            "U1" | "U2" | "U3" | "U4" | "U5" | "U6" => PLACEMENTS[0],
            "A3" | "A4" | "A5" | "A6" => PLACEMENTS[1],
            "P1" => PLACEMENTS[2],
            "K1" | "K2" | "R1" => PLACEMENTS[3],
            "H5" | "K3" | "P2" => PLACEMENTS[4],
            "R2" | "R3" | "R5" | "S1" => PLACEMENTS[5],
            "T0" | "T1" | "T2" | "T3" | "T4" => PLACEMENTS[6],
            "Z1" | "Z11" | "Z12" | "Z13" | "Z14" | "P3" => PLACEMENTS[7],
            _ => return None,
        })
    })
}

/// Looked after at the period end and unaccompanied asylum-seeking then (a UASC row the XML flag
/// does not deny, DUC blank or after the period end).
pub fn uasc(d: &CareData, p: &Period) -> Vec<Tally> {
    let n = looked_after_at(d, p.end)
        .iter()
        .filter(|(child, _, _)| {
            d.uasc
                .get(*child)
                .is_some_and(|duc| duc.is_none_or(|duc| duc > p.end))
        })
        .count();
    vec![Tally::count(n)]
}

/// Children looked after at the period end with three or more placements in the 12 months to it.
pub fn three_or_more_placements(d: &CareData, p: &Period) -> Vec<Tally> {
    let from = p.rolling_year_start();
    let cla = looked_after_at(d, p.end);
    let three = cla
        .iter()
        .filter(|(_, episodes, _)| placements_between(episodes, from, p.end) >= 3)
        .count();
    vec![Tally::ratio(three, cla.len())]
}

/// Placed outside the LA and more than 20 miles from home, by the derived placement fields.
pub fn placed_outside_over_20_miles(d: &CareData, p: &Period) -> Vec<Tally> {
    let cla = looked_after_at(d, p.end);
    if !cla.is_empty() && !d.placements_derived {
        return vec![Tally::ratio(0, 0).with_note(
            "not available: the snapshot's episodes have no PL_LOCATION or PL_DISTANCE (derived from the postcodes when the run has the postcode reference)",
        )];
    }
    let far = cla
        .iter()
        .filter(|(_, episodes, open)| {
            let e = episodes[*open];
            e.pl_location.as_deref() == Some("OUT")
                && e.pl_distance.is_some_and(|miles| miles > 20.0)
        })
        .count();
    vec![Tally::ratio(far, cla.len())]
}

pub fn long_term_stability(d: &CareData, p: &Period) -> Vec<Tally> {
    let continuously_since = p.end - Months::new(30);
    let same_carers_since = p.end - Months::new(24);
    let (mut cohort, mut stable) = (0, 0);
    for (child, episodes, open) in looked_after_at(d, p.end) {
        let Some(age) = d
            .children
            .get(child)
            .and_then(|c| c.dob)
            .and_then(|dob| age_on(dob, p.end))
        else {
            continue;
        };
        if age >= 16 || episodes[period_start(&episodes, open)].decom > continuously_since {
            continue;
        }
        cohort += 1;
        let (first, mut since) = placement_start(&episodes, open);
        let placed_for_adoption =
            matches!(episodes[open].place.as_str(), "A3" | "A4" | "A5" | "A6");
        if placed_for_adoption
            && first > 0
            && episodes[first - 1].dec == Some(episodes[first].decom)
        {
            since = placement_start(&episodes, first - 1).1;
        }
        if since <= same_carers_since {
            stable += 1;
        }
    }
    vec![Tally::ratio(stable, cohort)]
}

/// The day the three-year adoption window starts, for a period ending on `end`.
fn three_years_before(end: NaiveDate) -> NaiveDate {
    end - Months::new(36) + Days::new(1)
}

/// For each child adopted in the three years to the period end: its episodes, the index of the
/// episode that ended with the adoption and the index of its period of care's first episode.
fn adopted<'a>(d: &'a CareData, p: &Period) -> Vec<(&'a String, Vec<&'a Episode>, usize, usize)> {
    let from = three_years_before(p.end);
    d.episodes
        .iter()
        .filter_map(|(child, all)| {
            let episodes = in_care(all);
            let last = episodes.iter().rposition(|e| {
                matches!(e.rec.as_deref(), Some("E11" | "E12"))
                    && e.dec.is_some_and(|dec| from <= dec && dec <= p.end)
            })?;
            let first = period_start(&episodes, last);
            Some((child, episodes, last, first))
        })
        .collect()
}

fn is_placed_for_adoption(e: &Episode) -> bool {
    matches!(e.place.as_str(), "A3" | "A4" | "A5" | "A6")
}

/// A1: average days from entering care to moving in with the adoptive family (the start of the
/// placed-for-adoption episode). Children with no such episode are left out.
pub fn adoption_a1(d: &CareData, p: &Period) -> Vec<Tally> {
    mean_days(
        adopted(d, p)
            .into_iter()
            .filter_map(|(_, episodes, last, first)| {
                let placed = (first..=last).find(|&i| is_placed_for_adoption(episodes[i]))?;
                Some((episodes[placed].decom - episodes[first].decom).num_days())
            }),
    )
}

/// A10: as A1, but for a child adopted by its foster carers the clock stops when it moved in with
/// them: the start of the placement (same carers) the adoption placement continued.
pub fn adoption_a10(d: &CareData, p: &Period) -> Vec<Tally> {
    mean_days(
        adopted(d, p)
            .into_iter()
            .filter_map(|(_, episodes, last, first)| {
                let placed = (first..=last).find(|&i| is_placed_for_adoption(episodes[i]))?;
                let moved_in = placement_start(&episodes, placed)
                    .1
                    .max(episodes[first].decom);
                Some((moved_in - episodes[first].decom).num_days())
            }),
    )
}

/// A2: average days from the court's authority to place (the first placement or freeing order
/// episode, LS E1 or D1) to the match with adopters (AD1 DATE_MATCH); 0 when matched first.
pub fn adoption_a2(d: &CareData, p: &Period) -> Vec<Tally> {
    mean_days(
        adopted(d, p)
            .into_iter()
            .filter_map(|(child, episodes, last, first)| {
                let authority = (first..=last)
                    .map(|i| episodes[i])
                    .find(|e| matches!(e.ls.as_str(), "E1" | "D1"))?
                    .decom;
                let matched = d.adoption_decisions.get(child)?.date_match?;
                Some((matched - authority).num_days().max(0))
            }),
    )
}

fn mean_days(days: impl Iterator<Item = i64>) -> Vec<Tally> {
    let days: Vec<i64> = days.collect();
    vec![Tally::ratio_of(
        days.iter().sum::<i64>() as f64,
        days.len() as f64,
    )]
}

/// The care leaver's birthday in the collection year of the period, and the age it makes them.
fn birthday_in_year(dob: NaiveDate, p: &Period) -> Option<(NaiveDate, i32)> {
    let start = p.year.start();
    [start.year(), start.year() + 1].into_iter().find_map(|y| {
        let birthday = dob
            .with_year(y)
            .or_else(|| NaiveDate::from_ymd_opt(y, 2, 28))?;
        p.year
            .contains(birthday)
            .then(|| (birthday, y - dob.year()))
    })
}

/// Care leavers whose birthday in the year has passed by the period end, aged `ages`, less those who
/// died or returned home for six months or more.
fn care_leavers<'a>(
    d: &'a CareData,
    p: &Period,
    ages: std::ops::RangeInclusive<i32>,
) -> Vec<&'a CareLeaver> {
    d.care_leavers
        .iter()
        .filter(|c| {
            birthday_in_year(c.dob, p)
                .is_some_and(|(birthday, age)| birthday <= p.end && ages.contains(&age))
                && !matches!(c.in_touch.as_deref(), Some("DIED" | "RHOM"))
        })
        .collect()
}

/// Aged 19 to 21 in suitable accommodation; those abroad, deported or whose residence is not known
/// are left out of this figure.
pub fn care_leavers_suitable_accommodation(d: &CareData, p: &Period) -> Vec<Tally> {
    let cohort: Vec<&CareLeaver> = care_leavers(d, p, 19..=21)
        .into_iter()
        .filter(|c| {
            !matches!(
                c.accommodation.as_deref(),
                Some("G1" | "G2" | "H1" | "H2" | "R1" | "R2")
            )
        })
        .collect();
    let suitable = cohort
        .iter()
        .filter(|c| {
            c.accommodation
                .as_deref()
                .is_some_and(|a| a.len() == 2 && a.ends_with('1'))
        })
        .count();
    vec![Tally::ratio(suitable, cohort.len())]
}

pub fn care_leavers_in_education_employment_training(d: &CareData, p: &Period) -> Vec<Tally> {
    let cohort = care_leavers(d, p, 19..=21);
    let eet = cohort
        .iter()
        .filter(|c| {
            matches!(
                c.activity.as_deref(),
                Some("F1" | "P1" | "F2" | "P2" | "F4" | "P4" | "F5" | "P5")
            )
        })
        .count();
    vec![Tally::ratio(eet, cohort.len())]
}

/// Aged 18 to 20 who left care on their 18th birthday from a foster placement (not transferred to
/// another LA), and are living with their former foster carers (ACCOM Z1, Z2).
pub fn staying_put(d: &CareData, p: &Period) -> Vec<Tally> {
    let cohort: Vec<&CareLeaver> = care_leavers(d, p, 18..=20)
        .into_iter()
        .filter(|c| {
            let Some(eighteenth) = c.dob.checked_add_months(Months::new(18 * 12)) else {
                return false;
            };
            d.episodes.get(&c.child).is_some_and(|episodes| {
                in_care(episodes).iter().any(|e| {
                    e.dec == Some(eighteenth)
                        && e.ends_care()
                        && e.rec.as_deref() != Some("E3")
                        && matches!(e.place.as_str(), "U1" | "U2" | "U3" | "U4" | "U5" | "U6")
                })
            })
        })
        .collect();
    let staying = cohort
        .iter()
        .filter(|c| matches!(c.accommodation.as_deref(), Some("Z1" | "Z2")))
        .count();
    vec![Tally::ratio(staying, cohort.len())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::data::{AdoptionDecision, Child};
    use crate::figures::testing::{category, d, values, year};
    use crate::year::CollectionYear;

    /// An episode from a compact description: "DECOM RNE LS PLACE [DEC REC]".
    fn ep(text: &str) -> Episode {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Episode {
            decom: date(parts[0]),
            rne: parts[1].into(),
            ls: parts[2].into(),
            place: parts[3].into(),
            dec: parts.get(4).map(|s| date(s)),
            rec: parts.get(5).map(|s| s.to_string()),
            pl_post: Some(format!("PL{}", parts[3])),
            pl_location: None,
            pl_distance: None,
        }
    }

    fn care(children: &[(&str, &[&str])]) -> CareData {
        let mut data = CareData::default();
        for (child, episodes) in children {
            data.episodes
                .insert(child.to_string(), episodes.iter().map(|e| ep(e)).collect());
            data.children.insert(
                child.to_string(),
                Child {
                    sex: Some("F".into()),
                    dob: Some(d(2015, 6, 1)),
                    ethnic: Some("WBRI".into()),
                },
            );
        }
        data
    }

    #[test]
    fn a_v3_short_break_is_not_looked_after_and_an_x1_continuation_is_one_period_of_care() {
        let data = care(&[
            ("BREAK", &["2026-03-28 S V3 K1"]),
            // Started in the year, legal status changed (X1 then L): one child, one start.
            (
                "X1",
                &["2025-05-01 S V2 U4 2025-08-01 X1", "2025-08-01 L C2 U4"],
            ),
            // Left care on 31 March: not looked after on 31 March, but ceased.
            ("LEFT", &["2024-01-01 S C2 U4 2026-03-31 E4A"]),
        ]);
        assert_eq!(values(&looked_after(&data, &year())), [(1.0, None)]);
        assert_eq!(values(&started(&data, &year())), [(1.0, None)]);
        assert_eq!(
            values(&ceased(&data, &year())),
            [(1.0, None)],
            "X1 is not a cessation"
        );
    }

    #[test]
    fn each_child_is_counted_once_as_starting_and_once_as_ceasing_by_its_last_reason() {
        let data = care(&[
            (
                "TWICE",
                &[
                    "2025-04-10 S V2 U4 2025-06-01 E13",
                    "2025-09-01 S V2 U4 2026-02-01 E11",
                ],
            ),
            ("SGO", &["2023-01-01 S C2 U1 2025-10-01 E45"]),
            ("HOME", &["2023-01-01 S C2 U1 2025-10-01 E4A"]),
        ]);
        assert_eq!(values(&started(&data, &year())), [(1.0, None)]);
        assert_eq!(values(&ceased(&data, &year())), [(3.0, None)]);
        assert_eq!(
            values(&ceased_adopted(&data, &year())),
            [(1.0, Some(3.0))],
            "last occasion: adopted"
        );
        assert_eq!(
            values(&ceased_special_guardianship(&data, &year())),
            [(1.0, Some(3.0))]
        );
    }

    #[test]
    fn placements_in_the_year_count_new_carers_only() {
        let data = care(&[
            // Open on 1 April (1), a new carer (2), a legal change (same carer), a new carer (3).
            (
                "THREE",
                &[
                    "2024-01-01 S C2 U4 2025-06-01 X1",
                    "2025-06-01 P C2 U6 2025-09-01 X1",
                    "2025-09-01 L E1 U6 2025-12-01 X1",
                    "2025-12-01 P E1 U5",
                ],
            ),
            // A temporary placement and the return to the same placement are not moves.
            (
                "TEMP",
                &[
                    "2024-01-01 S C2 U4 2025-06-01 X1",
                    "2025-06-01 P C2 T3 2025-06-10 X1",
                    "2025-06-10 P C2 U4",
                ],
            ),
            // Placed for adoption with its foster carers (A5): not a move.
            (
                "ADOPT",
                &[
                    "2024-01-01 S C2 U4 2025-06-01 X1",
                    "2025-06-01 P E1 U6 2025-09-01 X1",
                    "2025-09-01 P E1 A5",
                ],
            ),
        ]);
        assert_eq!(
            values(&three_or_more_placements(&data, &year())),
            [(1.0, Some(3.0))]
        );
        let episodes = in_care(&data.episodes["TEMP"]);
        assert_eq!(
            placements_between(&episodes, d(2025, 4, 1), d(2026, 3, 31)),
            1
        );
        let episodes = in_care(&data.episodes["ADOPT"]);
        assert_eq!(
            placements_between(&episodes, d(2025, 4, 1), d(2026, 3, 31)),
            2
        );
    }

    #[test]
    fn placed_outside_the_la_and_over_20_miles_uses_the_derived_fields() {
        let mut data = care(&[
            ("FAR", &["2025-01-01 S C2 U4"]),
            ("NEAR", &["2025-01-01 S C2 U4"]),
            ("INSIDE", &["2025-01-01 S C2 U4"]),
            ("UASC", &["2025-01-01 S V2 U4"]),
        ]);
        assert_eq!(
            values(&placed_outside_over_20_miles(&data, &year())),
            [(0.0, Some(0.0))]
        );
        assert!(
            placed_outside_over_20_miles(&data, &year())[0]
                .note
                .is_some()
        );
        for (child, location, miles) in [
            ("FAR", Some("OUT"), Some(20.1)),
            ("NEAR", Some("OUT"), Some(20.0)),
            ("INSIDE", Some("IN"), Some(35.0)),
            ("UASC", Some("OUT"), None),
        ] {
            let e = &mut data.episodes.get_mut(child).unwrap()[0];
            e.pl_location = location.map(String::from);
            e.pl_distance = miles;
        }
        data.placements_derived = true;
        let t = placed_outside_over_20_miles(&data, &year());
        assert_eq!(
            values(&t),
            [(1.0, Some(4.0))],
            "20.0 miles is not more than 20"
        );
        assert_eq!(t[0].note, None);
    }

    #[test]
    fn long_term_stability_needs_30_months_in_care_and_24_with_the_same_carers() {
        let mut data = care(&[
            // In care since 30 September 2023 (exactly 30 months), same carers since 31 March 2024.
            (
                "STABLE",
                &["2023-09-30 S C2 U4 2024-03-31 X1", "2024-03-31 P C2 U6"],
            ),
            // Same carers since 1 April 2024: a day short of two years.
            (
                "MOVED",
                &["2023-09-30 S C2 U4 2024-04-01 X1", "2024-04-01 P C2 U6"],
            ),
            // In care since 1 October 2023: not in the cohort.
            ("RECENT", &["2023-10-01 S C2 U4"]),
            // Placed for adoption a year ago, with carers of the previous 18 months: 2.5 years together.
            (
                "ADOPT",
                &[
                    "2023-01-01 S C2 U4 2023-10-01 X1",
                    "2023-10-01 P E1 U6 2025-04-01 X1",
                    "2025-04-01 P E1 A6",
                ],
            ),
            ("OLDER", &["2020-01-01 S C2 U4"]),
        ]);
        data.children.get_mut("OLDER").unwrap().dob = Some(d(2010, 3, 31));
        assert_eq!(
            values(&long_term_stability(&data, &year())),
            [(2.0, Some(3.0))]
        );
    }

    #[test]
    fn breakdowns_report_every_category_as_a_share_of_children_looked_after() {
        let mut data = care(&[
            ("A", &["2025-01-01 S C2 U4"]),
            ("B", &["2025-01-01 S V2 K2"]),
            ("C", &["2025-01-01 S E1 A4"]),
            ("D", &["2025-01-01 S C1 U1"]),
        ]);
        data.children.get_mut("B").unwrap().dob = Some(d(2025, 6, 1));
        data.children.get_mut("C").unwrap().ethnic = Some("REFU".into());
        data.uasc.insert("D".into(), None);
        data.uasc.insert("A".into(), Some(d(2025, 12, 1)));
        let placement = by_placement(&data, &year());
        assert_eq!(placement.len(), 8);
        let foster = category(&placement, "Foster placements");
        assert_eq!((foster.numerator, foster.denominator), (2.0, Some(4.0)));
        let ages = by_age(&data, &year());
        assert_eq!(category(&ages, "Under 1").numerator, 1.0);
        let ethnicity = by_ethnicity(&data, &year());
        assert_eq!(category(&ethnicity, "Not recorded").numerator, 1.0);
        let legal = by_legal_status(&data, &year());
        assert_eq!(category(&legal, "Care order").numerator, 2.0);
        assert_eq!(values(&by_sex(&data, &year()))[1], (4.0, Some(4.0)));
        assert_eq!(
            values(&uasc(&data, &year())),
            [(1.0, None)],
            "A stopped being UASC in December"
        );
    }

    #[test]
    fn adoption_timeliness_a1_a10_and_a2() {
        let mut data = care(&[
            // Entered care 1 Jan 2023, placement order 1 Jul 2023, placed for adoption with its
            // foster carers (A5) on 1 Mar 2024 having lived with them since 1 Oct 2023; adopted.
            (
                "FOSTERED",
                &[
                    "2023-01-01 S C2 U4 2023-07-01 X1",
                    "2023-07-01 L E1 U4 2023-10-01 X1",
                    "2023-10-01 P E1 U6 2024-03-01 X1",
                    "2024-03-01 T E1 A5 2025-06-01 E11",
                ],
            ),
            // Entered care 1 Jan 2024, placement order 1 Feb 2024, placed with strangers 1 Apr 2024.
            (
                "PLACED",
                &[
                    "2024-01-01 S C2 U4 2024-02-01 X1",
                    "2024-02-01 L E1 U4 2024-04-01 X1",
                    "2024-04-01 P E1 A6 2025-01-01 E12",
                ],
            ),
            // Adopted in 2022: outside the three years to 31 March 2026.
            (
                "EARLIER",
                &[
                    "2020-01-01 S E1 U4 2020-06-01 X1",
                    "2020-06-01 P E1 A6 2022-06-01 E11",
                ],
            ),
        ]);
        data.adoption_decisions.insert(
            "FOSTERED".into(),
            AdoptionDecision {
                date_match: Some(d(2023, 6, 1)),
            },
        );
        data.adoption_decisions.insert(
            "PLACED".into(),
            AdoptionDecision {
                date_match: Some(d(2024, 3, 1)),
            },
        );
        // A1: (2024-03-01 − 2023-01-01) = 425 days, (2024-04-01 − 2024-01-01) = 91 days.
        assert_eq!(values(&adoption_a1(&data, &year())), [(516.0, Some(2.0))]);
        // A10: FOSTERED stops at 1 Oct 2023 (273 days).
        assert_eq!(values(&adoption_a10(&data, &year())), [(364.0, Some(2.0))]);
        // A2: FOSTERED matched before the order (0); PLACED 1 Feb → 1 Mar 2024 (29 days).
        assert_eq!(values(&adoption_a2(&data, &year())), [(29.0, Some(2.0))]);
    }

    fn leaver(
        child: &str,
        dob: NaiveDate,
        in_touch: &str,
        activity: &str,
        accommodation: &str,
    ) -> CareLeaver {
        CareLeaver {
            child: child.into(),
            dob,
            in_touch: Some(in_touch.into()),
            activity: Some(activity.into()),
            accommodation: Some(accommodation.into()),
        }
    }

    #[test]
    fn care_leavers_aged_19_to_21_by_their_birthday_in_the_year() {
        let mut data = care(&[]);
        data.care_leavers = vec![
            leaver("A", d(2006, 5, 1), "YES", "F1", "U1"), // 19 on 1 May 2025: suitable, EET
            leaver("B", d(2005, 3, 31), "YES", "G5", "S2"), // 21 on 31 Mar 2026: unsuitable, NEET
            leaver("C", d(2006, 5, 1), "NO", "0", "0"), // not in touch: stays in both denominators
            leaver("D", d(2006, 5, 1), "YES", "F5", "G1"), // abroad: out of accommodation only
            leaver("E", d(2006, 5, 1), "DIED", "0", "0"), // died: out of both
            leaver("F", d(2007, 6, 1), "YES", "F2", "Z1"), // 18: not in this cohort
        ];
        assert_eq!(
            values(&care_leavers_suitable_accommodation(&data, &year())),
            [(1.0, Some(3.0))]
        );
        assert_eq!(
            values(&care_leavers_in_education_employment_training(
                &data,
                &year()
            )),
            [(2.0, Some(4.0))]
        );
        // By the end of June 2025 only the May birthdays have passed.
        let ytd = Period::year_to_date(CollectionYear::new(2026).unwrap(), d(2025, 6, 30));
        assert_eq!(
            values(&care_leavers_in_education_employment_training(&data, &ytd)),
            [(2.0, Some(3.0))]
        );
    }

    #[test]
    fn staying_put_counts_18_to_20_year_olds_who_left_foster_care_on_their_18th_birthday() {
        let mut data = care(&[
            ("A", &["2020-01-01 S C2 U4 2025-06-01 E17"]),
            ("B", &["2020-01-01 S C2 K2 2025-06-01 E5"]),
            ("C", &["2020-01-01 S C2 U4 2025-05-01 E4A"]),
            // 19 this year: left care last year (from an earlier year's return).
            ("D", &["2019-01-01 S C2 U5 2024-07-01 E8"]),
        ]);
        data.care_leavers = vec![
            leaver("A", d(2007, 6, 1), "YES", "F2", "Z1"),
            leaver("B", d(2007, 6, 1), "YES", "F2", "D1"),
            leaver("C", d(2007, 6, 1), "YES", "F2", "Z1"),
            leaver("D", d(2006, 7, 1), "YES", "F2", "U1"),
        ];
        assert_eq!(
            values(&staying_put(&data, &year())),
            [(1.0, Some(2.0))],
            "A and D are the cohort"
        );
    }
}
