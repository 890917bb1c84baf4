//! # 133: data entry for accommodation after leaving care is invalid
//!
//! Checks that a care leaver's `ACCOM` is present and one of the year's codes: an accommodation
//! letter with a suitability digit (S1 and X1 are not valid), or 0.
//!
//! ## Why
//! Care leavers in suitable accommodation is a headline care-leaver measure.
//!
//! ## Example
//! `ACCOM=Z1` passes; `ACCOM=S1` and a blank are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// ACCOM is missing or not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "133",
        message: "Data entry for accommodation after leaving care is invalid. If reporting on a childs accommodation after leaving care the data entry must be valid",
        severity: Error,
        tables: ["OC3"],
        fields: ["ACCOM"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc3() {
            if is_invalid(&row.accom(), true) {
                flags.cell(row.at("ACCOM"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{OC3, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn valid_values_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC3}1,01/02/2007,YES,F1,Z1\n")],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_value_and_blank_are_flagged_on_the_cell() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC3}1,01/02/2007,YES,F1,S1\n2,01/02/2007,YES,F1,Z1\n3,01/02/2007,YES,F1,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("OC3", 2, "ACCOM"), cell("OC3", 4, "ACCOM")]
        );
    }
}
