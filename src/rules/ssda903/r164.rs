//! # 164: placement distance cannot be derived
//!
//! Flags an episode whose home and placement postcodes are both given but do not give a valid
//! distance: one of them is not in the ONS postcode directory, or the distance falls outside
//! 0.0-999.9 miles. Short breaks (V3, V4) and children who are or were UASC (a UASC row this
//! year, or last year when last year's return is loaded) are excused: the DfE collects no
//! distance for them.
//!
//! ## Why
//! PL_DISTANCE is derived by the DfE from the two postcodes; a postcode that cannot be found
//! leaves the child out of the placement-distance statistics. The reference validator checks only
//! the range of distances it could compute, which no pair of GB postcodes can leave, so it never
//! fires; the DfE's message ("Please check a valid postcode has been entered") is about the
//! postcodes (see `tests/oracle/divergences.md`). Northern Ireland postcodes and postcodes without
//! a grid reference (Channel Islands, Isle of Man) are valid but give no distance: not flagged.
//!
//! ## Example
//! `HOME_POST=M1 1AE, PL_POST=LS1 1UR` (35.7 miles) passes; `PL_POST=ZZ9 9ZZ` is flagged on the
//! placement postcode.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::{PostcodeStatus, is_uasc};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// Both postcodes given, but no valid distance between them.
    pub const RULE: Rule903 = {
        code: "164",
        message: "Distance is not valid. Please check a valid postcode has been entered. [NOTE: This check will result in false positives for children formerly UASC not identified as such in loaded data]",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PL_DISTANCE"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [Postcodes],
        check: check,
    }
}

const FURTHEST: f64 = 999.9;

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        if is_uasc(Some(&child)) || is_uasc(data.previous_child(child.id()).as_ref()) {
            continue;
        }
        for episode in child.episodes() {
            if episode.ls().is_in(&["V3", "V4"])
                || episode.home_post().is_blank()
                || episode.pl_post().is_blank()
            {
                continue;
            }
            let placement = data.placement(&episode);
            match placement.distance {
                Some(distance) if distance.value() > FURTHEST => {
                    flags.cells([episode.at("HOME_POST"), episode.at("PL_POST")]);
                }
                Some(_) => {}
                None => flags.cells(
                    [
                        ("HOME_POST", placement.home_post),
                        ("PL_POST", placement.pl_post),
                    ]
                    .into_iter()
                    .filter(|(_, status)| *status == PostcodeStatus::NotFound)
                    .map(|(column, _)| episode.at(column)),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::context::testing::with_postcodes;
    use crate::rules::ssda903::fixture::{EPISODES, UASC, cell, cells, dataset, flagged_in};
    use crate::source::Role;

    const LA: Option<&str> = Some("E08000003");

    #[test]
    fn known_postcodes_and_excused_episodes_pass() {
        let this = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!(
                    "{EPISODES}1,01/04/2025,S,C2,N1,U4,PR1,,,,M1 1AE,LS1 1UR,\n\
                 2,01/04/2025,S,V3,N1,K2,PR1,02/04/2025,E8,,M1 1AE,ZZ9 9ZZ,\n\
                 3,01/04/2025,S,C2,N1,U4,PR1,,,,ZZ9 9ZZ,M1 1AE,\n\
                 4,01/04/2025,S,C2,N1,U4,PR1,,,,M1 1AE,BT1 1AA,\n\
                 5,01/04/2025,S,C2,N1,U4,PR1,,,,M1 1AE,,\n"
                ),
                &format!("{UASC}3,M,01/02/2009,01/02/2027\n"),
            ],
        );
        let context = with_postcodes(&this, None, LA);
        let data = Ssda903::new(&this, None, LA).with_context(&context);
        assert!(flagged_in(&RULE, &data).is_empty());
    }

    #[test]
    fn unknown_postcodes_are_flagged() {
        let this = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,U4,PR1,,,,M1 1AE,ZZ9 9ZZ,\n2,01/04/2025,S,C2,N1,U4,PR1,,,,ZZ1 1ZZ,ZZ9 9ZZ,\n"
            )],
        );
        let context = with_postcodes(&this, None, LA);
        let data = Ssda903::new(&this, None, LA).with_context(&context);
        assert_eq!(
            flagged_in(&RULE, &data),
            vec![
                cell("Episodes", 2, "PL_POST"),
                cells("Episodes", 3, &["HOME_POST", "PL_POST"])
            ]
        );
    }
}
