//! # 234: placement change to custody for a child under 10
//!
//! Flags a placement change whose reason is CUSTOD (custody arrangement) when the child was under
//! 10 on the day of the change, the start of the next episode.
//!
//! ## Why
//! The age of criminal responsibility in England is 10: a younger child cannot be admitted to
//! custody, so the reason (or the date of birth) is wrong.
//!
//! The DfE rule reads "if DECOM < DOB + 10 years then the previous episode's REASON_PLACE_CHANGE
//! cannot be CUSTOD": the age is taken at the start of the episode after the change. The
//! reference validator takes it at the start of the CUSTOD episode itself (see
//! `tests/oracle/divergences.md`).
//!
//! ## Example
//! A child born 01/06/2015 whose episode ends with CUSTOD and whose next episode starts
//! 02/06/2025 passes; the same with the next episode starting 31/05/2025 is flagged.

use chrono::Months;

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A change of placement to custody for a child under 10.
    pub const RULE: Rule903 = {
        code: "234",
        message: "A child aged under 10 can not change placement due to being admitted to custody",
        severity: Error,
        tables: ["Episodes", "Header"],
        fields: ["REASON_PLACE_CHANGE", "DOB"],
        years: [2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        let Some(header) = child.header() else {
            continue;
        };
        let Some(tenth) = header
            .dob()
            .ok()
            .and_then(|dob| dob.checked_add_months(Months::new(120)))
        else {
            continue;
        };
        for pair in child.episodes().windows(2) {
            let (custody, next) = (&pair[0], &pair[1]);
            if custody.reason_place_change().is("CUSTOD")
                && next.decom().ok().is_some_and(|d| d < tenth)
            {
                flags.cells([custody.at("REASON_PLACE_CHANGE"), header.at("DOB")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{EPISODES, HEADER, dataset, flagged};
    use crate::source::Role;

    fn data(next_start: &str) -> crate::ingest::dataset::Dataset {
        dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{HEADER}1,M,01/06/2015,WBRI,UN2,,\n"),
                &format!(
                    "{EPISODES}1,01/04/2025,S,C2,N1,U4,PR1,{next_start},X1,CUSTOD,,,\n1,{next_start},P,J1,N1,R5,PR3,,,,,,\n"
                ),
            ],
        )
    }

    #[test]
    fn a_child_of_ten_may_go_to_custody() {
        assert!(flagged(&RULE, &data("01/06/2025"), None, None).is_empty());
    }

    #[test]
    fn a_child_under_ten_is_flagged() {
        let at = |table: &str, row: u32, column: &str| {
            (Year::This, table.to_string(), row, column.to_string())
        };
        assert_eq!(
            flagged(&RULE, &data("31/05/2025"), None, None),
            vec![vec![
                at("Episodes", 2, "REASON_PLACE_CHANGE"),
                at("Header", 2, "DOB")
            ]]
        );
    }
}
