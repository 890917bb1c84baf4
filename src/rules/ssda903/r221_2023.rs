//! # 221: URN does not match the placement postcode (2022/23)
//!
//! Flags an episode (not a short break, V3/V4) at a children's home, secure home, family centre
//! or residential school (K1, K2, R3, S1) with an Ofsted URN and a placement postcode, when the
//! postcode is not the postcode of any of that URN's settings in the Ofsted provider lists
//! (including a URN the lists do not hold). Later versions change the placement types.
//!
//! ## Why
//! For these placements the child lives at the registered setting, so its postcode must match.
//! Postcodes are compared without case or spaces.
//!
//! ## Example
//! URN 1234567 at M1 1AE with `PL_POST=m11ae` passes; with `PL_POST=LS1 1UR` it is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::postcodes;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The placement postcode is not the URN's setting (K1, K2, R3, S1).
    pub const RULE: Rule903 = {
        code: "221",
        message: "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement postcode provided.",
        severity: Error,
        tables: ["Episodes", "Provider Info"],
        fields: ["PL_POST"],
        years: [2023],
        needs: [ProviderLists],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_postcodes(data, flags, &["K1", "K2", "R3", "S1"]);
}

/// Flags episodes at `places` whose placement postcode is not one of the URN's settings.
pub(super) fn flag_postcodes(data: &Ssda903<'_>, flags: &mut Flags, places: &[&str]) {
    for (episode, providers) in data.episodes_with_urn() {
        let Some(pl_post) = episode.pl_post().ok() else {
            continue;
        };
        if episode.ls().is_in(&["V3", "V4"]) || !episode.place().is_in(places) {
            continue;
        }
        let pl_post = postcodes::normalise(pl_post);
        let at_setting = providers
            .iter()
            .any(|p| p.postcode.as_deref() == Some(pl_post.as_str()));
        if !at_setting {
            flags.cells([episode.at("PL_POST"), episode.at("URN")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::context::ProviderLists;
    use crate::rules::ssda903::context::testing::provider;
    use crate::rules::ssda903::fixture::{Flagged, cells, flagged_with_providers};

    fn run(rows: &str) -> Flagged {
        flagged_with_providers(
            &RULE,
            2023,
            rows,
            None,
            ProviderLists::of([(
                "1234567",
                provider(&["K2"], &["PR4"], None, Some("M1 1AE"), None),
            )]),
        )
    }

    #[test]
    fn the_setting_postcode_and_other_placement_types_pass() {
        assert!(run("1,01/04/2022,S,C2,N1,K2,PR4,,,,,m11ae,1234567\n2,01/04/2022,S,C2,N1,U4,PR4,,,,,LS1 1UR,1234567\n3,01/04/2022,S,V3,N1,K2,PR4,,,,,LS1 1UR,1234567\n").is_empty());
    }

    #[test]
    fn another_postcode_is_flagged() {
        assert_eq!(
            run("1,01/04/2022,S,C2,N1,K2,PR4,,,,,LS1 1UR,1234567\n"),
            vec![cells("Episodes", 2, &["PL_POST", "URN"])]
        );
    }
}
