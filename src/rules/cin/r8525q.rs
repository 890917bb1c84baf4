//! # 8525Q: date of birth or expected date of birth, not both
//!
//! Queries every child with both a date of birth and an expected date of birth, or with neither.
//!
//! ## Why
//! A born child has a date of birth; an unborn child has an expected one instead. Both means the
//! expected date was not cleared at birth; neither means the child's age is unknown, and every
//! age-based figure and rule skips the child.
//!
//! ## Example
//! A date of birth alone or an expected date alone passes; both, or neither, is queried on the
//! two fields.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A child has both a date of birth and an expected date of birth, or neither.
    pub const RULE: RuleCin = {
        code: "8525Q",
        message: "Either Date of Birth or Expected Date of Birth must be provided (but not both)",
        severity: Query,
        tables: ["ChildIdentifiers"],
        fields: ["PersonBirthDate", "ExpectedPersonBirthDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for child in data.children() {
        for identifiers in child.identifiers() {
            let born = identifiers.person_birth_date().is_present();
            let expected = identifiers.expected_person_birth_date().is_present();
            if born == expected {
                flags.cells([
                    identifiers.at("PersonBirthDate"),
                    identifiers.at("ExpectedPersonBirthDate"),
                ]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, children, flagged, line, row_cells};

    #[test]
    fn one_of_the_two_passes() {
        let xml = children(&[
            "<PersonBirthDate>2015-01-01</PersonBirthDate>",
            "<ExpectedPersonBirthDate>2026-06-01</ExpectedPersonBirthDate>",
        ]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn both_or_neither_is_queried() {
        let xml = children(&[
            "<PersonBirthDate>2015-01-01</PersonBirthDate><ExpectedPersonBirthDate>2015-01-03</ExpectedPersonBirthDate>",
            "",
        ]);
        let finding = |id: &str| {
            row_cells(
                "ChildIdentifiers",
                line(&xml, id),
                &["PersonBirthDate", "ExpectedPersonBirthDate"],
            )
        };
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![finding("C1"), finding("C2")]
        );
    }
}
