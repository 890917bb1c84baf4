//! # 191: OC2 items missing for a child in the OC2 cohort
//!
//! Checks that a child in the OC2 cohort (looked after continuously for at least 12 months at
//! 31 March, [`continuously_looked_after`](super::common::continuously_looked_after)) has an OC2
//! row with all four core items: `IMMUNISATIONS`, `TEETH_CHECK`, `HEALTH_ASSESSMENT` and
//! `SUBSTANCE_MISUSE`. Blank items are flagged on the OC2 row; a child with no OC2 row at all is
//! flagged on the `CHILD` of its earliest episode.
//!
//! ## Why
//! The OC2 outcomes are published for every child in care for the whole year; a missing answer
//! makes the percentages wrong.
//!
//! ## Example
//! A child in care since 2020 with all four items passes; with `TEETH_CHECK` blank, or with no
//! OC2 row, it is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{
    OC2_CORE, continuously_looked_after, earliest_episode, oc2_indicators,
};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A child in the OC2 cohort has no OC2 row, or blank core OC2 items.
    pub const RULE: Rule903 = {
        code: "191",
        message: "Child has been looked after continuously for at least 12 months at 31 March but one or more data items relating to children looked after for 12 months have been left blank.",
        severity: Error,
        tables: ["OC2", "Episodes"],
        fields: ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "CHILD"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        if !continuously_looked_after(&child, data.year) {
            continue;
        }
        let rows = child.oc2();
        if rows.is_empty() {
            if let Some(first) = earliest_episode(child.episodes()) {
                flags.cell(first.at("CHILD"));
            }
            continue;
        }
        for row in rows {
            flags.cells(
                oc2_indicators(&row)
                    .iter()
                    .filter(|(column, value)| OC2_CORE.contains(column) && value.is_blank())
                    .map(|(column, _)| row.at(column)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, OC2, cell, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn complete_items_for_the_cohort_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!(
                    "{EPISODES}1,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n2,01/05/2025,S,C2,N1,U1,PR1,,,,,,\n"
                ),
                &format!("{OC2}1,01/02/2015,10,,0,0,1,1,1,0,,\n"),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn blank_items_and_missing_rows_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!(
                    "{EPISODES}1,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n2,01/06/2021,P,C2,N1,U1,PR1,,,,,,\n2,01/01/2020,S,C2,N1,U1,PR1,01/06/2021,X1,,,,\n"
                ),
                &format!("{OC2}1,01/02/2015,10,,0,0,1,,1,0,,\n"),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cells("OC2", 2, &["TEETH_CHECK"]),
                cell("Episodes", 4, "CHILD")
            ]
        );
    }
}
