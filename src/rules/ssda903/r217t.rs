//! # 217t: placement type P2 after 28 October 2023 (2023/24)
//!
//! Flags an episode with placement type P2 (independent living) that was still open after
//! 28 October 2023: it has no end date or ended after that day.
//!
//! ## Why
//! From 28 October 2023 supported accommodation for looked-after children must be registered
//! with Ofsted, and P2 was withdrawn for placements from then on (K3 replaced it in 2024/25). The
//! DfE ran this as a transitional check in 2023/24 only.
//!
//! ## Example
//! `PLACE=P2, DEC=27/10/2023` passes; `PLACE=P2, DEC=29/10/2023` or an open P2 episode is flagged.

use chrono::NaiveDate;

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};
use crate::table::Val;

rule! {
    /// A P2 placement open after 28 October 2023.
    pub const RULE: Rule903 = {
        code: "217t",
        message: "Placement type 'P2' is not a valid placement type from 28 October 2023.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PLACE", "DECOM"],
        years: [2024],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let withdrawn = NaiveDate::from_ymd_opt(2023, 10, 28).expect("a date");
    for child in data.children() {
        for episode in child.episodes() {
            let open_after = match episode.dec() {
                Val::Ok(dec) => dec > withdrawn,
                Val::Blank => true,
                Val::Invalid => false,
            };
            if episode.place().is("P2") && open_after {
                flags.cells([episode.at("PLACE"), episode.at("DEC")]);
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
    fn p2_ending_by_28_october_2023_passes() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2023,S,C2,N1,P2,PR4,28/10/2023,E8,,,,\n2,01/04/2023,S,C2,N1,U4,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn p2_open_after_28_october_2023_is_flagged() {
        let data = dataset(
            2024,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2023,S,C2,N1,P2,PR4,29/10/2023,E8,,,,\n2,01/04/2023,S,C2,N1,P2,PR4,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cells("Episodes", 2, &["PLACE", "DEC"]),
                cells("Episodes", 3, &["PLACE", "DEC"])
            ]
        );
    }
}
