//! # 222: URN recorded for a placement type that has none (2024/25)
//!
//! As [the 2022/23 version](super::r222_2023), with this year's list of placement types that
//! are not Ofsted-registered: P2 (independent living) is withdrawn and K3 (registered supported accommodation) replaces H5.
//!
//! ## Why
//! P2 and H5 are withdrawn placement codes from 2024/25; K3 placements are Ofsted-registered.
//!
//! ## Example
//! `PLACE=R2, URN=1234567` is flagged on the URN; `PLACE=K2, URN=1234567` passes.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::r222_2023::flag_urns;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A placement type without an Ofsted registration (2024/25 list) has a URN.
    pub const RULE: Rule903 = {
        code: "222",
        message: "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["URN"],
        years: [2025],
        needs: [],
        check: check,
    }
}

const NO_URN: [&str; 11] = [
    "P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1",
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
            2025,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2024,S,C2,N1,K2,PR4,,,,,,1234567\n2,01/04/2024,S,C2,N1,R2,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_urn_on_an_unregistered_placement_is_flagged() {
        let data = dataset(
            2025,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2024,S,C2,N1,R2,PR1,,,,,,1234567\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("Episodes", 2, &["URN", "PLACE"])]
        );
    }
}
