//! # 222: URN recorded for a placement type that has none (2023/24)
//!
//! As [the 2022/23 version](super::r222_2023), with this year's list of placement types that
//! are not Ofsted-registered: H5 (semi-independent living) is dropped, since from 28 October 2023 such placements are Ofsted-registered.
//!
//! ## Why
//! Supported accommodation became Ofsted-registered in 2023, so H5 placements may now carry a URN.
//!
//! ## Example
//! `PLACE=P2, URN=1234567` is flagged on the URN; `PLACE=K2, URN=1234567` passes.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::r222_2023::flag_urns;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A placement type without an Ofsted registration (2023/24 list) has a URN.
    pub const RULE: Rule903 = {
        code: "222",
        message: "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["URN"],
        years: [2024],
        needs: [],
        check: check,
    }
}

const NO_URN: [&str; 12] = [
    "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1",
];

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_urns(data, flags, &NO_URN);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn registered_placements_pass() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2023,S,C2,N1,K2,PR4,,,,,,1234567\n2,01/04/2023,S,C2,N1,P2,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_urn_on_an_unregistered_placement_is_flagged() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2023,S,C2,N1,P2,PR1,,,,,,1234567\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("Episodes", 2, &["URN", "PLACE"])]
        );
    }
}
