//! # 177: legal status of adopter(s) code is not valid
//!
//! Checks that `LS_ADOPTR`, when given, is one of L0, L11, L12, L2, L3, L4. A blank is left to
//! rule 151.
//!
//! ## Why
//! Adopter characteristics are published nationally.
//!
//! ## Example
//! `LS_ADOPTR=L12` passes; `LS_ADOPTR=L5` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// LS_ADOPTR is not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "177",
        message: "The legal status of adopter(s) code is not a valid code.",
        severity: Error,
        tables: ["AD1"],
        fields: ["LS_ADOPTR"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.ad1() {
            if is_invalid(&row.ls_adoptr(), false) {
                flags.cell(row.at("LS_ADOPTR"));
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
                "{AD1}1,01/02/2022,01/05/2025,01/07/2025,0,1,F1,L12\n2,01/02/2022,01/05/2025,01/07/2025,0,1,F1,\n"
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
                "{AD1}1,01/02/2022,01/05/2025,01/07/2025,0,1,F1,L5\n2,01/02/2022,01/05/2025,01/07/2025,0,1,F1,L12\n3,01/02/2022,01/05/2025,01/07/2025,0,1,F1,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("AD1", 2, "LS_ADOPTR")]
        );
    }
}
