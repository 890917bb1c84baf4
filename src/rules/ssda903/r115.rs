//! # 115: date of the decision to place for adoption is not a valid date
//!
//! Checks that `DATE_PLACED` (the LA's decision that the child should be placed for adoption),
//! when given, is a real date in the DfE format `dd/mm/YYYY`.
//!
//! ## Why
//! The decision date starts the adoption timeline and is compared with the child's care history
//! (rules 117, 184, 1003).
//!
//! ## Example
//! `DATE_PLACED=01/05/2025` passes; `DATE_PLACED=00/05/2025` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The date of the decision to place for adoption is not a valid date.
    pub const RULE: Rule903 = {
        code: "115",
        message: "Date of Local Authority's (LA) decision that a child should be placed for adoption is not a valid date.",
        severity: Error,
        tables: ["PlacedAdoption"],
        fields: ["DATE_PLACED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.placed_adoptions() {
            if is_invalid(&row.date_placed(), false) {
                flags.cell(row.at("DATE_PLACED"));
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
                "{PLACED_ADOPTION}1,01/02/2022,01/05/2025,,\n2,01/02/2022,,,\n"
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
                "{PLACED_ADOPTION}1,01/02/2022,00/05/2025,,\n2,01/02/2022,01/05/2025,,\n3,01/02/2022,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("PlacedAdoption", 2, "DATE_PLACED")]
        );
    }
}
