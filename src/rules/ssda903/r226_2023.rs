//! # 226: reason for placement change given for a temporary placement (2022/23 to 2024/25)
//!
//! Flags a temporary placement (T0-T4) when it, or the episode before it, has a reason for
//! placement change.
//!
//! ## Why
//! The reason for placement change is recorded on the episode that ends with a change of
//! placement. Going into or coming out of a temporary placement (a hospital stay, a holiday) is
//! not a placement change, so neither the temporary episode nor the one it interrupts should
//! carry a reason.
//!
//! ## Example
//! Episodes `U4 (reason blank), T1 (reason blank)` pass; `U4 (reason CARPL), T1` is flagged on the
//! temporary placement (with its own reason, when it has one): the finding is about the temporary
//! episode, whichever of the two carries the reason.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::TEMPORARY;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A temporary placement, or the episode before it, has a reason for placement change.
    pub const RULE: Rule903 = {
        code: "226",
        message: "Reason for placement change is not required.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["REASON_PLACE_CHANGE", "PLACE"],
        years: [2023, 2024, 2025],
        needs: [],
        check: check,
    }
}

/// Shared with the 2025/26 version, whose message alone changed.
pub(super) fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        let episodes = child.episodes();
        for (i, episode) in episodes.iter().enumerate() {
            if !episode.place().is_in(&TEMPORARY) {
                continue;
            }
            let before = i
                .checked_sub(1)
                .is_some_and(|b| episodes[b].reason_place_change().is_present());
            if episode.reason_place_change().is_present() {
                flags.cells([episode.at("REASON_PLACE_CHANGE"), episode.at("PLACE")]);
            } else if before {
                flags.cell(episode.at("PLACE"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn temporary_placements_without_reasons_pass() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2023,S,C2,N1,U4,PR1,01/06/2023,X1,,,,\n1,01/06/2023,T,C2,N1,T1,,05/06/2023,X1,,,,\n1,05/06/2023,T,C2,N1,U4,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_reason_on_or_before_a_temporary_placement_is_flagged() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2023,S,C2,N1,U4,PR1,01/06/2023,X1,CARPL,,,\n1,01/06/2023,T,C2,N1,T1,,05/06/2023,X1,CHILD,,,\n2,01/04/2023,S,C2,N1,T3,,,,CARPL,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cells("Episodes", 3, &["REASON_PLACE_CHANGE", "PLACE"]),
                cells("Episodes", 4, &["REASON_PLACE_CHANGE", "PLACE"])
            ]
        );
    }
}
