//! # 205A: UASC status ended without a date last year
//!
//! Flags a child who was UASC in last year's return but is not UASC this year, when last year's
//! date UASC ceased (DUC) does not fall in last year's collection period.
//!
//! ## Why
//! If the status ended, last year's return should already have said when, within that year;
//! otherwise one of the two years is wrong.
//!
//! In the CSV return a child is UASC when it has a row in the UASC table (`spec/ssda903.md`
//! §5.1). The reference validator looks only at this year's UASC rows and so never finds a child
//! that is no longer UASC (see `tests/oracle/divergences.md`).
//!
//! ## Example
//! For 2025/26: UASC last year with DUC 01/10/2024 and no UASC row this year passes; the same
//! with DUC blank, or DUC 01/10/2025, is flagged on this year's header and last year's DUC.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::children_with_last;
use crate::rules::ssda903::context::is_uasc;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// No longer UASC this year, but last year's DUC is not in last year's period.
    pub const RULE: Rule903 = {
        code: "205A",
        message: "Child identified as UASC last year is no longer UASC this year, but date UASC ceased in both years does not support this.",
        severity: Error,
        tables: ["UASC", "UASC_last", "Header", "Header_last"],
        fields: ["CHILD", "UASC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [PreviousYear],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let last_year = data.year.previous();
    for (child, last) in children_with_last(data) {
        let Some(header) = child.header() else {
            continue;
        };
        if is_uasc(Some(&child)) || !is_uasc(Some(&last)) {
            continue;
        }
        for uasc in last.uasc() {
            let duc = uasc.duc();
            if !duc.is_invalid() && !duc.ok().is_some_and(|d| last_year.contains(d)) {
                flags.cells([header.at("CHILD"), uasc.at("DUC")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{HEADER, UASC, dataset, flagged};
    use crate::source::Role;

    fn run(last_duc: &str, uasc_this_year: bool) -> Vec<Vec<(Year, String, u32, String)>> {
        let header = format!("{HEADER}1,M,01/02/2008,WBRI,UN2,,\n");
        let last = dataset(
            2025,
            Role::PreviousYear,
            &[&header, &format!("{UASC}1,M,01/02/2008,{last_duc}\n")],
        );
        let uasc = format!("{UASC}1,M,01/02/2008,01/02/2026\n");
        let mut files = vec![header.as_str()];
        if uasc_this_year {
            files.push(&uasc);
        }
        let this = dataset(2026, Role::ThisYear, &files);
        flagged(&RULE, &this, Some(&last), None)
    }

    #[test]
    fn status_ending_last_year_or_continuing_passes() {
        assert!(run("01/10/2024", false).is_empty());
        assert!(run("", true).is_empty());
    }

    #[test]
    fn status_ending_without_a_date_last_year_is_flagged() {
        let expected = vec![vec![
            (Year::This, "Header".to_string(), 2, "CHILD".to_string()),
            (Year::Previous, "UASC".to_string(), 2, "DUC".to_string()),
        ]];
        assert_eq!(run("", false), expected);
        assert_eq!(run("01/10/2025", false), expected);
    }
}
