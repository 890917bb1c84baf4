//! # 2886Q (2024/25 on): more than 2% of children with no sex recorded
//!
//! Counts the children who are born (unborn children, with an expected date of birth and no
//! date of birth, are left out) and those of them whose `Sex` is missing or `U` (unknown); queries
//! the return when more than 2% have none.
//!
//! ## Why
//! National statistics are broken down by sex; a high share of unknown sex points to a
//! case-system field not being exported. It is a property of the whole return, so it has no row.
//!
//! The reference validator's percentage counts unborn children in the denominator
//! (`tests/oracle/divergences.md`).
//!
//! ## Example
//! 49 children with sex M or F and one with U (2%) pass; 48 and two (4%) are queried.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::flag_share_without_sex;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// More than 2% of born children have no sex recorded.
    pub const RULE: RuleCin = {
        code: "2886Q",
        message: "Please check and either amend or provide a reason: Percentage of children with no sex recorded is more than 2% (excluding unborns)",
        severity: Query,
        tables: ["ChildIdentifiers"],
        fields: ["Sex", "ExpectedPersonBirthDate"],
        years: [2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_share_without_sex(data, flags, |identifiers| {
        let sex = identifiers.sex();
        sex.is_blank() || sex.is("U")
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, flagged};

    fn children(recorded: usize, not_recorded: usize, unborn: usize) -> String {
        let born = |i: usize, sex: &str| {
            child(
                &format!("B{i}"),
                &format!("<PersonBirthDate>2015-01-01</PersonBirthDate>{sex}"),
                "",
            )
        };
        (0..recorded)
            .map(|i| born(i, "<Sex>F</Sex>"))
            .chain(
                (0..not_recorded)
                    .map(|i| born(recorded + i, if i % 2 == 0 { "<Sex>U</Sex>" } else { "" })),
            )
            .chain((0..unborn).map(|i| {
                child(
                    &format!("U{i}"),
                    "<ExpectedPersonBirthDate>2026-06-01</ExpectedPersonBirthDate><Sex>U</Sex>",
                    "",
                )
            }))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn two_percent_or_less_passes_and_unborn_children_do_not_count() {
        let data = census(2026, &children(49, 1, 10));
        assert!(flagged(&RULE, &data).is_empty());
    }

    #[test]
    fn more_than_two_percent_is_queried_for_the_return() {
        let data = census(2025, &children(48, 2, 0));
        assert_eq!(
            flagged(&RULE, &data),
            vec![vec![("return".into(), 0, String::new())]]
        );
    }
}
