//! # 148: date and reason episode ceased must both be given, or both be blank
//!
//! Checks that every episode has both `DEC` and `REC`, or neither. Anything entered counts as
//! given, valid or not (rules 147 and 149 check validity).
//!
//! ## Why
//! An episode ends with a date and a reason; the reason decides whether the child left care
//! (and how) or moved to a new episode (`X1`).
//!
//! ## Example
//! `DEC=01/06/2025, REC=E11` and an open episode (both blank) pass; `DEC=01/06/2025` with a blank
//! `REC` is flagged on both cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An episode has an end date without a reason, or a reason without an end date.
    pub const RULE: Rule903 = {
        code: "148",
        message: "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["DEC", "REC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for episode in child.episodes() {
            if episode.dec().is_present() != episode.rec().is_present() {
                flags.cells([episode.at("DEC"), episode.at("REC")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn both_or_neither_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/01/2024,S,C2,N1,U1,PR1,01/06/2025,E11,,,,\n2,01/01/2024,S,C2,N1,U1,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn one_without_the_other_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/01/2024,S,C2,N1,U1,PR1,01/06/2025,,,,,\n2,01/01/2024,S,C2,N1,U1,PR1,,E11,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cells("Episodes", 2, &["DEC", "REC"]),
                cells("Episodes", 3, &["DEC", "REC"])
            ]
        );
    }
}
