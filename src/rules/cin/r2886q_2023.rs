//! # 2886Q (2022/23–2023/24): more than 2% of children with no gender recorded
//!
//! Counts the children who are born (unborn children, with an expected date of birth and no
//! date of birth, are left out) and those of them whose `GenderCurrent` is missing or `0` (not
//! recorded); queries the return when more than 2% have none.
//!
//! ## Why
//! National statistics are broken down by gender; a high share of unrecorded gender points to a
//! case-system field not being exported. It is a property of the whole return, so it has no row.
//! From 2024/25 the census records sex instead (see that version).
//!
//! The reference validator's percentage counts unborn children in the denominator, and its test
//! for "not recorded" does not work on text codes (`tests/oracle/divergences.md`).
//!
//! ## Example
//! 49 children with gender 1 or 2 and one with 0 (2%) pass; 48 and two (4%) are queried.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::flag_share_without_sex;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// More than 2% of born children have no gender recorded.
    pub const RULE: RuleCin = {
        code: "2886Q",
        message: "Please check and either amend or provide a reason: Percentage of children with no gender recorded is more than 2% (excluding unborns)",
        severity: Query,
        tables: ["ChildIdentifiers"],
        fields: ["GenderCurrent", "ExpectedPersonBirthDate"],
        years: [2023, 2024],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_share_without_sex(data, flags, |identifiers| {
        let gender = identifiers.gender_current();
        gender.is_blank() || gender.is("0")
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, flagged};

    fn children(recorded: usize, not_recorded: usize, unborn: usize) -> String {
        let born = |i: usize, gender: &str| {
            child(
                &format!("B{i}"),
                &format!("<PersonBirthDate>2015-01-01</PersonBirthDate>{gender}"),
                "",
            )
        };
        (0..recorded)
            .map(|i| born(i, "<GenderCurrent>1</GenderCurrent>"))
            .chain((0..not_recorded).map(|i| {
                born(
                    recorded + i,
                    if i % 2 == 0 { "<GenderCurrent>0</GenderCurrent>" } else { "" },
                )
            }))
            .chain((0..unborn).map(|i| {
                child(
                    &format!("U{i}"),
                    "<ExpectedPersonBirthDate>2023-06-01</ExpectedPersonBirthDate><GenderCurrent>0</GenderCurrent>",
                    "",
                )
            }))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn two_percent_or_less_passes_and_unborn_children_do_not_count() {
        let data = census(2023, &children(49, 1, 10));
        assert!(flagged(&RULE, &data).is_empty());
    }

    #[test]
    fn more_than_two_percent_is_queried_for_the_return() {
        let data = census(2024, &children(48, 2, 0));
        assert_eq!(
            flagged(&RULE, &data),
            vec![vec![("return".into(), 0, String::new())]]
        );
    }
}
