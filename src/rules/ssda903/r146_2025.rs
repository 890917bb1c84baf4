//! # 146 (2024/25): placement type code is not valid
//!
//! Checks that an episode's `PLACE`, when given, is one of the 2024/25 placement types: K3
//! (registered supported accommodation) is added, H5 and P2 are withdrawn.
//!
//! The reference validator's 2024/25 list adds a lower-case `k3` to the old list, so it flags
//! every K3 and accepts H5 and P2; the DfE's own 2024/25 rules (218, 221, 222, 503D) treat K3
//! as valid and H5/P2 as withdrawn, and so does this rule (`tests/oracle/divergences.md`).
//!
//! ## Why
//! Placement type is the basis of the placement figures and of many consistency rules.
//!
//! ## Example
//! In 2024/25 `PLACE=K3` passes; `PLACE=H5` is flagged.

use crate::rule;
use crate::rules::ssda903::{Rule903, r146_2023};

rule! {
    /// PLACE is not a placement type of 2024/25.
    pub const RULE: Rule903 = {
        code: "146",
        message: "Placement type code is not a valid code.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PLACE"],
        years: [2025],
        needs: [],
        check: r146_2023::check,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn valid_values_pass() {
        let data = dataset(
            2025,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,K3,PR1,,,,,,\n2,01/04/2025,S,C2,N1,,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_value_is_flagged_on_the_cell() {
        let data = dataset(
            2025,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,H5,PR1,,,,,,\n2,01/04/2025,S,C2,N1,K3,PR1,,,,,,\n3,01/04/2025,S,C2,N1,,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Episodes", 2, "PLACE")]
        );
    }
}
