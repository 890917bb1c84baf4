//! # 199: child previously adopted from care
//!
//! Flags an episode that starts after an episode of the same child ended in adoption (REC E11 or
//! E12), in this year's return or, when loaded, last year's.
//!
//! ## Why
//! An adoption ends the LA's parental responsibility for good: a child adopted from care who
//! comes back into care has a new identity and should not be recorded under the old child id.
//! The DfE's own check sees every year; this one sees the two years loaded.
//!
//! ## Example
//! A child whose only episode ended E11 passes; a later episode of the same child is flagged on
//! its start.

use crate::records::ssda903::Episode;
use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An episode starts after the child was adopted from care.
    pub const RULE: Rule903 = {
        code: "199",
        message: "Episode information shows child has been previously adopted from care. [NOTE: This only tests the current and previous year data loaded into the tool]",
        severity: Error,
        tables: ["Episodes", "Episodes_last"],
        fields: ["CHILD"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn is_adoption(episode: &Episode<'_>) -> bool {
    episode.rec().is_in(&["E11", "E12"])
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        let last_year = data
            .previous_child(child.id())
            .map(|c| c.episodes())
            .unwrap_or_default();
        let this_year = child.episodes();
        // Every episode with a known start, last year's first so that a same-day adoption last
        // year counts as earlier; the sort is stable.
        let mut timeline: Vec<(chrono::NaiveDate, bool, &Episode<'_>)> = last_year
            .iter()
            .map(|e| (e, false))
            .chain(this_year.iter().map(|e| (e, true)))
            .filter_map(|(e, this)| e.decom().ok().map(|d| (d, this, e)))
            .collect();
        timeline.sort_by_key(|(d, _, _)| *d);
        let mut adopted = false;
        for (_, this, episode) in timeline {
            if adopted && this {
                flags.cell(episode.at("DECOM"));
            }
            adopted |= is_adoption(episode);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn an_adoption_with_nothing_after_it_passes() {
        let last = dataset(
            2025,
            Role::PreviousYear,
            &[&format!("{EPISODES}1,01/04/2024,S,E1,N1,A4,PR1,,,,,,\n")],
        );
        let this = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2024,S,E1,N1,A4,PR1,01/09/2025,E11,,,,\n2,01/04/2025,S,C2,N1,U4,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &this, Some(&last), None).is_empty());
        assert!(flagged(&RULE, &this, None, None).is_empty());
    }

    #[test]
    fn episodes_after_an_adoption_in_either_year_are_flagged() {
        let last = dataset(
            2025,
            Role::PreviousYear,
            &[&format!(
                "{EPISODES}1,01/04/2024,S,E1,N1,A4,PR1,01/09/2024,E12,,,,\n"
            )],
        );
        let this = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/05/2025,S,C2,N1,U4,PR1,,,,,,\n2,01/04/2025,S,E1,N1,A4,PR1,01/06/2025,E11,,,,\n2,01/07/2025,S,C2,N1,U4,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &this, Some(&last), None),
            vec![cell("Episodes", 2, "DECOM"), cell("Episodes", 4, "DECOM")]
        );
    }
}
