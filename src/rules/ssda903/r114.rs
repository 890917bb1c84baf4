//! # 114: status of former carer(s) of an adopted child is invalid
//!
//! Checks that `FOSTER_CARE` (adopted by the child's former foster carers), when given, is `0` or
//! `1`. A blank is left to rule 151.
//!
//! ## Why
//! Foster-carer adoptions are reported separately in the national adoption statistics.
//!
//! ## Example
//! `FOSTER_CARE=1` passes; `FOSTER_CARE=2` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// FOSTER_CARE is not 0 or 1.
    pub const RULE: Rule903 = {
        code: "114",
        message: "Data entry to record the status of former carer(s) of an adopted child is invalid.",
        severity: Error,
        tables: ["AD1"],
        fields: ["FOSTER_CARE"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.ad1() {
            if is_invalid(&row.foster_care(), false) {
                flags.cell(row.at("FOSTER_CARE"));
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
                "{AD1}1,01/02/2022,01/05/2025,01/07/2025,1,1,F1,L0\n2,01/02/2022,01/05/2025,01/07/2025,,1,F1,L0\n"
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
                "{AD1}1,01/02/2022,01/05/2025,01/07/2025,2,1,F1,L0\n2,01/02/2022,01/05/2025,01/07/2025,1,1,F1,L0\n3,01/02/2022,01/05/2025,01/07/2025,,1,F1,L0\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("AD1", 2, "FOSTER_CARE")]
        );
    }
}
