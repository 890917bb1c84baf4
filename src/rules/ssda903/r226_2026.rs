//! # 226: reason for placement change given for a temporary placement (2025/26 on)
//!
//! The check of [the earlier version](super::r226_2023); the DfE reworded the message to say
//! which placements it is about.
//!
//! ## Why
//! Going into or out of a temporary placement is not a placement change.
//!
//! ## Example
//! `U4 (reason CARPL)` followed by `T1` is flagged on the reason and the temporary placement.

use crate::rule;
use crate::rules::ssda903::Rule903;
use crate::rules::ssda903::r226_2023::check;

rule! {
    /// A temporary placement, or the episode before it, has a reason for placement change.
    pub const RULE: Rule903 = {
        code: "226",
        message: "Reason for placement change is not required for temporary placements.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["REASON_PLACE_CHANGE", "PLACE"],
        years: [2026, 2027],
        needs: [],
        check: check,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn the_2025_26_version_checks_the_same() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,T2,,,,,,,\n2,01/04/2025,S,C2,N1,T2,,,,OTHER,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("Episodes", 3, &["REASON_PLACE_CHANGE", "PLACE"])]
        );
    }
}
