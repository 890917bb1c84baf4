//! # 101 (2022/23–2023/24): gender code is not valid
//!
//! Checks that every child's `SEX` is present and one of the year's codes: `1` (male) or `2`
//! (female) until 2023/24.
//!
//! ## Why
//! Sex is a mandatory characteristic; national statistics and the mother rules (165, 174) read it.
//!
//! ## Example
//! In 2023/24 `SEX=1` passes; `SEX=M` (the 2024/25 coding) and a blank `SEX` are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The child's sex is missing or not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "101",
        message: "Gender code is not valid.",
        severity: Error,
        tables: ["Header"],
        fields: ["SEX"],
        years: [2023, 2024],
        needs: [],
        check: check,
    }
}

/// Shared with the 2024/25 version: the year's schema holds the code list.
pub(super) fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for header in child.headers() {
            if is_invalid(&header.sex(), true) {
                flags.cell(header.at("SEX"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{HEADER, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn numeric_codes_pass() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,1,01/02/2015,WBRI,UN1,,\n2,2,01/02/2012,WBRI,UN1,0,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn letter_codes_and_blanks_are_flagged() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,M,01/02/2015,WBRI,UN1,,\n2,1,01/02/2015,WBRI,UN1,,\n3,,01/02/2012,WBRI,UN1,0,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Header", 2, "SEX"), cell("Header", 4, "SEX")]
        );
    }
}
