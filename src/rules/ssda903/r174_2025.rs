//! # 174 (2024/25 on): mother's child's date of birth recorded for a male child
//!
//! Checks that a child whose `SEX` is `M` has no `MC_DOB` (anything entered counts). The check
//! of the 2022/23 version with the 2024/25 sex codes and wording.
//!
//! ## Why
//! MC_DOB is the date of birth of a looked-after mother's child; for a boy it is a data-entry
//! error that would count him as a mother.
//!
//! ## Example
//! In 2025/26 `SEX=F, MC_DOB=01/01/2024` passes; `SEX=M, MC_DOB=01/01/2024` is flagged on both
//! cells.

use crate::rule;
use crate::rules::ssda903::{Rule903, r174_2023};

rule! {
    /// MC_DOB is recorded for a male child.
    pub const RULE: Rule903 = {
        code: "174",
        message: "Mother's child date of birth is recorded but sex shows that the child is a male.",
        severity: Error,
        tables: ["Header"],
        fields: ["SEX", "MC_DOB"],
        years: [2025, 2026, 2027],
        needs: [],
        check: r174_2023::check,
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
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,F,01/02/2008,WBRI,UN1,1,01/01/2024\n2,M,01/02/2008,WBRI,UN1,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_boy_with_mc_dob_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{HEADER}1,M,01/02/2008,WBRI,UN1,,01/01/2024\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("Header", 2, &["SEX", "MC_DOB"])]
        );
    }
}
