//! # 8545Q: date of death outside the census year
//!
//! Queries every date of death that is not within the census period (1 April to the
//! ReferenceDate).
//!
//! ## Why
//! A child who died before the census year is not a child in need in it, and a death after the
//! ReferenceDate has not happened yet; either way a date is likely mistyped.
//!
//! ## Example
//! In 2025/26 a death on 1 April 2025 passes; on 31 March 2025 or 1 April 2026 it is queried.

use crate::records::cin::ChildIdentifiers;
use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{flag_identifiers, in_period};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A child's date of death is outside the census period.
    pub const RULE: RuleCin = {
        code: "8545Q",
        message: "Please check and either amend data or provide a reason: Child's date of death should be within the census year",
        severity: Query,
        tables: ["ChildIdentifiers", "Header"],
        fields: ["PersonDeathDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let Some(period) = data.period() else { return };
    flag_identifiers(
        data,
        flags,
        "PersonDeathDate",
        ChildIdentifiers::person_death_date,
        |death| !in_period(death, period),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, child, flagged, line};

    fn died(dates: &[&str]) -> String {
        dates
            .iter()
            .map(|d| child(d, &format!("<PersonDeathDate>{d}</PersonDeathDate>"), ""))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn deaths_in_the_period_pass() {
        let xml = died(&["2025-04-01", "2026-03-31"]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn deaths_outside_the_period_are_queried() {
        let xml = died(&["2025-03-31", "2026-04-01"]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                cell(
                    "ChildIdentifiers",
                    line(&xml, "2025-03-31"),
                    "PersonDeathDate"
                ),
                cell(
                    "ChildIdentifiers",
                    line(&xml, "2026-04-01"),
                    "PersonDeathDate"
                ),
            ]
        );
    }
}
