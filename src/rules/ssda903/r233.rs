//! # 233: reason for placement change on an episode that has not ended
//!
//! Flags an episode with a reason for placement change but no end date.
//!
//! ## Why
//! The reason is recorded on the episode that ends with the placement change; an open episode
//! has not changed placement yet. (The reference validator reads a column that does not exist and
//! never runs this rule: `spec/oracle-defects.md` A3.)
//!
//! ## Example
//! `DEC=01/06/2025, REASON_PLACE_CHANGE=CARPL` passes; `DEC=, REASON_PLACE_CHANGE=CARPL` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An open episode has a reason for placement change.
    pub const RULE: Rule903 = {
        code: "233",
        message: "Reason for placement change is not required when the episode has not ceased.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["REASON_PLACE_CHANGE"],
        years: [2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for episode in child.episodes() {
            if episode.dec().is_blank() && episode.reason_place_change().is_present() {
                flags.cells([episode.at("REASON_PLACE_CHANGE"), episode.at("DEC")]);
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
    fn reasons_on_ended_episodes_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,U4,PR1,01/06/2025,X1,CARPL,,,\n1,01/06/2025,P,C2,N1,U4,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_reason_on_an_open_episode_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,U4,PR1,01/06/2025,X1,CARPL,,,\n1,01/06/2025,P,C2,N1,U4,PR1,,,CHILD,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("Episodes", 3, &["REASON_PLACE_CHANGE", "DEC"])]
        );
    }
}
