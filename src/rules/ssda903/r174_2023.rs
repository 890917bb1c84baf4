//! # 174 (2022/23–2023/24): mother's child's date of birth recorded for a male child
//!
//! Checks that a child whose `SEX` is the year's male code (`1` until 2023/24) has no `MC_DOB`
//! (anything entered counts).
//!
//! ## Why
//! MC_DOB is the date of birth of a looked-after mother's child; for a boy it is a data-entry
//! error that would count him as a mother.
//!
//! ## Example
//! In 2023/24 `SEX=2, MC_DOB=01/01/2024` passes; `SEX=1, MC_DOB=01/01/2024` is flagged on both
//! cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::sex_codes;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// MC_DOB is recorded for a male child.
    pub const RULE: Rule903 = {
        code: "174",
        message: "Mother's child date of birth is recorded but gender shows that the child is a male.",
        severity: Error,
        tables: ["Header"],
        fields: ["SEX", "MC_DOB"],
        years: [2023, 2024],
        needs: [],
        check: check,
    }
}

/// Shared with the 2024/25 version: the male code comes from the year.
pub(super) fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let (male, _) = sex_codes(data.year);
    for child in data.children() {
        for header in child.headers() {
            if header.sex().is(male) && header.mc_dob().is_present() {
                flags.cells([header.at("SEX"), header.at("MC_DOB")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{HEADER, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn girls_with_a_child_and_boys_without_pass() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,2,01/02/2008,WBRI,UN1,1,01/01/2024\n2,1,01/02/2008,WBRI,UN1,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_boy_with_mc_dob_is_flagged() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!("{HEADER}1,1,01/02/2008,WBRI,UN1,,01/01/2024\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("Header", 2, &["SEX", "MC_DOB"])]
        );
    }
}
