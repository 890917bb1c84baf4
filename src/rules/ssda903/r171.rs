//! # 171: date of birth of mother's child is not a valid date
//!
//! Checks that `MC_DOB`, when given, is a real date in the DfE format `dd/mm/YYYY`.
//!
//! ## Why
//! Looked-after mothers and their children are counted from MOTHER and MC_DOB.
//!
//! ## Example
//! `MC_DOB=01/01/2024` passes; `MC_DOB=2024` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// MC_DOB is not a valid date.
    pub const RULE: Rule903 = {
        code: "171",
        message: "Date of birth of mother's child is not a valid date.",
        severity: Error,
        tables: ["Header"],
        fields: ["MC_DOB"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.headers() {
            if is_invalid(&row.mc_dob(), false) {
                flags.cell(row.at("MC_DOB"));
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
            &[&format!(
                "{HEADER}1,M,01/02/2015,WBRI,UN1,,01/01/2024\n2,M,01/02/2015,WBRI,UN1,,\n"
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
                "{HEADER}1,M,01/02/2015,WBRI,UN1,,2024\n2,M,01/02/2015,WBRI,UN1,,01/01/2024\n3,M,01/02/2015,WBRI,UN1,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Header", 2, "MC_DOB")]
        );
    }
}
