//! # 209: school-age child with UPN code UN1
//!
//! Flags a child recorded with UPN `UN1` ("not of school age and no UPN yet") who was four or
//! older on 31 August of the year before the collection year began, and so of school age for
//! the whole collection year.
//!
//! ## Why
//! Every child in a maintained school in England has a UPN; UN1 is only for children too young
//! for school. A school-age child needs their UPN or another UN code that says why it is missing.
//!
//! ## Example
//! For 2025/26 (31 August 2024): born 01/09/2020 with UN1 passes; born 31/08/2020 with UN1 is
//! flagged.

use chrono::NaiveDate;

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A child of school age has UPN UN1.
    pub const RULE: Rule903 = {
        code: "209",
        message: "Child looked after is of school age and should not have an unknown Unique Pupil Number (UPN) code of UN1.",
        severity: Error,
        tables: ["Header"],
        fields: ["UPN", "DOB"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let start = data.collection_start();
    let census = NaiveDate::from_ymd_opt(chrono::Datelike::year(&start) - 1, 8, 31)
        .expect("31 August exists");
    for child in data.children() {
        for header in child.headers() {
            let school_age = header
                .dob()
                .ok()
                .and_then(|dob| dob.checked_add_months(chrono::Months::new(48)))
                .is_some_and(|fourth| fourth <= census);
            if header
                .upn()
                .ok()
                .is_some_and(|u| u.eq_ignore_ascii_case("UN1"))
                && school_age
            {
                flags.cells([header.at("UPN"), header.at("DOB")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{HEADER, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn young_children_may_have_un1() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,F,01/09/2020,WBRI,UN1,0,\n2,M,01/01/2010,WBRI,UN2,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn school_age_children_with_un1_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,F,31/08/2020,WBRI,UN1,0,\n2,M,01/09/2020,WBRI,UN1,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("Header", 2, &["UPN", "DOB"])]
        );
    }
}
