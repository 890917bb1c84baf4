//! # 225: reason for placement change missing
//!
//! Flags an episode that ends with a change of placement but has no reason for placement
//! change: it ends with X1 (a new episode starts the same day), it is not a temporary placement
//! (T0-T4), and the next episode is a change of placement (RNE P, B, T or U) to a placement that is
//! not temporary either.
//!
//! ## Why
//! Placement stability is a headline measure and the reason for each move is collected with it;
//! moves into and out of temporary placements are not placement changes.
//!
//! ## Example
//! `U4 … X1, REASON_PLACE_CHANGE=CARPL` then `P U5` passes; the same with the reason blank is
//! flagged on the missing reason.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::TEMPORARY;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A placement change (X1 then P/B/T/U, neither temporary) has no reason.
    pub const RULE: Rule903 = {
        code: "225",
        message: "Reason for placement change must be recorded.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["REASON_PLACE_CHANGE"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        let episodes = child.episodes();
        for pair in episodes.windows(2) {
            let (episode, next) = (&pair[0], &pair[1]);
            if next.decom().ok().is_none() {
                continue;
            }
            let is_placement = |place: crate::table::Val<&str>| {
                place.ok().is_some_and(|p| !TEMPORARY.contains(&p))
            };
            if episode.rec().is("X1")
                && episode.reason_place_change().is_blank()
                && is_placement(episode.place())
                && next.rne().is_in(&["P", "B", "T", "U"])
                && is_placement(next.place())
            {
                flags.cell(episode.at("REASON_PLACE_CHANGE"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn recorded_reasons_and_temporary_moves_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,U4,PR1,01/06/2025,X1,CARPL,,,\n1,01/06/2025,P,C2,N1,U5,PR1,,,,,,\n\
                 2,01/04/2025,S,C2,N1,U4,PR1,01/06/2025,X1,,,,\n2,01/06/2025,T,C2,N1,T1,,05/06/2025,X1,,,,\n\
                 2,05/06/2025,T,C2,N1,U4,PR1,01/07/2025,X1,,,,\n2,01/07/2025,L,C1,N1,U4,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_placement_change_without_a_reason_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/06/2025,P,C2,N1,U5,PR1,,,,,,\n1,01/04/2025,S,C2,N1,U4,PR1,01/06/2025,X1,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Episodes", 3, "REASON_PLACE_CHANGE")]
        );
    }
}
