//! # 8520: date of birth after the census
//!
//! Checks that no child's date of birth is after the ReferenceDate.
//!
//! ## Why
//! A child born after 31 March cannot be in this year's census as a born child; before birth a
//! child is recorded with an expected date of birth instead.
//!
//! ## Example
//! In 2025/26 a date of birth of 31 March 2026 passes; 1 April 2026 is flagged.

use crate::records::cin::ChildIdentifiers;
use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::flag_identifiers;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A child's date of birth is after the ReferenceDate.
    pub const RULE: RuleCin = {
        code: "8520",
        message: "Date of Birth is after data collection period (must be on or before the end of the census period)",
        severity: Error,
        tables: ["ChildIdentifiers", "Header"],
        fields: ["PersonBirthDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let Some((_, end)) = data.period() else {
        return;
    };
    flag_identifiers(
        data,
        flags,
        "PersonBirthDate",
        ChildIdentifiers::person_birth_date,
        |birth| birth > end,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, child, flagged, line};

    #[test]
    fn births_by_the_reference_date_pass() {
        let xml = child("C1", "<PersonBirthDate>2026-03-31</PersonBirthDate>", "");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn a_birth_after_the_reference_date_is_flagged() {
        let xml = child("C1", "<PersonBirthDate>2026-04-01</PersonBirthDate>", "");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![cell(
                "ChildIdentifiers",
                line(&xml, "C1"),
                "PersonBirthDate"
            )]
        );
    }
}
