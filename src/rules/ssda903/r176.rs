//! # 176: gender of adopter(s) code is not valid
//!
//! Checks that `SEX_ADOPTR`, when given, is one of M1, F1, MM, FF, MF. A blank is left to rule 151.
//!
//! ## Why
//! Adopter characteristics are published nationally.
//!
//! ## Example
//! `SEX_ADOPTR=MF` passes; `SEX_ADOPTR=FM` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// SEX_ADOPTR is not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "176",
        message: "The gender of adopter(s) at the date of adoption code is not a valid code.",
        severity: Error,
        tables: ["AD1"],
        fields: ["SEX_ADOPTR"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.ad1() {
            if is_invalid(&row.sex_adoptr(), false) {
                flags.cell(row.at("SEX_ADOPTR"));
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
                "{AD1}1,01/02/2022,01/05/2025,01/07/2025,0,1,MF,L0\n2,01/02/2022,01/05/2025,01/07/2025,0,1,,L0\n"
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
                "{AD1}1,01/02/2022,01/05/2025,01/07/2025,0,1,FM,L0\n2,01/02/2022,01/05/2025,01/07/2025,0,1,MF,L0\n3,01/02/2022,01/05/2025,01/07/2025,0,1,,L0\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("AD1", 2, "SEX_ADOPTR")]
        );
    }
}
