//! # 203: date of birth differs from last year
//!
//! Flags a child whose date of birth this year differs from the one in last year's return.
//!
//! ## Why
//! A date of birth does not change: a difference is a keying error in one of the years, and it
//! moves the child between age groups in national statistics. A date that is blank or not valid
//! in either year is left to the date rules.
//!
//! ## Example
//! Last year `01/02/2015`, this year `01/02/2015` passes; this year `02/01/2015` is flagged on
//! both cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::flag_header_changes;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The child's date of birth differs from last year's return.
    pub const RULE: Rule903 = {
        code: "203",
        message: "Date of birth disagrees with the date of birth already recorded for this child.",
        severity: Error,
        tables: ["Header", "Header_last"],
        fields: ["DOB"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [PreviousYear],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_header_changes(data, flags, "DOB", |h| h.dob().ok());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{HEADER, flagged_after};

    #[test]
    fn the_same_date_passes() {
        assert!(
            flagged_after(
                &RULE,
                2026,
                &[&format!("{HEADER}1,F,01/02/2015,WBRI,UN1,0,\n")],
                &[&format!(
                    "{HEADER}1,F,01/02/2015,WBRI,UN1,0,\n2,F,01/02/2014,WBRI,UN1,0,\n"
                )]
            )
            .is_empty()
        );
    }

    #[test]
    fn a_different_date_is_flagged_in_both_years() {
        assert_eq!(
            flagged_after(
                &RULE,
                2026,
                &[&format!("{HEADER}1,F,01/02/2015,WBRI,UN1,0,\n")],
                &[&format!("{HEADER}1,F,02/01/2015,WBRI,UN1,0,\n")]
            ),
            vec![vec![
                (Year::This, "Header".to_string(), 2, "DOB".to_string()),
                (Year::Previous, "Header".to_string(), 2, "DOB".to_string())
            ]]
        );
    }
}
