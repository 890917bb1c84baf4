//! # 105: UASC flag is not valid or missing
//!
//! Checks that every child of an XML return has a UASC flag (`<UASC>` in its header) of 0 or 1.
//!
//! ## Why
//! The XML return says of every child whether it is an unaccompanied asylum-seeking child; the
//! UASC rules (205A-205D, 231) and the distance exemptions (164) depend on it. A missing or
//! unknown flag leaves the child's status undecided.
//!
//! The CSV return has no such field: there a child is UASC when it has a UASC row
//! (`spec/ssda903.md` §5.1), so a CSV Header has nothing for this rule to judge (the reference
//! validator skips it for CSV too).
//!
//! ## Example
//! In an XML return, `<UASC>0</UASC>` and `<UASC>1</UASC>` pass; `<UASC>2</UASC>`, an empty
//! `<UASC/>` and a header without `<UASC>` are flagged on the Header's UASC cell. A CSV Header is
//! never flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::carries_uasc_flag;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The XML return's UASC flag is missing or not 0/1.
    pub const RULE: Rule903 = {
        code: "105",
        message: "Data entry for Unaccompanied Asylum-Seeking Children (UASC) status of child is invalid or has not been completed.",
        severity: Error,
        tables: ["Header"],
        fields: ["UASC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for header in child.headers() {
            if carries_uasc_flag(&child, &header) && header.uasc().ok().is_none() {
                flags.cell(header.at("UASC"));
            }
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
    fn flags_of_0_and_1_pass() {
        let data = xml_dataset(
            2026,
            Role::ThisYear,
            &xml_children(&["<UASC>0</UASC>", "<UASC>1</UASC><DUC>01/02/2028</DUC>"]),
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_empty_and_missing_flags_are_flagged() {
        let data = xml_dataset(
            2026,
            Role::ThisYear,
            &xml_children(&["<UASC>2</UASC>", "<UASC>1</UASC>", "<UASC/>", ""]),
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cell("Header", 2, "UASC"),
                cell("Header", 4, "UASC"),
                cell("Header", 5, "UASC")
            ]
        );
    }

    #[test]
    fn a_csv_return_has_no_flag_to_judge() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{HEADER}1,M,01/02/2010,WBRI,UN1,,\n2,M,01/02/2010,WBRI,UN1,,\n"),
                &format!("{UASC}1,M,01/02/2010,\n"),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }
}
