//! # 146 (2022/23–2023/24): placement type code is not valid
//!
//! Checks that an episode's `PLACE`, when given, is one of the year's placement types. In
//! 2022/23 and 2023/24: A3–A6, H5, K1, K2, P1–P3, R1–R3, R5, S1, T0–T4, U1–U6, Z1.
//!
//! ## Why
//! Placement type is the basis of the placement figures (foster care, children's homes,
//! placed with parents) and of many consistency rules.
//!
//! ## Example
//! In 2023/24 `PLACE=H5` passes; `PLACE=K3` (from 2024/25) is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// PLACE is not a placement type of the year.
    pub const RULE: Rule903 = {
        code: "146",
        message: "Placement type code is not a valid code.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PLACE"],
        years: [2023, 2024],
        needs: [],
        check: check,
    }
}

/// Shared with the later versions: the year's schema holds the code list.
pub(super) fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.episodes() {
            if is_invalid(&row.place(), false) {
                flags.cell(row.at("PLACE"));
            }
        }
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
            2024,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,H5,PR1,,,,,,\n2,01/04/2025,S,C2,N1,,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_value_is_flagged_on_the_cell() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,K3,PR1,,,,,,\n2,01/04/2025,S,C2,N1,H5,PR1,,,,,,\n3,01/04/2025,S,C2,N1,,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Episodes", 2, "PLACE")]
        );
    }
}
