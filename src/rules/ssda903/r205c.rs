//! # 205C: date UASC ceased for a child never UASC
//!
//! Flags a child whose UASC flag says it was not UASC this year nor last year, but who has a date
//! UASC ceased (DUC) in either year.
//!
//! ## Why
//! A child who was never an unaccompanied asylum-seeking child cannot have stopped being one:
//! either the flag or the date is wrong.
//!
//! Only the XML return has a UASC flag apart from the UASC row that holds DUC: its `<UASC>0</UASC>`
//! with a `<DUC>` is the case this rule finds. In the CSV return a child is UASC when it has a UASC
//! row (`spec/ssda903.md` §5.1), the only place a DUC can be, so the condition cannot arise there.
//! A year whose flag is missing or not 0/1 is left to rule 105 and judged by its UASC row.
//!
//! ## Example
//! For 2025/26 (XML): `<UASC>0</UASC>` in both years without DUC passes, as does `<UASC>1</UASC>`
//! with a DUC; `<UASC>0</UASC><DUC>01/02/2026</DUC>` with flag 0 (or no return) last year is
//! flagged on this year's UASC flag and DUC, and a DUC only in last year's return on this year's
//! flag and last year's DUC.

use crate::records::CellRef;
use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::{carries_uasc_flag, is_uasc};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// Not UASC in either year, but a date UASC ceased is given.
    pub const RULE: Rule903 = {
        code: "205C",
        message: "Child not identified as UASC either this year or last year but date UASC ceased has been provided.",
        severity: Error,
        tables: ["UASC", "UASC_last", "Header", "Header_last"],
        fields: ["DUC", "UASC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [PreviousYear],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        let last = data.previous_child(child.id());
        if is_uasc(Some(&child)) || is_uasc(last.as_ref()) {
            continue;
        }
        let ducs: Vec<CellRef> = child
            .uasc()
            .into_iter()
            .chain(last.iter().flat_map(|l| l.uasc()))
            .filter(|uasc| uasc.duc().is_present())
            .map(|uasc| uasc.at("DUC"))
            .collect();
        if ducs.is_empty() {
            continue;
        }
        let status = child.header().map(|header| {
            if carries_uasc_flag(&child, &header) {
                header.at("UASC")
            } else {
                header.at("CHILD")
            }
        });
        flags.cells(status.into_iter().chain(ducs));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{
        Flagged, HEADER, UASC, cells, flagged, flagged_after, xml_children, xml_dataset,
    };
    use crate::source::Role;

    /// 205C on a 2025/26 XML return after a 2024/25 one, each child's header fields given per year.
    fn run(last: &[&str], this: &[&str]) -> Flagged {
        let last = xml_dataset(2025, Role::PreviousYear, &xml_children(last));
        let this = xml_dataset(2026, Role::ThisYear, &xml_children(this));
        flagged(&RULE, &this, Some(&last), None)
    }

    #[test]
    fn children_never_uasc_without_duc_and_uasc_children_pass() {
        let flagged = run(
            &["<UASC>0</UASC>", "<UASC>1</UASC>", "<UASC>0</UASC>"],
            &[
                "<UASC>0</UASC>",
                "<UASC>1</UASC><DUC>01/02/2028</DUC>",
                "<UASC>1</UASC><DUC>01/02/2028</DUC>",
            ],
        );
        assert!(flagged.is_empty(), "{flagged:?}");
    }

    #[test]
    fn a_duc_for_a_child_never_uasc_is_flagged_in_either_year() {
        let flagged = run(
            &["<UASC>0</UASC>", "<UASC>0</UASC><DUC>01/02/2025</DUC>"],
            &[
                "<UASC>0</UASC><DUC>01/02/2026</DUC>",
                "<UASC>0</UASC>",
                "<UASC>0</UASC><DUC>not a date</DUC>",
            ],
        );
        assert_eq!(
            flagged,
            vec![
                cells("Header", 2, &["UASC"])
                    .into_iter()
                    .chain(cells("UASC", 2, &["DUC"]))
                    .collect(),
                vec![
                    (Year::This, "Header".to_string(), 3, "UASC".to_string()),
                    (Year::Previous, "UASC".to_string(), 3, "DUC".to_string()),
                ],
                cells("Header", 4, &["UASC"])
                    .into_iter()
                    .chain(cells("UASC", 4, &["DUC"]))
                    .collect(),
            ]
        );
    }

    #[test]
    fn in_the_csv_return_a_duc_means_a_uasc_row_so_nothing_is_flagged() {
        let header = format!("{HEADER}1,M,01/02/2008,WBRI,UN2,,\n2,M,01/02/2008,WBRI,UN2,,\n");
        let uasc = format!("{UASC}1,M,01/02/2008,01/02/2026\n");
        assert!(flagged_after(&RULE, 2026, &[&header, &uasc], &[&header, &uasc]).is_empty());
        assert!(flagged_after(&RULE, 2026, &[&header], &[&header]).is_empty());
    }
}
