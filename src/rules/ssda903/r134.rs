//! # 134: adoption data for a care leaver
//!
//! Checks that a child with care-leaver data (any of `IN_TOUCH`, `ACTIV`, `ACCOM` in OC3) has no
//! adoption data (any AD1 item). The AD1 row is flagged, on its completed items.
//!
//! ## Why
//! Care leavers (OC3) left care at 16 or later; an adopted child left care through adoption.
//! A child cannot be in both cohorts, so one of the two records belongs to someone else.
//!
//! ## Example
//! A child with an OC3 row `IN_TOUCH=YES` and an AD1 row `DATE_INT=01/05/2025` is flagged on the
//! AD1 row; a child with only one of the two is not.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{ad1_items_given, cells_given, oc3_items_given};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A care leaver (OC3) also has adoption (AD1) data.
    pub const RULE: Rule903 = {
        code: "134",
        message: "Data on adoption should not be entered for the OC3 cohort.",
        severity: Error,
        tables: ["OC3", "AD1"],
        fields: ["IN_TOUCH", "ACTIV", "ACCOM", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        let care_leaver = child
            .oc3()
            .iter()
            .any(|row| oc3_items_given(row).iter().any(|(_, given)| *given));
        if !care_leaver {
            continue;
        }
        for row in child.ad1() {
            flags.cells(cells_given(&ad1_items_given(&row), true, |c| row.at(c)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{AD1, OC3, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn adoption_or_care_leaver_data_alone_passes() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{OC3}1,01/02/2007,YES,F1,B1\n"),
                &format!("{AD1}2,01/02/2022,01/05/2025,01/07/2025,0,1,F1,L0\n"),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn adoption_data_of_a_care_leaver_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{OC3}1,01/02/2007,YES,F1,B1\n"),
                &format!("{AD1}1,01/02/2007,01/05/2025,,,1,,\n"),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("AD1", 2, &["DATE_INT", "NB_ADOPTR"])]
        );
    }
}
