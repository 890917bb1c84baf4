//! # 113: date matching child and adopter(s) is not a valid date
//!
//! Checks that an adoption's `DATE_MATCH`, when given, is a real date in the DfE format
//! `dd/mm/YYYY`. A blank is left to rule 151.
//!
//! ## Why
//! The match date is the end point of the adoption scorecard's matching measure.
//!
//! ## Example
//! `DATE_MATCH=01/07/2025` passes; `DATE_MATCH=2025-07-01` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The date the child was matched with adopters is not a valid date.
    pub const RULE: Rule903 = {
        code: "113",
        message: "Date matching child and adopter(s) is not a valid date.",
        severity: Error,
        tables: ["AD1"],
        fields: ["DATE_MATCH"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.ad1() {
            if is_invalid(&row.date_match(), false) {
                flags.cell(row.at("DATE_MATCH"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{AD1, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn valid_values_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{AD1}1,01/02/2022,01/05/2025,01/07/2025,0,1,F1,L0\n2,01/02/2022,01/05/2025,,0,1,F1,L0\n"
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
                "{AD1}1,01/02/2022,01/05/2025,2025-07-01,0,1,F1,L0\n2,01/02/2022,01/05/2025,01/07/2025,0,1,F1,L0\n3,01/02/2022,01/05/2025,,0,1,F1,L0\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("AD1", 2, "DATE_MATCH")]
        );
    }
}
