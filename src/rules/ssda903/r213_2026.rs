//! # 213: placement provider given for a temporary or "other" placement (2025/26 on)
//!
//! As [the earlier version](super::r213_2023), with the new "other placement" types Z11-Z14
//! (which replace Z1) added to the temporary placements T0-T4.
//!
//! ## Why
//! Neither temporary moves nor the "other" placements listed on a schedule to the DfE have a
//! placement provider in the DfE's sense.
//!
//! ## Example
//! `PLACE=Z12, PLACE_PROVIDER=` passes; `PLACE=Z12, PLACE_PROVIDER=PR4` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::r213_2023::flag_providers;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A temporary (T0-T4) or other (Z11-Z14) placement has a placement provider.
    pub const RULE: Rule903 = {
        code: "213",
        message: "Placement provider information not required.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PLACE_PROVIDER"],
        years: [2026, 2027],
        needs: [],
        check: check,
    }
}

const NO_PROVIDER: [&str; 9] = ["T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"];

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_providers(data, flags, &NO_PROVIDER);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn other_placements_without_a_provider_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,Z12,,,,,,,\n2,01/04/2025,S,C2,N1,K2,PR4,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_provider_on_an_other_or_temporary_placement_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,Z13,PR4,,,,,,\n2,01/04/2025,S,C2,N1,T0,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cells("Episodes", 2, &["PLACE_PROVIDER", "PLACE"]),
                cells("Episodes", 3, &["PLACE_PROVIDER", "PLACE"])
            ]
        );
    }
}
