//! # 132: data entry for activity after leaving care is invalid
//!
//! Checks that a care leaver's `ACTIV` is present and one of the year's codes (F1, P1, F2, P2, F4,
//! P4, F5, P5, G4, G5, G6, 0). F3/P3, the pre-2019 codes, are not valid.
//!
//! ## Why
//! Care leavers in education, employment or training is a headline care-leaver measure.
//!
//! ## Example
//! `ACTIV=G4` passes; `ACTIV=F3` and a blank are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// ACTIV is missing or not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "132",
        message: "Data entry for activity after leaving care is invalid.",
        severity: Error,
        tables: ["OC3"],
        fields: ["ACTIV"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc3() {
            if is_invalid(&row.activ(), true) {
                flags.cell(row.at("ACTIV"));
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
            &[&format!("{OC3}1,01/02/2007,YES,G4,B1\n")],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_value_and_blank_are_flagged_on_the_cell() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC3}1,01/02/2007,YES,F3,B1\n2,01/02/2007,YES,G4,B1\n3,01/02/2007,YES,,B1\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("OC3", 2, "ACTIV"), cell("OC3", 4, "ACTIV")]
        );
    }
}
