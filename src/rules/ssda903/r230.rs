//! # 230: URN missing for an English H5 placement from 28 October 2023 (2023/24)
//!
//! Flags an H5 (semi-independent living) episode open on or after 29 October 2023 — no end date,
//! or ended on or after that day — that has no Ofsted URN (blank or the `XXXXXXX` sentinel), when
//! the placement is in England (PL_LA does not start with N, W, S or C).
//!
//! ## Why
//! Supported accommodation in England has had to be registered with Ofsted since 28 October
//! 2023, so such placements from then on have a URN. A placement whose PL_LA cannot be derived
//! is treated as in England, as for rule 218 (see `tests/oracle/divergences.md`).
//!
//! ## Example
//! `PLACE=H5, DEC=01/10/2023, URN=` passes; `PLACE=H5, DEC=, PL_POST=LS1 1UR, URN=` is flagged.

use chrono::NaiveDate;

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::ofsted_urn;
use crate::rules::ssda903::r218_2023::outside_england_by_letter;
use crate::rules::ssda903::{Rule903, Ssda903};
use crate::table::Val;

rule! {
    /// An English H5 placement from 29 October 2023 has no URN.
    pub const RULE: Rule903 = {
        code: "230",
        message: "Ofsted Unique reference number (URN) is required for any English H5 placements from 28 October 2023.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PLACE", "DEC", "URN"],
        years: [2024],
        needs: [Postcodes],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let registered_from = NaiveDate::from_ymd_opt(2023, 10, 29).expect("a date");
    for child in data.children() {
        for episode in child.episodes() {
            let open_from = match episode.dec() {
                Val::Ok(dec) => dec >= registered_from,
                Val::Blank => true,
                Val::Invalid => false,
            };
            let outside_england = data
                .placement(&episode)
                .la
                .is_some_and(outside_england_by_letter);
            if episode.place().is("H5")
                && open_from
                && ofsted_urn(&episode).is_none()
                && !episode.urn().is_invalid()
                && !outside_england
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
    fn registered_earlier_or_outside_england_placements_pass() {
        assert!(run(
            "1,01/04/2023,S,C2,N1,H5,PR4,01/10/2023,E8,,,LS1 1UR,\n2,01/04/2023,S,C2,N1,H5,PR4,,,,,CF10 1AA,\n\
             3,01/04/2023,S,C2,N1,H5,PR4,,,,,LS1 1UR,SC123456\n"
        )
        .is_empty());
    }

    #[test]
    fn english_h5_placements_without_a_urn_are_flagged() {
        assert_eq!(
            run(
                "1,01/04/2023,S,C2,N1,H5,PR4,,,,,LS1 1UR,\n2,01/04/2023,S,C2,N1,H5,PR4,29/10/2023,E8,,,LS1 1UR,XXXXXXX\n"
            ),
            vec![
                cells("Episodes", 2, &["URN", "PLACE"]),
                cells("Episodes", 3, &["URN", "PLACE"])
            ]
        );
    }
}
