//! # 204: ethnicity differs from last year
//!
//! Flags a child whose ethnicity code this year differs from the one in last year's return.
//!
//! ## Why
//! Ethnicity is the child's (or their family's) self-description and seldom changes; a change is
//! usually a keying error, and national statistics break every count down by it. A code that is
//! blank or not valid in either year is left to rule 103.
//!
//! ## Example
//! Last year `WBRI`, this year `wbri` passes; this year `WIRI` is flagged on both cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::flag_header_changes;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The child's ethnicity differs from last year's return.
    pub const RULE: Rule903 = {
        code: "204",
        message: "Ethnic origin code disagrees with the ethnic origin already recorded for this child.",
        severity: Error,
        tables: ["Header", "Header_last"],
        fields: ["ETHNIC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [PreviousYear],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_header_changes(data, flags, "ETHNIC", |h| h.ethnic().ok());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{HEADER, flagged_after};

    #[test]
    fn the_same_code_in_any_case_passes() {
        assert!(
            flagged_after(
                &RULE,
                2026,
                &[&format!("{HEADER}1,F,01/02/2015,WBRI,UN1,0,\n")],
                &[&format!("{HEADER}1,F,01/02/2015,wbri,UN1,0,\n")]
            )
            .is_empty()
        );
    }

    #[test]
    fn a_different_code_is_flagged_in_both_years() {
        assert_eq!(
            flagged_after(
                &RULE,
                2026,
                &[&format!("{HEADER}1,F,01/02/2015,WBRI,UN1,0,\n")],
                &[&format!("{HEADER}1,F,01/02/2015,WIRI,UN1,0,\n")]
            ),
            vec![vec![
                (Year::This, "Header".to_string(), 2, "ETHNIC".to_string()),
                (
                    Year::Previous,
                    "Header".to_string(),
                    2,
                    "ETHNIC".to_string()
                )
            ]]
        );
    }
}
