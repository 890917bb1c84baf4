//! # 120: reason for the reversal of the adoption decision is not valid
//!
//! Checks that `REASON_PLACED_CEASED`, when given, is one of the year's codes (RD1 to RD4). A
//! missing reason for a reversed decision is rule 119.
//!
//! ## Why
//! The reasons adoption plans change are published nationally and inform adoption policy.
//!
//! ## Example
//! `REASON_PLACED_CEASED=RD1` passes; `RD5` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// REASON_PLACED_CEASED is not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "120",
        message: "The reason for the reversal of the decision that the child should be placed for adoption code is not valid.",
        severity: Error,
        tables: ["PlacedAdoption"],
        fields: ["REASON_PLACED_CEASED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.placed_adoptions() {
            if is_invalid(&row.reason_placed_ceased(), false) {
                flags.cell(row.at("REASON_PLACED_CEASED"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{PLACED_ADOPTION, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn valid_values_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{PLACED_ADOPTION}1,01/02/2022,01/05/2025,,RD1\n2,01/02/2022,01/05/2025,,\n"
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
                "{PLACED_ADOPTION}1,01/02/2022,01/05/2025,,RD5\n2,01/02/2022,01/05/2025,,RD1\n3,01/02/2022,01/05/2025,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("PlacedAdoption", 2, "REASON_PLACED_CEASED")]
        );
    }
}
