//! # 146 (2025/26 on): placement type code is not valid
//!
//! Checks that an episode's `PLACE`, when given, is one of the placement types from 2025/26:
//! Z11–Z14 replace Z1.
//!
//! ## Why
//! Placement type is the basis of the placement figures and of many consistency rules.
//!
//! ## Example
//! In 2025/26 `PLACE=Z11` passes; `PLACE=Z1` is flagged.

use crate::rule;
use crate::rules::ssda903::{Rule903, r146_2023};

rule! {
    /// PLACE is not a placement type of the year.
    pub const RULE: Rule903 = {
        code: "146",
        message: "Placement type code is not a valid code.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PLACE"],
        years: [2026, 2027],
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
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,Z11,PR1,,,,,,\n2,01/04/2025,S,C2,N1,,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_value_is_flagged_on_the_cell() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,Z1,PR1,,,,,,\n2,01/04/2025,S,C2,N1,Z11,PR1,,,,,,\n3,01/04/2025,S,C2,N1,,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Episodes", 2, "PLACE")]
        );
    }
}
