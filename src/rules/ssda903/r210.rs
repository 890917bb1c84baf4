//! # 210: UPN code UN4 for a child looked after for more than a week
//!
//! Flags a child recorded with UPN `UN4` ("newly looked after, UPN not yet known") who was looked
//! after at 31 March in a period of care that began before 24 March, i.e. more than a week
//! before the end of the collection year.
//!
//! ## Why
//! UN4 gives the LA time to find the UPN of a child who came into care in the last week of the
//! year. A child in care for longer should have their UPN (or another UN code) by 31 March.
//!
//! The period of care is the run of episodes joined by X1 that is open at 31 March; it starts
//! at its RNE S episode (or at the child's first episode in the return when there is none). The
//! reference validator flags the opposite case (episodes starting on or after 24 March): see
//! `tests/oracle/divergences.md`.
//!
//! ## Example
//! UN4 for a child who came into care on 25/03/2026 passes; UN4 for a child in care since
//! 01/05/2025 is flagged on the UPN and the start of the period of care.

use chrono::NaiveDate;

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// UN4 for a child in care at 31 March in a period that began before 24 March.
    pub const RULE: Rule903 = {
        code: "210",
        message: "Children looked after for more than a week at 31 March should not have an unknown Unique Pupil Number (UPN) code of UN4.",
        severity: Error,
        tables: ["Header", "Episodes"],
        fields: ["UPN", "DECOM"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let end = data.collection_end();
    let week_before =
        NaiveDate::from_ymd_opt(chrono::Datelike::year(&end), 3, 24).expect("24 March exists");
    for child in data.children() {
        let Some(header) = child.header() else {
            continue;
        };
        if !header
            .upn()
            .ok()
            .is_some_and(|u| u.eq_ignore_ascii_case("UN4"))
        {
            continue;
        }
        let episodes = child.episodes();
        let Some(open) = episodes
            .iter()
            .rposition(|e| e.dec().is_blank() && e.decom().ok().is_some_and(|d| d <= end))
        else {
            continue;
        };
        let start = episodes[..=open]
            .iter()
            .rev()
            .find(|e| e.rne().is("S"))
            .unwrap_or(&episodes[0]);
        if start.decom().ok().is_some_and(|d| d < week_before) {
            flags.cells([header.at("UPN"), start.at("DECOM")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{EPISODES, HEADER, dataset, flagged};
    use crate::source::Role;

    fn at(table: &str, row: u32, column: &str) -> (Year, String, u32, String) {
        (Year::This, table.to_string(), row, column.to_string())
    }

    #[test]
    fn children_new_to_care_in_the_last_week_may_have_un4() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{HEADER}1,F,01/02/2015,WBRI,UN4,0,\n2,M,01/02/2015,WBRI,UN4,,\n"),
                &format!(
                    "{EPISODES}1,25/03/2026,S,C2,N1,U4,PR1,,,,,,\n2,01/05/2025,S,C2,N1,U4,PR1,01/06/2025,E8,,,,\n"
                ),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn un4_for_a_child_in_care_longer_is_flagged_with_the_start_of_care() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{HEADER}1,F,01/02/2015,WBRI,UN4,0,\n"),
                &format!(
                    "{EPISODES}1,01/05/2025,S,C2,N1,U4,PR1,01/06/2025,X1,CARPL,,,\n1,01/06/2025,P,C2,N1,U5,PR1,,,,,,\n"
                ),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![vec![at("Header", 2, "UPN"), at("Episodes", 2, "DECOM")]]
        );
    }
}
