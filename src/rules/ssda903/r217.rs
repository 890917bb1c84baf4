//! # 217: adoption with current foster carers must start a new episode of the right kind
//!
//! Flags an episode from 1 April 2015 whose placement is A3 or A5 (placed for adoption with the
//! current foster carers) and whose reason for new episode is not S, T or U.
//!
//! ## Why
//! A child placed for adoption with the foster carers they already live with changes placement
//! type but not carer: the episode must be a new period of care (S), a change of placement with the
//! same carers (T) or that plus a change of legal status (U). P or B would mean new carers.
//!
//! ## Example
//! `PLACE=A3, RNE=T` passes; `PLACE=A5, RNE=P` is flagged.

use chrono::NaiveDate;

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An A3/A5 episode from 1 April 2015 has RNE other than S, T or U.
    pub const RULE: Rule903 = {
        code: "217",
        message: "Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a reason for new episode of S, T or U.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PLACE", "DECOM", "RNE"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let from = NaiveDate::from_ymd_opt(2015, 4, 1).expect("a date");
    for child in data.children() {
        for episode in child.episodes() {
            let rne = episode.rne();
            if episode.place().is_in(&["A3", "A5"])
                && episode.decom().ok().is_some_and(|d| d >= from)
                && !rne.is_invalid()
                && !rne.is_in(&["S", "T", "U"])
            {
                flags.cells([episode.at("RNE"), episode.at("PLACE")]);
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
    fn new_episodes_of_the_right_kind_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,T,E1,N1,A3,PR1,,,,,,\n2,01/04/2014,P,E1,N1,A5,PR1,,,,,,\n3,01/04/2025,P,E1,N1,A4,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_new_carer_reason_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,P,E1,N1,A5,PR1,,,,,,\n2,01/06/2025,B,E1,N1,A3,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cells("Episodes", 2, &["RNE", "PLACE"]),
                cells("Episodes", 3, &["RNE", "PLACE"])
            ]
        );
    }
}
