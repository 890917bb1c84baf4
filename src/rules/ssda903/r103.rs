//! # 103: ethnicity code is not valid
//!
//! Checks that every child's `ETHNIC` is one of the DfE ethnicity codes for the year, and that it
//! is present.
//!
//! ## Why
//! Ethnicity is a mandatory characteristic of every looked-after child; national statistics break
//! every count down by it. A blank or unknown code cannot be published.
//!
//! ## Example
//! `CHILD=1, ETHNIC=WBRI` passes; `ETHNIC=WB` and a blank `ETHNIC` are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The child's ethnicity is missing or not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "103",
        message: "The ethnicity code is either not valid or has not been entered.",
        severity: Error,
        tables: ["Header"],
        fields: ["ETHNIC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for header in child.headers() {
            if header.ethnic().ok().is_none() {
                flags.cell(header.at("ETHNIC"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{cell, dataset, flagged};
    use crate::source::Role;

    const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";

    #[test]
    fn valid_codes_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,M,01/02/2015,WBRI,UN1,,\n2,F,01/02/2012,NOBT,UN1,0,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn unknown_and_blank_codes_are_flagged_on_their_cells() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,M,01/02/2015,WB,UN1,,\n2,M,01/02/2015,WBRI,UN1,,\n3,F,01/02/2012,,UN1,0,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Header", 2, "ETHNIC"), cell("Header", 4, "ETHNIC")]
        );
    }
}
