//! # 231: unaccompanied asylum-seeking child under 11 (query)
//!
//! Queries a child recorded as UASC (a row in the UASC table) who is under 11 on 31 March: born
//! after 31 March eleven years before.
//!
//! ## Why
//! Unaccompanied asylum-seeking children are generally older young people; a young UASC child
//! more often means a mistyped date of birth. The DfE asks for the date to be checked and, if it
//! is right, explained in a bypass request, so this is a query. (The reference validator reads a
//! column that does not exist and never runs this rule: `spec/oracle-defects.md` A3.)
//!
//! ## Example
//! For 2025/26, a UASC child born 31/03/2015 passes; one born 01/04/2015 is queried.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::is_uasc;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A UASC child is under 11 at 31 March.
    pub const RULE: Rule903 = {
        code: "231",
        message: "We expect that unaccompanied asylum seeking children are generally older young people. Please check the date of birth is correct. If the date of birth is correct then please provide details in a bypass request.",
        severity: Query,
        tables: ["Header", "UASC"],
        fields: ["DOB", "UASC"],
        years: [2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let end = data.collection_end();
    let Some(eleven_years_before) = end.checked_sub_months(chrono::Months::new(132)) else {
        return;
    };
    for child in data.children() {
        if !is_uasc(Some(&child)) {
            continue;
        }
        for header in child.headers() {
            if header
                .dob()
                .ok()
                .is_some_and(|dob| dob > eleven_years_before)
            {
                let uasc = child.uasc().into_iter().map(|u| u.at("CHILD"));
                flags.cells([header.at("DOB")].into_iter().chain(uasc));
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

    #[test]
    fn older_uasc_and_young_non_uasc_children_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{HEADER}1,M,31/03/2015,WBRI,UN2,,\n2,F,01/02/2020,WBRI,UN1,0,\n"),
                &format!("{UASC}1,M,31/03/2015,\n"),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_uasc_child_under_eleven_is_queried() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{HEADER}1,M,01/04/2015,WBRI,UN2,,\n"),
                &format!("{UASC}1,M,01/04/2015,\n"),
            ],
        );
        let at = |table: &str, column: &str| (Year::This, table.to_string(), 2, column.to_string());
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![vec![at("Header", "DOB"), at("UASC", "CHILD")]]
        );
    }
}
