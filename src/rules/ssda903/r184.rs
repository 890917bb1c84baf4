//! # 184: decision to place for adoption before the child was born
//!
//! Checks that `DATE_PLACED` is not before the child's date of birth (the `DOB` on the same
//! PlacedAdoption row). Rows whose dates could not be read are left to the date rules (115, and
//! the structural check of DOB); the reference validator flags a row with an unreadable DOB
//! (`tests/oracle/divergences.md`).
//!
//! ## Why
//! A decision about a child cannot predate the child; one of the two dates is mistyped.
//!
//! ## Example
//! `DOB=01/02/2022, DATE_PLACED=01/05/2025` passes; `DATE_PLACED=01/05/2021` is flagged on both
//! dates.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The decision to place for adoption is dated before the child's birth.
    pub const RULE: Rule903 = {
        code: "184",
        message: "Date of decision that a child should be placed for adoption is before the child was born.",
        severity: Error,
        tables: ["Header", "PlacedAdoption"],
        fields: ["DATE_PLACED", "DOB"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.placed_adoptions() {
            if let (Some(placed), Some(dob)) = (row.date_placed().ok(), row.dob().ok())
                && placed < dob
            {
                flags.cells([row.at("DATE_PLACED"), row.at("DOB")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{PLACED_ADOPTION, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn decisions_after_birth_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{PLACED_ADOPTION}1,01/02/2022,01/05/2025,,\n2,01/02/2022,01/02/2022,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_decision_before_birth_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{PLACED_ADOPTION}1,01/02/2022,01/05/2021,,\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("PlacedAdoption", 2, &["DATE_PLACED", "DOB"])]
        );
    }
}
