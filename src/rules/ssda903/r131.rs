//! # 131: data entry for being in touch after leaving care is invalid
//!
//! Checks that a care leaver's `IN_TOUCH` is present and one of the year's codes (YES, NO, DIED,
//! REFU, NREQ, RHOM).
//!
//! ## Why
//! Whether the LA is in touch with its care leavers is a headline care-leaver measure; an OC3
//! row without it says nothing.
//!
//! ## Example
//! `IN_TOUCH=NO` passes; `IN_TOUCH=MAYBE` and a blank are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// IN_TOUCH is missing or not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "131",
        message: "Data entry for being in touch after leaving care is invalid.",
        severity: Error,
        tables: ["OC3"],
        fields: ["IN_TOUCH"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc3() {
            if is_invalid(&row.in_touch(), true) {
                flags.cell(row.at("IN_TOUCH"));
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
            &[&format!("{OC3}1,01/02/2007,NO,F1,B1\n")],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_value_and_blank_are_flagged_on_the_cell() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC3}1,01/02/2007,MAYBE,F1,B1\n2,01/02/2007,NO,F1,B1\n3,01/02/2007,,F1,B1\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("OC3", 2, "IN_TOUCH"), cell("OC3", 4, "IN_TOUCH")]
        );
    }
}
