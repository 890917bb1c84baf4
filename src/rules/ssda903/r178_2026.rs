//! # 178 (2025/26 on): placement provider code is not valid
//!
//! The check of the 2022/23 version with the 2025/26 placement types: no provider for temporary
//! placements (T0–T4) and the "other placement" types Z11–Z14 that replace Z1.
//!
//! The reference validator's 2025/26 list leaves out T4 (so a T4 placement with a provider
//! passes), while rule 213 of the same year includes it. Both rules express the DfE's one
//! definition of a placement without a provider, so T4 is included here
//! (`tests/oracle/divergences.md`).
//!
//! ## Why
//! Provider type drives the sufficiency and cost figures; a temporary placement keeps the
//! provider of the placement it interrupts.
//!
//! ## Example
//! `PLACE=Z11` with no provider passes; `PLACE=Z12, PLACE_PROVIDER=PR1` and
//! `PLACE=T4, PLACE_PROVIDER=PR1` are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903, r178_2023};

rule! {
    /// PLACE_PROVIDER is not a valid code, or is given for a placement without a provider.
    pub const RULE: Rule903 = {
        code: "178",
        message: "Placement provider code is not a valid code.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PLACE_PROVIDER"],
        years: [2026, 2027],
        needs: [],
        check: check,
    }
}

const WITHOUT_PROVIDER: [&str; 9] = ["T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"];

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    r178_2023::flag_providers(data, flags, &WITHOUT_PROVIDER);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn providers_of_ordinary_placements_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n2,01/04/2025,S,C2,N1,Z11,,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn providers_of_other_and_temporary_placements_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,Z12,PR1,,,,,,\n2,01/04/2025,S,C2,N1,T4,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cell("Episodes", 2, "PLACE_PROVIDER"),
                cell("Episodes", 3, "PLACE_PROVIDER")
            ]
        );
    }
}
