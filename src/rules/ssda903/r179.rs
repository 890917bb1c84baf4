//! # 179: placement location (in or out of area) cannot be derived
//!
//! Flags an episode (other than a short break, V3/V4) for which PL_LOCATION, whether the
//! placement is inside the responsible LA, cannot be derived: the placement postcode is missing,
//! not in the ONS postcode directory, or has no local authority district.
//!
//! ## Why
//! PL_LOCATION feeds the in-area/out-of-area placement statistics. It compares PL_LA with the
//! responsible LA's code, so the rule needs that code.
//!
//! ## Example
//! `PL_POST=M1 1AE` passes (IN for Manchester); a blank or unknown `PL_POST` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The placement postcode gives no placement location.
    pub const RULE: Rule903 = {
        code: "179",
        message: "Placement location code is not a valid code.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PL_LOCATION"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [Postcodes, LaCode],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for episode in child.episodes() {
            if !episode.ls().is_in(&["V3", "V4"]) && data.placement(&episode).location.is_none() {
                flags.cell(episode.at("PL_POST"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rules::ssda903::fixture::{Flagged, cell, flagged_with_postcodes};

    const LA: Option<&str> = Some("E08000003");

    fn run(rows: &str) -> Flagged {
        flagged_with_postcodes(&RULE, 2026, rows, LA)
    }

    #[test]
    fn placements_in_and_out_of_area_pass() {
        assert!(run(
            "1,01/04/2025,S,C2,N1,U4,PR1,,,,,M1 1AE,\n2,01/04/2025,S,C2,N1,U4,PR1,,,,,JE1 1AA,\n3,01/04/2025,S,V3,N1,K2,PR1,,,,,,\n"
        )
        .is_empty());
    }

    #[test]
    fn unknown_and_missing_placement_postcodes_are_flagged() {
        assert_eq!(
            run("1,01/04/2025,S,C2,N1,U4,PR1,,,,,,\n2,01/04/2025,S,C2,N1,U4,PR1,,,,,ZZ9 9ZZ,\n"),
            vec![
                cell("Episodes", 2, "PL_POST"),
                cell("Episodes", 3, "PL_POST")
            ]
        );
    }
}
