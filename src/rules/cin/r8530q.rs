//! # 8530Q: expected date of birth out of range
//!
//! Queries every expected date of birth that is not between 30 days before the ReferenceDate and
//! 9 months after it (1 March to 31 December of the census year's end), both days included.
//!
//! ## Why
//! An unborn child is referred during pregnancy, so the expected birth falls within nine months
//! of the census date; a date before March has passed (the child should have a date of birth by
//! now) and one after December is too far ahead. The reference validator also queries the first
//! and last day of the range (`tests/oracle/divergences.md`).
//!
//! ## Example
//! In 2025/26, 1 March 2026 and 31 December 2026 pass; 28 February 2026 and 1 January 2027 are
//! queried.

use chrono::{Days, Months};

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An expected date of birth is outside the census's range.
    pub const RULE: RuleCin = {
        code: "8530Q",
        message: "Please check and either amend data or provide a reason: Expected Date of Birth is outside the expected range for this census (March to December of the Census Year end)",
        severity: Query,
        tables: ["ChildIdentifiers", "Header"],
        fields: ["ExpectedPersonBirthDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let Some((_, reference_date)) = data.period() else {
        return;
    };
    let (Some(earliest), Some(latest)) = (
        reference_date.checked_sub_days(Days::new(30)),
        reference_date.checked_add_months(Months::new(9)),
    ) else {
        return;
    };
    for child in data.children() {
        for identifiers in child.identifiers() {
            if identifiers
                .expected_person_birth_date()
                .ok()
                .is_some_and(|expected| !(earliest..=latest).contains(&expected))
            {
                flags.cell(identifiers.at("ExpectedPersonBirthDate"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, child, flagged, line};

    fn unborn(expected: &[&str]) -> String {
        expected
            .iter()
            .map(|e| {
                child(
                    e,
                    &format!("<ExpectedPersonBirthDate>{e}</ExpectedPersonBirthDate>"),
                    "",
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn march_to_december_passes() {
        let xml = unborn(&["2026-03-01", "2026-12-31"]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn dates_outside_the_range_are_queried() {
        let xml = unborn(&["2026-02-28", "2027-01-01"]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                cell(
                    "ChildIdentifiers",
                    line(&xml, ">2026-02-28<"),
                    "ExpectedPersonBirthDate"
                ),
                cell(
                    "ChildIdentifiers",
                    line(&xml, ">2027-01-01<"),
                    "ExpectedPersonBirthDate"
                ),
            ]
        );
    }
}
