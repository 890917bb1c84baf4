//! # 142: a new episode started but the previous one has not ended
//!
//! Checks that every episode of a child except the latest (by `DECOM`) has both an end date
//! (`DEC`) and a reason for ending (`REC`). Episodes whose DECOM could not be read are left to
//! rule 141 and take no part. An entered DEC ends the episode even when it is not a valid date
//! (rule 147 reports that); the reference validator counts such an episode as not ended
//! (`tests/oracle/divergences.md`).
//!
//! ## Why
//! Episodes of one child follow one another; only the latest can still be open at 31 March. An
//! earlier open episode means an end was not recorded, and every duration and count of children
//! in care on a date would be wrong.
//!
//! ## Example
//! Episodes starting 01/01/2024 (`DEC=01/06/2025, REC=X1`) and 01/06/2025 (open) pass; if the
//! first had no DEC it would be flagged on `DEC` and `REC`.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::latest_episode;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An episode other than the child's latest has no end date or no reason for ending.
    pub const RULE: Rule903 = {
        code: "142",
        message: "A new episode has started, but the previous episode has not ended.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["DEC", "REC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        let episodes = child.episodes();
        let Some(latest) = latest_episode(episodes.iter().copied()) else {
            continue;
        };
        for episode in episodes {
            if episode.row() == latest.row() || episode.decom().ok().is_none() {
                continue;
            }
            if episode.dec().is_blank() || episode.rec().is_blank() {
                flags.cells([episode.at("DEC"), episode.at("REC")]);
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
    fn only_the_latest_episode_open_passes() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/06/2025,P,C2,N1,U3,PR1,,,,,,\n1,01/01/2024,S,C2,N1,U1,PR1,01/06/2025,X1,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn an_earlier_open_or_reasonless_episode_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/01/2024,S,C2,N1,U1,PR1,,,,,,\n1,01/06/2025,P,C2,N1,U3,PR1,01/07/2025,,,,,\n1,01/08/2025,P,C2,N1,U3,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cells("Episodes", 2, &["DEC", "REC"]),
                cells("Episodes", 3, &["DEC", "REC"])
            ]
        );
    }
}
