//! # 102: date of birth is not a valid date
//!
//! Checks that every child's `DOB` is present and a real date in the DfE format `dd/mm/YYYY`.
//!
//! ## Why
//! Every age-based rule and figure (SDQ cohorts, care leavers, UPN age checks) starts from the
//! date of birth; a child without one cannot be placed in any age group.
//!
//! ## Example
//! `DOB=01/02/2015` passes; `DOB=31/02/2015` (no such day) and a blank `DOB` are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The child's date of birth is missing or not a valid date.
    pub const RULE: Rule903 = {
        code: "102",
        message: "Date of birth is not a valid date.",
        severity: Error,
        tables: ["Header"],
        fields: ["DOB"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.headers() {
            if is_invalid(&row.dob(), true) {
                flags.cell(row.at("DOB"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{HEADER, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn valid_values_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{HEADER}1,M,01/02/2015,WBRI,UN1,,\n")],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_value_and_blank_are_flagged_on_the_cell() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,M,31/02/2015,WBRI,UN1,,\n2,M,01/02/2015,WBRI,UN1,,\n3,M,,WBRI,UN1,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Header", 2, "DOB"), cell("Header", 4, "DOB")]
        );
    }
}
