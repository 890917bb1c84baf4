//! # 207: mother status withdrawn since last year
//!
//! Flags a child in care this year (with an episode) who was recorded as a mother (MOTHER = 1)
//! last year and is not recorded as one this year.
//!
//! ## Why
//! Once a young person is a mother she remains one: a 1 last year and 0 or blank this year is a
//! keying error in one of the years. A value that is not valid this year is left to rule 166.
//!
//! ## Example
//! `MOTHER=1` in both years passes; `1` last year and `0` this year is flagged on both cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::headers_with_last;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A mother last year is not recorded as a mother this year.
    pub const RULE: Rule903 = {
        code: "207",
        message: "Mother status for the current year disagrees with the mother status already recorded for this child.",
        severity: Error,
        tables: ["Episodes", "Header", "Header_last"],
        fields: ["MOTHER"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [PreviousYear],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for (child, header, last) in headers_with_last(data) {
        let mother = header.mother();
        if last.mother().is("1")
            && !mother.is_invalid()
            && !mother.is("1")
            && !child.episodes().is_empty()
        {
            flags.cells([header.at("MOTHER"), last.at("MOTHER")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{EPISODES, HEADER, flagged_after};

    const EPISODE: &str = "1,01/04/2025,S,C2,N1,U4,PR1,,,,,,\n";

    #[test]
    fn mothers_who_stay_mothers_pass() {
        assert!(flagged_after(&RULE, 2026, &[&format!(
                "{HEADER}1,F,01/02/2008,WBRI,UN1,1,01/01/2024\n2,F,01/02/2008,WBRI,UN1,0,\n"
            )], &[
                &format!(
                    "{HEADER}1,F,01/02/2008,WBRI,UN1,1,01/01/2024\n2,F,01/02/2008,WBRI,UN1,1,01/01/2026\n"
                ),
                &format!("{EPISODES}{EPISODE}"),
            ]).is_empty());
    }

    #[test]
    fn a_withdrawn_mother_status_is_flagged_for_children_in_care() {
        assert_eq!(
            flagged_after(
                &RULE,
                2026,
                &[&format!(
                    "{HEADER}1,F,01/02/2008,WBRI,UN1,1,01/01/2024\n2,F,01/02/2008,WBRI,UN1,1,01/01/2024\n"
                )],
                &[
                    &format!("{HEADER}1,F,01/02/2008,WBRI,UN1,,\n2,F,01/02/2008,WBRI,UN1,0,\n"),
                    &format!("{EPISODES}{EPISODE}"),
                ]
            ),
            vec![vec![
                (Year::This, "Header".to_string(), 2, "MOTHER".to_string()),
                (
                    Year::Previous,
                    "Header".to_string(),
                    2,
                    "MOTHER".to_string()
                )
            ]]
        );
    }
}
