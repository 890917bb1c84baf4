//! # 116: date of the decision no longer to place for adoption is not a valid date
//!
//! Checks that `DATE_PLACED_CEASED` (the LA's decision that the child should no longer be placed
//! for adoption), when given, is a real date in the DfE format `dd/mm/YYYY`.
//!
//! ## Why
//! A reversed adoption decision is counted in the year it was made; rules 117 to 119 compare it
//! with the collection year and the care history.
//!
//! ## Example
//! `DATE_PLACED_CEASED=01/08/2025` passes; `DATE_PLACED_CEASED=01/13/2025` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The date of the decision no longer to place for adoption is not a valid date.
    pub const RULE: Rule903 = {
        code: "116",
        message: "Date of Local Authority's (LA) decision that a child should no longer be placed for adoption is not a valid date.",
        severity: Error,
        tables: ["PlacedAdoption"],
        fields: ["DATE_PLACED_CEASED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.placed_adoptions() {
            if is_invalid(&row.date_placed_ceased(), false) {
                flags.cell(row.at("DATE_PLACED_CEASED"));
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
                "{PLACED_ADOPTION}1,01/02/2022,01/05/2025,01/08/2025,\n2,01/02/2022,01/05/2025,,\n"
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
                "{PLACED_ADOPTION}1,01/02/2022,01/05/2025,01/13/2025,\n2,01/02/2022,01/05/2025,01/08/2025,\n3,01/02/2022,01/05/2025,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("PlacedAdoption", 2, "DATE_PLACED_CEASED")]
        );
    }
}
