//! # 219: URN does not match the placement type
//!
//! Flags an episode whose Ofsted URN (not the `XXXXXXX` sentinel) is not registered, in the
//! Ofsted provider lists, for the episode's placement type — including a URN the lists do not
//! hold at all.
//!
//! ## Why
//! Ofsted registers each provider for particular kinds of placement (a children's home for K2,
//! a fostering agency for U1-U6...). A mismatch means the URN or the placement type is wrong.
//! A placement type that is not a valid code is left to rule 146.
//!
//! ## Example
//! URN 1234567 registered for `K2/R1` with `PLACE=K2` passes; with `PLACE=U4` it is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The URN is not registered for the placement type.
    pub const RULE: Rule903 = {
        code: "219",
        message: "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement type recorded.",
        severity: Error,
        tables: ["Episodes", "Provider Info"],
        fields: ["URN", "PLACE"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ProviderLists],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for (episode, providers) in data.episodes_with_urn() {
        let place = episode.place();
        if place.is_invalid() {
            continue;
        }
        let registered = place.ok().is_some_and(|place| {
            providers
                .iter()
                .any(|p| p.placement_codes.iter().any(|c| c == place))
        });
        if !registered {
            flags.cells([episode.at("URN"), episode.at("PLACE")]);
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
            2026,
            rows,
            None,
            ProviderLists::of([(
                "1234567",
                provider(&["K2", "R1"], &["PR4"], None, None, None),
            )]),
        )
    }

    #[test]
    fn registered_placement_types_pass() {
        assert!(run("1,01/04/2025,S,C2,N1,R1,PR4,,,,,,1234567\n2,01/04/2025,S,C2,N1,A4,PR1,,,,,,XXXXXXX\n3,01/04/2025,S,C2,N1,U4,PR1,,,,,,\n").is_empty());
    }

    #[test]
    fn other_types_and_unknown_urns_are_flagged() {
        assert_eq!(
            run(
                "1,01/04/2025,S,C2,N1,U4,PR4,,,,,,1234567\n2,01/04/2025,S,C2,N1,K2,PR4,,,,,,7654321\n"
            ),
            vec![
                cells("Episodes", 2, &["URN", "PLACE"]),
                cells("Episodes", 3, &["URN", "PLACE"])
            ]
        );
    }
}
