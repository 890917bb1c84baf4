//! # 229: placement provider code disagrees with where the provider is (2022/23 to 2024/25)
//!
//! For an episode with an Ofsted URN (not `XXXXXXX`), flags provider code PR1 (the LA's own
//! provision) when none of the URN's settings is in the responsible LA, and PR2 (another LA's
//! provision) when one of them is.
//!
//! ## Why
//! Own provision is inside the LA's area and another LA's provision outside it. The settings'
//! LAs are inferred from their postcodes, as the DfE's note says, so they can be wrong for a
//! provider serving an area it is not in. URNs the lists do not hold, or whose settings have no
//! known postcode, are not judged.
//!
//! ## Example
//! For Manchester (E08000003), PR1 with a Manchester setting passes; PR1 with a Leeds setting,
//! and PR2 with a Manchester setting, are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::provider_las;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// PR1 outside the LA, or PR2 inside it, by the URN's settings.
    pub const RULE: Rule903 = {
        code: "229",
        message: "Placement provider does not match between the placing authority and the local authority code of the provider. [NOTE: The provider's LA code is inferred from the its postcode, and may be inaccurate in some cases.]",
        severity: Error,
        tables: ["Episodes", "Provider Info"],
        fields: ["URN", "PLACE_PROVIDER"],
        years: [2023, 2024, 2025],
        needs: [LaCode, ProviderLists],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_provider_areas(data, flags, &[]);
}

/// Flags PR1/PR2 episodes whose URN's settings contradict them, skipping PLACE in `exempt`.
pub(super) fn flag_provider_areas(data: &Ssda903<'_>, flags: &mut Flags, exempt: &[&str]) {
    let Some(own) = data.la_code else {
        return;
    };
    for (episode, providers) in data.episodes_with_urn() {
        if episode.place().is_in(exempt) {
            continue;
        }
        let las = provider_las(providers);
        if las.is_empty() {
            continue;
        }
        let in_area = las.contains(&own);
        let provider = episode.place_provider();
        if (provider.is("PR1") && !in_area) || (provider.is("PR2") && in_area) {
            flags.cells([episode.at("PLACE_PROVIDER"), episode.at("URN")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::context::ProviderLists;
    use crate::rules::ssda903::context::testing::provider;
    use crate::rules::ssda903::fixture::{Flagged, cells, flagged_with_providers};

    const LA: Option<&str> = Some("E08000003");

    fn run(rows: &str) -> Flagged {
        flagged_with_providers(
            &RULE,
            2025,
            rows,
            LA,
            ProviderLists::of([
                (
                    "1111111",
                    provider(&["K2"], &["PR1"], None, None, Some("E08000003")),
                ),
                (
                    "2222222",
                    provider(&["K2"], &["PR2"], None, None, Some("E08000035")),
                ),
                ("3333333", provider(&["K2"], &["PR2"], None, None, None)),
            ]),
        )
    }

    #[test]
    fn providers_on_the_right_side_of_the_boundary_pass() {
        assert!(run(
            "1,01/04/2024,S,C2,N1,K2,PR1,,,,,,1111111\n2,01/04/2024,S,C2,N1,K2,PR2,,,,,,2222222\n\
             3,01/04/2024,S,C2,N1,K2,PR1,,,,,,3333333\n4,01/04/2024,S,C2,N1,K2,PR4,,,,,,2222222\n"
        )
        .is_empty());
    }

    #[test]
    fn own_provision_elsewhere_and_other_provision_here_are_flagged() {
        assert_eq!(
            run(
                "1,01/04/2024,S,C2,N1,K2,PR1,,,,,,2222222\n2,01/04/2024,S,C2,N1,K2,PR2,,,,,,1111111\n"
            ),
            vec![
                cells("Episodes", 2, &["PLACE_PROVIDER", "URN"]),
                cells("Episodes", 3, &["PLACE_PROVIDER", "URN"])
            ]
        );
    }
}
