//! # 202: sex differs from last year
//!
//! Flags a child whose sex this year differs from the sex in last year's return.
//!
//! ## Why
//! A child's recorded sex rarely changes between returns; a difference is usually a keying
//! error in one of the years, and it moves the child between breakdowns of national statistics.
//!
//! The codes changed in 2024/25 from 1 (male) / 2 (female) to M / F / U, so 1 is compared as M
//! and 2 as F: a 2023/24 `2` and a 2024/25 `F` agree. (The reference validator compares the codes
//! as text and flags every child across that change: `spec/oracle-defects.md` A4.) A sex that is
//! blank or not a valid code in either year is left to rule 101.
//!
//! ## Example
//! Last year `2`, this year `F` passes; last year `M`, this year `F` is flagged on both cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::flag_header_changes;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The child's sex differs from last year's return.
    pub const RULE: Rule903 = {
        code: "202",
        message: "The gender code conflicts with the gender already recorded for this child.",
        severity: Error,
        tables: ["Header", "Header_last"],
        fields: ["SEX"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [PreviousYear],
        check: check,
    }
}

/// The 2024/25 code for a sex code of any year.
fn canonical(code: &str) -> &str {
    match code {
        "1" => "M",
        "2" => "F",
        other => other,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_header_changes(data, flags, "SEX", |h| h.sex().ok().map(canonical));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{HEADER, flagged_after};

    #[test]
    fn the_same_sex_in_either_coding_passes() {
        assert!(flagged_after(&RULE, 2025, &[&format!(
                "{HEADER}1,2,01/02/2015,WBRI,UN1,0,\n2,1,01/02/2015,WBRI,UN1,,\n"
            )], &[&format!(
                "{HEADER}1,F,01/02/2015,WBRI,UN1,0,\n2,M,01/02/2015,WBRI,UN1,,\n3,U,01/02/2015,WBRI,UN1,,\n"
            )]).is_empty());
    }

    #[test]
    fn a_different_sex_is_flagged_in_both_years() {
        assert_eq!(
            flagged_after(
                &RULE,
                2026,
                &[&format!(
                    "{HEADER}1,M,01/02/2015,WBRI,UN1,,\n2,M,01/02/2015,WBRI,UN1,,\n"
                )],
                &[&format!(
                    "{HEADER}2,M,01/02/2015,WBRI,UN1,,\n1,F,01/02/2015,WBRI,UN1,0,\n"
                )]
            ),
            vec![vec![
                (Year::This, "Header".to_string(), 3, "SEX".to_string()),
                (Year::Previous, "Header".to_string(), 2, "SEX".to_string())
            ]]
        );
    }
}
