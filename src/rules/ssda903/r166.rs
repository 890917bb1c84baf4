//! # 166: date of review is invalid or blank
//!
//! Checks that every review row has a `REVIEW` date, and that it is a real date in the DfE format
//! `dd/mm/YYYY`.
//!
//! ## Why
//! Reviews must be held on time (within 20 working days of entering care, then every six months);
//! an undated review cannot be checked.
//!
//! ## Example
//! `REVIEW=01/06/2025` passes; `REVIEW=30/02/2025` and a blank are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The review date is missing or not a valid date.
    pub const RULE: Rule903 = {
        code: "166",
        message: "Date of review is invalid or blank.",
        severity: Error,
        tables: ["Reviews"],
        fields: ["REVIEW"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.reviews() {
            if is_invalid(&row.review(), true) {
                flags.cell(row.at("REVIEW"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{REVIEWS, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn valid_values_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{REVIEWS}1,01/02/2015,01/06/2025,PN1\n")],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_value_and_blank_are_flagged_on_the_cell() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{REVIEWS}1,01/02/2015,30/02/2025,PN1\n2,01/02/2015,01/06/2025,PN1\n3,01/02/2015,,PN1\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Reviews", 2, "REVIEW"), cell("Reviews", 4, "REVIEW")]
        );
    }
}
