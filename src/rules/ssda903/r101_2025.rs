//! # 101 (2024/25 on): the reported sex is not valid
//!
//! Checks that every child's `SEX` is present and one of the year's codes: `M`, `F` or `U` from
//! 2024/25 (the numeric 1/2 coding was withdrawn). Same check as the 2022/23 version; only the
//! code list (in the year's schema) and the wording changed.
//!
//! ## Why
//! Sex is a mandatory characteristic; national statistics and the mother rules (165, 174) read it.
//!
//! ## Example
//! In 2025/26 `SEX=F` and `SEX=U` pass; `SEX=2` and a blank `SEX` are flagged.

use crate::rule;
use crate::rules::ssda903::{Rule903, r101_2023};

rule! {
    /// The child's sex is missing or not M, F or U.
    pub const RULE: Rule903 = {
        code: "101",
        message: "The child or young person’s reported sex is not valid.",
        severity: Error,
        tables: ["Header"],
        fields: ["SEX"],
        years: [2025, 2026, 2027],
        needs: [],
        check: r101_2023::check,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{HEADER, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn letter_codes_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,M,01/02/2015,WBRI,UN1,,\n2,F,01/02/2012,WBRI,UN1,0,\n3,U,01/02/2012,WBRI,UN1,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn numeric_codes_and_blanks_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,2,01/02/2015,WBRI,UN1,0,\n2,F,01/02/2015,WBRI,UN1,0,\n3,,01/02/2012,WBRI,UN1,0,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Header", 2, "SEX"), cell("Header", 4, "SEX")]
        );
    }
}
