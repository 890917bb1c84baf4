//! # 8535Q: date of death before the date of birth
//!
//! Queries every child with a date of death but no date of birth, or a date of death before the
//! date of birth.
//!
//! ## Why
//! A death must follow a birth; a death before the birth is a mistyped date, and a death with no
//! birth (an unborn child) is recorded wrongly — a stillbirth is not a child in need death.
//!
//! ## Example
//! Born 1 January 2015, died 1 September 2025 passes; died 31 December 2014, or died with no date
//! of birth, is queried on both dates.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::missing_or;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A child's date of death is before its date of birth, or it has no date of birth.
    pub const RULE: RuleCin = {
        code: "8535Q",
        message: "Please check and either amend data or provide a reason: Child’s date of death should not be prior to the date of birth",
        severity: Query,
        tables: ["ChildIdentifiers"],
        fields: ["PersonDeathDate", "PersonBirthDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for child in data.children() {
        for identifiers in child.identifiers() {
            let Some(death) = identifiers.person_death_date().ok() else {
                continue;
            };
            if missing_or(identifiers.person_birth_date(), |birth| birth > death) {
                flags.cells([
                    identifiers.at("PersonDeathDate"),
                    identifiers.at("PersonBirthDate"),
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
    fn deaths_on_or_after_birth_pass() {
        let xml = children(&[
            "<PersonBirthDate>2015-01-01</PersonBirthDate><PersonDeathDate>2025-09-01</PersonDeathDate>",
            "<PersonBirthDate>2025-09-01</PersonBirthDate><PersonDeathDate>2025-09-01</PersonDeathDate>",
            "<PersonBirthDate>2015-01-01</PersonBirthDate>",
        ]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn a_death_before_birth_or_without_birth_is_queried() {
        let xml = children(&[
            "<PersonBirthDate>2015-01-01</PersonBirthDate><PersonDeathDate>2014-12-31</PersonDeathDate>",
            "<PersonDeathDate>2025-09-01</PersonDeathDate>",
        ]);
        let finding = |id: &str| {
            row_cells(
                "ChildIdentifiers",
                line(&xml, id),
                &["PersonDeathDate", "PersonBirthDate"],
            )
        };
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![finding("C1"), finding("C2")]
        );
    }
}
