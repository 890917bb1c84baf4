//! # 165: mother status is invalid
//!
//! For each child with a Header and at least one episode that is not a short break (LS other
//! than V3/V4), checks that `MOTHER`:
//!
//! - when given, is `0` or `1`;
//! - is blank for a male child;
//! - is given for a female child with such an episode in the collection year;
//! - is blank for a female child with no such episode in the year who has care-leaver (OC3) data.
//!
//! Male and female are the year's SEX codes (`1`/`2` until 2023/24, `M`/`F` from 2024/25). The
//! reference validator still tests `1`/`2` in every year, so from 2024/25 it never flags the
//! male and female conditions; this rule follows the DfE intent (`tests/oracle/divergences.md`).
//! The Header's MOTHER is flagged with SEX, and with the OC3 row for the care-leaver condition.
//!
//! ## Why
//! Looked-after children who are mothers are a published group with their own support duties;
//! the status is collected for every girl in care during the year.
//!
//! ## Example
//! In 2025/26 a girl in care since 2024 with `MOTHER=0` passes; with `MOTHER` blank she is
//! flagged, and so is a boy with `MOTHER=0`.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{SHORT_BREAKS, in_year, sex_codes};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// MOTHER is invalid, given for a boy, or missing for a girl in care during the year.
    pub const RULE: Rule903 = {
        code: "165",
        message: "Data entry for mother status is invalid.",
        severity: Error,
        tables: ["Header", "Episodes", "OC3"],
        fields: ["MOTHER", "SEX", "ACTIV", "ACCOM", "IN_TOUCH", "DECOM"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let (male, female) = sex_codes(data.year);
    for child in data.children() {
        let episodes: Vec<_> = child
            .episodes()
            .into_iter()
            .filter(|e| !e.ls().is_in(&SHORT_BREAKS))
            .collect();
        let Some(header) = child.header() else {
            continue;
        };
        if episodes.is_empty() {
            continue;
        }
        let in_care_this_year = episodes.iter().any(|e| in_year(e, data.year));
        let mother = header.mother();
        let sex = header.sex();
        let leaver_rows: Vec<_> = child
            .oc3()
            .into_iter()
            .filter(|r| {
                r.in_touch().is_present() || r.activ().is_present() || r.accom().is_present()
            })
            .collect();
        let mut cells = vec![header.at("MOTHER"), header.at("SEX")];
        let wrong = if mother.is_invalid() || (mother.is_present() && sex.is(male)) {
            true
        } else if sex.is(female) && mother.is_blank() {
            in_care_this_year
        } else if sex.is(female) && !in_care_this_year && !leaver_rows.is_empty() {
            cells.extend(
                leaver_rows
                    .iter()
                    .flat_map(|r| [r.at("IN_TOUCH"), r.at("ACTIV"), r.at("ACCOM")]),
            );
            true
        } else {
            false
        };
        if wrong {
            flags.cells(cells);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, HEADER, OC3, cells, dataset, flagged};
    use crate::source::Role;

    const EPISODE_ROWS: &str = "1,01/01/2024,S,C2,N1,U1,PR1,,,,,,\n2,01/01/2024,S,C2,N1,U1,PR1,,,,,,\n3,01/01/2024,S,V3,N1,U1,PR1,,,,,,\n";

    #[test]
    fn mothers_status_given_for_girls_only_passes() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!(
                    "{HEADER}1,F,01/02/2010,WBRI,UN1,0,\n2,M,01/02/2010,WBRI,UN1,,\n3,F,01/02/2010,WBRI,UN1,,\n"
                ),
                &format!("{EPISODES}{EPISODE_ROWS}"),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn missing_for_a_girl_or_given_for_a_boy_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!(
                    "{HEADER}1,F,01/02/2010,WBRI,UN1,,\n2,M,01/02/2010,WBRI,UN1,0,\n3,F,01/02/2010,WBRI,UN1,,\n"
                ),
                &format!("{EPISODES}{EPISODE_ROWS}"),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cells("Header", 2, &["MOTHER", "SEX"]),
                cells("Header", 3, &["MOTHER", "SEX"])
            ]
        );
    }

    #[test]
    fn a_former_girl_in_care_with_care_leaver_data_is_flagged_with_the_oc3_row() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{HEADER}1,F,01/02/2007,WBRI,UN1,0,\n"),
                &format!("{EPISODES}1,01/01/2020,S,C2,N1,U1,PR1,01/02/2024,E8,,,,\n"),
                &format!("{OC3}1,01/02/2007,YES,F1,B1\n"),
            ],
        );
        let mut expected = cells("Header", 2, &["MOTHER", "SEX"]);
        expected.extend(cells("OC3", 2, &["IN_TOUCH", "ACTIV", "ACCOM"]));
        assert_eq!(flagged(&RULE, &data, None, None), vec![expected]);
    }
}
