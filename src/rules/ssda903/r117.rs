//! # 117: adoption decision after the year or after the child left care
//!
//! Checks that a decision that the child should be placed for adoption (`DATE_PLACED`), and a
//! decision that it should no longer be (`DATE_PLACED_CEASED`), are not after 31 March of the
//! collection year, nor after the end (`DEC`) of the child's latest episode that did not end in a
//! continuation (`REC` other than `X1`).
//!
//! Each offending PlacedAdoption row is flagged together with that latest episode. A child with no
//! such episode (all its episodes end in X1, or none has a readable DECOM) is not checked.
//!
//! ## Why
//! The return describes what happened up to 31 March while the child was looked after; a
//! decision dated later is a typing error or belongs to another return.
//!
//! ## Example
//! Latest episode `DEC=01/09/2025, REC=E11`: `DATE_PLACED=01/05/2025` passes;
//! `DATE_PLACED=01/10/2025` (after DEC) is flagged, as is `DATE_PLACED_CEASED=01/04/2026` (after
//! 31 March 2026).

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::latest_episode;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An adoption decision is dated after the year or after the child's last episode ended.
    pub const RULE: Rule903 = {
        code: "117",
        message: "Date of decision that a child should/should no longer be placed for adoption is beyond the current collection year or after the child ceased to be looked after.",
        severity: Error,
        tables: ["Episodes", "PlacedAdoption"],
        fields: ["DATE_PLACED_CEASED", "DATE_PLACED", "DEC", "REC", "DECOM"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let end = data.collection_end();
    for child in data.children() {
        let placed = child.placed_adoptions();
        if placed.is_empty() {
            continue;
        }
        let Some(last) = latest_episode(child.episodes().into_iter().filter(|e| !e.rec().is("X1")))
        else {
            continue;
        };
        let dec = last.dec().ok();
        let too_late = |date: Option<chrono::NaiveDate>| {
            date.is_some_and(|d| d > end || dec.is_some_and(|dec| d > dec))
        };
        for row in placed {
            let placed_late = too_late(row.date_placed().ok());
            let ceased_late = too_late(row.date_placed_ceased().ok());
            if placed_late || ceased_late {
                let mut cells = Vec::new();
                if placed_late {
                    cells.push(row.at("DATE_PLACED"));
                }
                if ceased_late {
                    cells.push(row.at("DATE_PLACED_CEASED"));
                }
                cells.extend([last.at("DECOM"), last.at("DEC"), last.at("REC")]);
                flags.cells(cells);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{EPISODES, PLACED_ADOPTION, dataset, flagged};
    use crate::source::Role;

    fn finding(pa_row: u32, pa_fields: &[&str], ep_row: u32) -> Vec<(Year, String, u32, String)> {
        let mut cells: Vec<_> = pa_fields
            .iter()
            .map(|f| {
                (
                    Year::This,
                    "PlacedAdoption".to_string(),
                    pa_row,
                    f.to_string(),
                )
            })
            .collect();
        for f in ["DECOM", "DEC", "REC"] {
            cells.push((Year::This, "Episodes".to_string(), ep_row, f.to_string()));
        }
        cells
    }

    #[test]
    fn decisions_within_the_year_and_care_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!(
                    "{EPISODES}1,01/01/2024,S,E1,N1,A3,PR1,01/06/2025,X1,,,,\n1,01/06/2025,P,E1,N1,A4,PR1,01/09/2025,E11,,,,\n2,01/01/2024,S,C2,N1,U1,PR1,,,,,,\n"
                ),
                &format!(
                    "{PLACED_ADOPTION}1,01/02/2022,01/05/2025,,\n2,01/02/2022,01/05/2025,01/03/2026,RD1\n"
                ),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn decisions_after_leaving_care_or_the_year_are_flagged_with_the_last_episode() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!(
                    "{EPISODES}1,01/01/2024,S,E1,N1,A3,PR1,01/06/2025,X1,,,,\n1,01/06/2025,P,E1,N1,A4,PR1,01/09/2025,E11,,,,\n2,01/01/2024,S,C2,N1,U1,PR1,,,,,,\n"
                ),
                &format!(
                    "{PLACED_ADOPTION}1,01/02/2022,01/10/2025,,\n2,01/02/2022,01/05/2025,01/04/2026,RD1\n"
                ),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                finding(2, &["DATE_PLACED"], 3),
                finding(3, &["DATE_PLACED_CEASED"], 4)
            ]
        );
    }
}
