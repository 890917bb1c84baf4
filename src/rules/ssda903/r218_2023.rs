//! # 218: Ofsted URN missing (2022/23 and 2023/24)
//!
//! Flags an episode in the year (ending on or after 1 April, or open) with no URN whose
//! placement type is Ofsted-registered — anything but H5, P1, P2, P3, R1, R2, R5, T0-T4 and Z1 —
//! and whose placement is in England (PL_LA does not start with N, W, S or C: Northern Ireland,
//! Wales, Scotland, outside the UK).
//!
//! ## Why
//! Placements with registered providers in England must name the provider's URN so that the DfE
//! can link them to Ofsted's register. A placement whose PL_LA cannot be derived is treated as in
//! England (the reference validator exempts it by accident: see `tests/oracle/divergences.md`).
//!
//! ## Example
//! `PLACE=K2, URN=1234567` passes, as does `PLACE=K2, PL_POST=CF10 1AA` (Wales) without a URN;
//! `PLACE=K2, PL_POST=LS1 1UR, URN=` is flagged on the URN.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An Ofsted-registered placement in England in the year has no URN (2022/23 list).
    pub const RULE: Rule903 = {
        code: "218",
        message: "Ofsted Unique reference number (URN) is required.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["URN"],
        years: [2023, 2024],
        needs: [Postcodes],
        check: check,
    }
}

const EXEMPT: [&str; 13] = [
    "H5", "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1",
];

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_missing_urns(data, flags, &EXEMPT, outside_england_by_letter);
}

/// Until 2024/25: a PL_LA starting N, W, S or C is outside England.
pub(super) fn outside_england_by_letter(pl_la: &str) -> bool {
    pl_la.starts_with(['N', 'W', 'S', 'C'])
}

/// Flags episodes in the year without a URN whose PLACE is not in `exempt` (a blank PLACE is not
/// exempt) and whose PL_LA is not `outside_england`.
pub(super) fn flag_missing_urns(
    data: &Ssda903<'_>,
    flags: &mut Flags,
    exempt: &[&str],
    outside_england: fn(&str) -> bool,
) {
    let start = data.collection_start();
    for child in data.children() {
        for episode in child.episodes() {
            let (place, dec) = (episode.place(), episode.dec());
            let in_year = dec.is_blank() || dec.ok().is_some_and(|d| d >= start);
            if in_year
                && episode.urn().is_blank()
                && !place.is_invalid()
                && !place.is_in(exempt)
                && !data.placement(&episode).la.is_some_and(outside_england)
            {
                flags.cells([episode.at("URN"), episode.at("PLACE")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rules::ssda903::fixture::{Flagged, cells, flagged_with_postcodes};

    fn run(rows: &str) -> Flagged {
        flagged_with_postcodes(&RULE, 2024, rows, None)
    }

    #[test]
    fn urns_exempt_types_outside_england_and_past_episodes_pass() {
        assert!(run(
            "1,01/04/2023,S,C2,N1,K2,PR4,,,,,LS1 1UR,1234567\n2,01/04/2023,S,C2,N1,H5,PR4,,,,,LS1 1UR,\n\
             3,01/04/2023,S,C2,N1,K2,PR4,,,,,CF10 1AA,\n4,01/04/2022,S,C2,N1,K2,PR4,01/03/2023,E8,,,LS1 1UR,\n"
        )
        .is_empty());
    }

    #[test]
    fn a_registered_placement_in_england_without_a_urn_is_flagged() {
        assert_eq!(
            run(
                "1,01/04/2023,S,C2,N1,K2,PR4,,,,,LS1 1UR,\n2,01/04/2023,S,C2,N1,U4,PR4,,,,,ZZ9 9ZZ,\n"
            ),
            vec![
                cells("Episodes", 2, &["URN", "PLACE"]),
                cells("Episodes", 3, &["URN", "PLACE"])
            ]
        );
    }
}
