//! # 214: placement location given for a short break
//!
//! Flags an episode of short breaks (legal status V3 or V4) that has a placement postcode or an
//! Ofsted URN.
//!
//! ## Why
//! Short breaks are recorded as a series or an agreement, not as a placement at one address, so
//! the DfE collects no placement location for them (and derives no distance or LA from it).
//!
//! ## Example
//! `LS=V3, PL_POST=, URN=` passes; `LS=V3, PL_POST=M1 1AE` is flagged on the postcode.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A short-break episode (V3, V4) has a placement postcode or URN.
    pub const RULE: Rule903 = {
        code: "214",
        message: "Placement location information not required.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PL_POST", "URN"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for episode in child.episodes() {
            if !episode.ls().is_in(&["V3", "V4"]) {
                continue;
            }
            let present = [
                ("PL_POST", episode.pl_post().is_present()),
                ("URN", episode.urn().is_present()),
            ];
            if present.iter().any(|(_, p)| *p) {
                flags.cells(
                    present
                        .iter()
                        .filter(|(_, p)| *p)
                        .map(|(column, _)| episode.at(column))
                        .chain([episode.at("LS")]),
                );
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
    fn short_breaks_without_a_location_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,V3,N1,K2,PR1,02/04/2025,E8,,,,\n2,01/04/2025,S,C2,N1,U4,PR1,,,,M1 1AE,M1 1AE,1234567\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_postcode_or_urn_on_a_short_break_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,V3,N1,K2,PR1,02/04/2025,E8,,,M1 1AE,\n2,01/04/2025,S,V4,N1,K2,PR1,,,,,M1 1AE,1234567\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cells("Episodes", 2, &["PL_POST", "LS"]),
                cells("Episodes", 3, &["PL_POST", "URN", "LS"])
            ]
        );
    }
}
