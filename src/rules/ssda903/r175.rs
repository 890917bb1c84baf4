//! # 175: number of adopter(s) code is not valid
//!
//! Checks that `NB_ADOPTR`, when given, is 1 or 2. A blank is left to rule 151.
//!
//! ## Why
//! Adoptions by single adopters and by couples are published separately.
//!
//! ## Example
//! `NB_ADOPTR=2` passes; `NB_ADOPTR=3` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// NB_ADOPTR is not 1 or 2.
    pub const RULE: Rule903 = {
        code: "175",
        message: "The number of adopter(s) code is not a valid code.",
        severity: Error,
        tables: ["AD1"],
        fields: ["NB_ADOPTR"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.ad1() {
            if is_invalid(&row.nb_adoptr(), false) {
                flags.cell(row.at("NB_ADOPTR"));
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
                "{AD1}1,01/02/2022,01/05/2025,01/07/2025,0,2,F1,L0\n2,01/02/2022,01/05/2025,01/07/2025,0,,F1,L0\n"
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
                "{AD1}1,01/02/2022,01/05/2025,01/07/2025,0,3,F1,L0\n2,01/02/2022,01/05/2025,01/07/2025,0,2,F1,L0\n3,01/02/2022,01/05/2025,01/07/2025,0,,F1,L0\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("AD1", 2, "NB_ADOPTR")]
        );
    }
}
