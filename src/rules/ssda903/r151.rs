//! # 151: adoption items must all be given or all be blank
//!
//! Checks that an AD1 row has all six adoption items (`DATE_INT`, `DATE_MATCH`, `FOSTER_CARE`,
//! `NB_ADOPTR`, `SEX_ADOPTR`, `LS_ADOPTR`) or none. A partial row is flagged on its blank items.
//!
//! ## Why
//! An adoption is reported as a whole: the timeliness measures need both dates and the adopter
//! statistics need every adopter item.
//!
//! ## Example
//! A complete AD1 row passes; one with `DATE_MATCH` and `LS_ADOPTR` blank is flagged on those two.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{ad1_items_given, flag_partly_given};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// Some adoption items are given and others are blank.
    pub const RULE: Rule903 = {
        code: "151",
        message: "All data items relating to a childs adoption must be coded or left blank.",
        severity: Error,
        tables: ["AD1"],
        fields: ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.ad1() {
            flag_partly_given(flags, &ad1_items_given(&row), |c| row.at(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{AD1, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn complete_and_empty_rows_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{AD1}1,01/02/2022,01/05/2025,01/07/2025,0,1,F1,L0\n2,01/02/2022,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_partial_row_is_flagged_on_its_blank_items() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{AD1}1,01/02/2022,01/05/2025,,0,1,F1,\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("AD1", 2, &["DATE_MATCH", "LS_ADOPTR"])]
        );
    }
}
