//! # 241: supported accommodation placed where the provider has no premises
//!
//! Flags a registered supported accommodation placement (K3) with an Ofsted URN (not
//! `XXXXXXX`) whose placement LA (PL_LA, from the placement postcode) is not one of the LAs in
//! which the provider has premises, according to the Ofsted provider lists (the LAs of its
//! settings' postcodes).
//!
//! ## Why
//! A supported accommodation provider is registered for premises in particular areas; a child
//! placed with it elsewhere means the URN or the placement postcode is wrong. The reference
//! validator instead flags every K3 placement outside the responsible LA, whatever the provider
//! (`spec/oracle-defects.md` A4): the DfE rule is about the provider's premises. URNs the lists do
//! not hold, and providers whose premises have no known postcode, are not judged.
//!
//! ## Example
//! A provider with premises in Leeds and Manchester: `PLACE=K3, PL_POST=LS1 1UR` passes;
//! `PL_POST=SW1A 1AA` is flagged on the URN and the placement postcode.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::provider_las;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A K3 placement's LA is not one where the provider has premises.
    pub const RULE: Rule903 = {
        code: "241",
        message: "LA of placement is not an LA the provider has premises.",
        severity: Error,
        tables: ["Episodes", "Provider Info"],
        fields: ["URN"],
        years: [2026, 2027],
        needs: [Postcodes, ProviderLists],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for (episode, providers) in data.episodes_with_urn() {
        if !episode.place().is("K3") {
            continue;
        }
        let Some(pl_la) = data.placement(&episode).la else {
            continue;
        };
        let premises = provider_las(providers);
        if !premises.is_empty() && !premises.contains(&pl_la) {
            flags.cells([episode.at("URN"), episode.at("PL_POST")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::context::ProviderLists;
    use crate::rules::ssda903::context::testing::{provider, with_postcodes_and_providers};
    use crate::rules::ssda903::fixture::{Flagged, cells, flagged_episodes};

    const LA: Option<&str> = Some("E08000003");

    fn run(rows: &str) -> Flagged {
        flagged_episodes(&RULE, 2026, rows, LA, |this| {
            with_postcodes_and_providers(
                this,
                LA,
                ProviderLists::of([
                    (
                        "3000001",
                        provider(&["K3"], &["PR4"], None, Some("LS1 1UR"), Some("E08000035")),
                    ),
                    (
                        "3000001",
                        provider(&["K3"], &["PR4"], None, Some("M1 1AE"), Some("E08000003")),
                    ),
                ]),
            )
        })
    }

    #[test]
    fn placements_where_the_provider_has_premises_pass() {
        assert!(run(
            "1,01/04/2025,S,C2,N1,K3,PR4,,,,,LS1 1UR,3000001\n2,01/04/2025,S,C2,N1,K3,PR4,,,,,SW1A 1AA,9999999\n\
             3,01/04/2025,S,C2,N1,K2,PR4,,,,,SW1A 1AA,3000001\n"
        )
        .is_empty());
    }

    #[test]
    fn a_placement_where_the_provider_has_no_premises_is_flagged() {
        assert_eq!(
            run("1,01/04/2025,S,C2,N1,K3,PR4,,,,,SW1A 1AA,3000001\n"),
            vec![cells("Episodes", 2, &["URN", "PL_POST"])]
        );
    }
}
