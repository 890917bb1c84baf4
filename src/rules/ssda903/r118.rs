//! # 118: decision no longer to place for adoption is before the year or before care began
//!
//! Checks that `DATE_PLACED_CEASED`, when given, is not before 1 April of the collection year and
//! not before the start (`DECOM`) of the child's earliest episode that is not a short break (LS
//! other than V3/V4). The PlacedAdoption row is flagged with that earliest episode. Children with
//! no such episode are not checked.
//!
//! ## Why
//! A reversal decided in an earlier year belongs to that year's return, and a decision about
//! adoption cannot predate the child being looked after.
//!
//! ## Example
//! In 2025/26, earliest episode `DECOM=01/01/2024`: `DATE_PLACED_CEASED=01/05/2025` passes;
//! `DATE_PLACED_CEASED=01/03/2025` (before 1 April 2025) is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{SHORT_BREAKS, earliest_episode};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A decision no longer to place for adoption is dated before the year or before care began.
    pub const RULE: Rule903 = {
        code: "118",
        message: "Date of decision that a child should no longer be placed for adoption is before the current collection year or before the date the child started to be looked after.",
        severity: Error,
        tables: ["Episodes", "PlacedAdoption"],
        fields: ["DECOM", "LS"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let start = data.collection_start();
    for child in data.children() {
        let placed = child.placed_adoptions();
        if placed.is_empty() {
            continue;
        }
        let Some(first) = earliest_episode(
            child
                .episodes()
                .into_iter()
                .filter(|e| !e.ls().is_in(&SHORT_BREAKS)),
        ) else {
            continue;
        };
        let decom = first.decom().ok();
        for row in placed {
            let Some(ceased) = row.date_placed_ceased().ok() else {
                continue;
            };
            if ceased < start || decom.is_some_and(|d| ceased < d) {
                flags.cells([
                    row.at("DATE_PLACED_CEASED"),
                    first.at("DECOM"),
                    first.at("LS"),
                ]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{EPISODES, PLACED_ADOPTION, dataset, flagged};
    use crate::source::Role;

    const EPISODE_ROWS: &str =
        "1,01/01/2024,S,V3,N1,U1,PR1,02/01/2024,E8,,,,\n1,01/06/2025,S,E1,N1,A3,PR1,,,,,,\n";

    #[test]
    fn reversals_in_the_year_after_care_began_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{EPISODE_ROWS}"),
                &format!(
                    "{PLACED_ADOPTION}1,01/02/2022,01/06/2025,01/07/2025,RD1\n1,01/02/2022,01/08/2025,,\n"
                ),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn reversals_before_the_first_non_short_break_episode_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{EPISODE_ROWS}"),
                &format!("{PLACED_ADOPTION}1,01/02/2022,01/05/2025,01/05/2025,RD1\n"),
            ],
        );
        let cell = |table: &str, row, column: &str| {
            (Year::This, table.to_string(), row, column.to_string())
        };
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![vec![
                cell("PlacedAdoption", 2, "DATE_PLACED_CEASED"),
                cell("Episodes", 3, "DECOM"),
                cell("Episodes", 3, "LS")
            ]]
        );
    }
}
