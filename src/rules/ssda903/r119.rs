//! # 119: reversal of an adoption decision needs both its date and its reason
//!
//! Checks that `DATE_PLACED_CEASED` and `REASON_PLACED_CEASED` are both given or both blank on
//! every PlacedAdoption row. Anything entered counts as given, valid or not (rules 116 and 120
//! check validity).
//!
//! ## Why
//! A reversal is counted by date and published by reason; half of it cannot be used.
//!
//! ## Example
//! `DATE_PLACED_CEASED=01/08/2025, REASON_PLACED_CEASED=RD1` passes, as do two blanks; a date
//! without a reason (or a reason without a date) is flagged on both cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A reversal of the adoption decision has a date without a reason, or a reason without a date.
    pub const RULE: Rule903 = {
        code: "119",
        message: "If the decision is made that a child should no longer be placed for adoption, then the date of this decision and the reason why this decision was made must be completed.",
        severity: Error,
        tables: ["PlacedAdoption"],
        fields: ["REASON_PLACED_CEASED", "DATE_PLACED_CEASED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.placed_adoptions() {
            if row.date_placed_ceased().is_present() != row.reason_placed_ceased().is_present() {
                flags.cells([row.at("REASON_PLACED_CEASED"), row.at("DATE_PLACED_CEASED")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{PLACED_ADOPTION, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn both_or_neither_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{PLACED_ADOPTION}1,01/02/2022,01/05/2025,01/08/2025,RD1\n2,01/02/2022,01/05/2025,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn one_without_the_other_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{PLACED_ADOPTION}1,01/02/2022,01/05/2025,01/08/2025,\n2,01/02/2022,01/05/2025,,RD2\n"
            )],
        );
        let both = ["REASON_PLACED_CEASED", "DATE_PLACED_CEASED"];
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cells("PlacedAdoption", 2, &both),
                cells("PlacedAdoption", 3, &both)
            ]
        );
    }
}
