//! # 222: URN recorded for a placement type that has none (2022/23)
//!
//! Flags an episode with an Ofsted URN (other than the regional adoption agency sentinel
//! `XXXXXXX`) whose placement type is not Ofsted-registered: H5, P1, P2, P3, R1, R2, R5, T0-T4
//! or Z1. Later versions follow the changes to the placement codes.
//!
//! ## Why
//! Placements with parents, in independent living, in residential employment, in NHS care, in
//! youth custody, temporary moves and "other" placements are not with an Ofsted-registered
//! provider, so any URN on them is a keying error.
//!
//! ## Example
//! `PLACE=P1, URN=` passes; `PLACE=R1, URN=1234567` is flagged on the URN.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::ofsted_urn;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A placement type without an Ofsted registration (2022/23 list) has a URN.
    pub const RULE: Rule903 = {
        code: "222",
        message: "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["URN"],
        years: [2023],
        needs: [],
        check: check,
    }
}

const NO_URN: [&str; 13] = [
    "H5", "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1",
];

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_urns(data, flags, &NO_URN);
}

/// Flags every episode whose PLACE is one of `places` and that has an Ofsted URN.
pub(super) fn flag_urns(data: &Ssda903<'_>, flags: &mut Flags, places: &[&str]) {
    for child in data.children() {
        for episode in child.episodes() {
            if episode.place().is_in(places) && ofsted_urn(&episode).is_some() {
                flags.cells([episode.at("URN"), episode.at("PLACE")]);
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
    fn registered_placements_and_the_raa_sentinel_pass() {
        let data = dataset(
            2023,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2022,S,C2,N1,K2,PR4,,,,,,1234567\n2,01/04/2022,S,C2,N1,P1,PR0,,,,,,XXXXXXX\n3,01/04/2022,S,C2,N1,H5,PR4,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_urn_on_an_unregistered_placement_is_flagged() {
        let data = dataset(
            2023,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2022,S,C2,N1,H5,PR4,,,,,,1234567\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("Episodes", 2, &["URN", "PLACE"])]
        );
    }
}
