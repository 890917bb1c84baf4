//! # 153: care-leaver items must all be given or all be blank
//!
//! Checks that an OC3 row has all of `IN_TOUCH`, `ACTIV` and `ACCOM`, or none. A partial row is
//! flagged on its blank items.
//!
//! ## Why
//! The three care-leaver measures (in touch, in education or work, suitably accommodated) are
//! published together for the same young people; a partial row distorts them.
//!
//! ## Example
//! `IN_TOUCH=YES, ACTIV=F1, ACCOM=B1` passes; `IN_TOUCH=YES` with `ACTIV` and `ACCOM` blank is
//! flagged on those two.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{flag_partly_given, oc3_items_given};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// Some care-leaver items are given and others are blank.
    pub const RULE: Rule903 = {
        code: "153",
        message: "All data items relating to a child's activity or accommodation after leaving care must be coded or left blank.",
        severity: Error,
        tables: ["OC3"],
        fields: ["IN_TOUCH", "ACTIV", "ACCOM"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc3() {
            flag_partly_given(flags, &oc3_items_given(&row), |c| row.at(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{OC3, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn complete_and_empty_rows_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC3}1,01/02/2007,YES,F1,B1\n2,01/02/2007,,,\n")],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_partial_row_is_flagged_on_its_blank_items() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC3}1,01/02/2007,YES,,\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("OC3", 2, &["ACTIV", "ACCOM"])]
        );
    }
}
