//! # 205D: UASC this year but not last year
//!
//! Flags a child who was in last year's return without a UASC row and is UASC (has a UASC row)
//! this year.
//!
//! ## Why
//! UASC status is decided when the child arrives; a child already looked after last year who
//! becomes UASC this year is usually a recording error in one of the years.
//!
//! ## Example
//! A child with a UASC row in both years passes; a child in last year's Header without a UASC
//! row and with one this year is flagged on this year's Header row. In the XML return the child's
//! UASC flag decides: `<UASC>0</UASC>`, which also makes a UASC row, is not UASC.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::children_with_last;
use crate::rules::ssda903::context::is_uasc;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// UASC this year, but not UASC in last year's return.
    pub const RULE: Rule903 = {
        code: "205D",
        message: "Child identified as UASC this year but not identified as UASC status provided for the child last year.",
        severity: Error,
        tables: ["UASC", "UASC_last", "Header", "Header_last"],
        fields: ["UASC", "CHILD"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [PreviousYear],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for (child, last) in children_with_last(data) {
        let (Some(header), Some(_)) = (child.header(), last.header()) else {
            continue;
        };
        if is_uasc(Some(&child)) && !is_uasc(Some(&last)) {
            flags.cell(header.at("CHILD"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{
        HEADER, UASC, cell, dataset, flagged, xml_children, xml_dataset,
    };
    use crate::source::Role;

    #[test]
    fn uasc_in_both_years_and_new_children_pass() {
        let last = dataset(
            2025,
            Role::PreviousYear,
            &[
                &format!("{HEADER}1,M,01/02/2008,WBRI,UN2,,\n"),
                &format!("{UASC}1,M,01/02/2008,01/02/2026\n"),
            ],
        );
        let this = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{HEADER}1,M,01/02/2008,WBRI,UN2,,\n2,M,01/02/2009,WBRI,UN2,,\n"),
                &format!("{UASC}1,M,01/02/2008,01/02/2026\n2,M,01/02/2009,01/02/2027\n"),
            ],
        );
        assert!(flagged(&RULE, &this, Some(&last), None).is_empty());
    }

    #[test]
    fn in_xml_the_flag_decides_not_the_uasc_row() {
        let last = xml_dataset(
            2025,
            Role::PreviousYear,
            &xml_children(&["<UASC>0</UASC>"; 2]),
        );
        let this = xml_dataset(
            2026,
            Role::ThisYear,
            &xml_children(&["<UASC>0</UASC><DUC>01/02/2026</DUC>", "<UASC>1</UASC>"]),
        );
        assert_eq!(this.table("UASC").unwrap().len(), 2);
        assert_eq!(
            flagged(&RULE, &this, Some(&last), None),
            vec![cell("Header", 3, "CHILD")]
        );
    }

    #[test]
    fn becoming_uasc_after_last_year_is_flagged() {
        let last = dataset(
            2025,
            Role::PreviousYear,
            &[&format!("{HEADER}1,M,01/02/2008,WBRI,UN2,,\n")],
        );
        let this = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{HEADER}1,M,01/02/2008,WBRI,UN2,,\n"),
                &format!("{UASC}1,M,01/02/2008,01/02/2026\n"),
            ],
        );
        assert_eq!(
            flagged(&RULE, &this, Some(&last), None),
            vec![cell("Header", 2, "CHILD")]
        );
    }
}
