//! # 242: the regional adoption agency URN used for another placement type
//!
//! Flags an episode whose URN is `XXXXXXX` but whose placement is not an adoption or foster
//! placement (A3-A6, U1-U6).
//!
//! ## Why
//! `XXXXXXX` stands in for a URN only when a regional adoption agency made the placement, which
//! is always an adoption or fostering placement; elsewhere the real Ofsted URN is required.
//!
//! ## Example
//! `PLACE=A4, URN=XXXXXXX` passes; `PLACE=K2, URN=XXXXXXX` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::RAA_URN;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// URN `XXXXXXX` on a placement other than A3-A6 or U1-U6.
    pub const RULE: Rule903 = {
        code: "242",
        message: "URN = 'XXXXXXX' can only be used for regional adoption agencies",
        severity: Error,
        tables: ["Episodes"],
        fields: ["URN"],
        years: [2026, 2027],
        needs: [],
        check: check,
    }
}

const ADOPTION_AND_FOSTERING: [&str; 10] =
    ["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"];

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for episode in child.episodes() {
            let place = episode.place();
            if episode
                .urn()
                .ok()
                .is_some_and(|u| u.eq_ignore_ascii_case(RAA_URN))
                && !place.is_invalid()
                && !place.is_in(&ADOPTION_AND_FOSTERING)
            {
                flags.cells([episode.at("URN"), episode.at("PLACE")]);
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
    fn adoption_and_foster_placements_may_use_it() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,E1,N1,A4,PR1,,,,,,XXXXXXX\n2,01/04/2025,S,C2,N1,U1,PR1,,,,,,xxxxxxx\n3,01/04/2025,S,C2,N1,K2,PR4,,,,,,1234567\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn other_placements_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,S,C2,N1,K2,PR4,,,,,,XXXXXXX\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("Episodes", 2, &["URN", "PLACE"])]
        );
    }
}
