//! # 187: adoption or care-leaver data for a child in the OC2 cohort
//!
//! Checks that a child in the OC2 cohort (looked after continuously for at least 12 months at
//! 31 March, [`continuously_looked_after`](super::common::continuously_looked_after)) has no
//! care-leaver items (OC3) and no adoption items (AD1). Each offending row is flagged on its
//! completed items.
//!
//! ## Why
//! A child still looked after on 31 March after a full year in care has not left care, so it
//! cannot be a care leaver or have been adopted in the year.
//!
//! ## Example
//! A child in care since 2020 with an OC3 row `IN_TOUCH=YES, ACTIV=F1, ACCOM=B1` is flagged on
//! those three cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{
    ad1_items_given, cells_given, continuously_looked_after, oc3_items_given,
};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A child in the OC2 cohort has adoption or care-leaver data.
    pub const RULE: Rule903 = {
        code: "187",
        message: "Child cannot be looked after continuously for 12 months at 31 March (OC2) and have any of adoption or care leavers returns completed.",
        severity: Error,
        tables: ["OC3", "AD1", "Episodes"],
        fields: ["DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR", "IN_TOUCH", "ACTIV", "ACCOM"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        let (adoptions, leavers) = (child.ad1(), child.oc3());
        if (adoptions.is_empty() && leavers.is_empty())
            || !continuously_looked_after(&child, data.year)
        {
            continue;
        }
        for row in adoptions {
            flags.cells(cells_given(&ad1_items_given(&row), true, |c| row.at(c)));
        }
        for row in leavers {
            flags.cells(cells_given(&oc3_items_given(&row), true, |c| row.at(c)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{AD1, EPISODES, OC3, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn adoption_and_care_leaver_data_outside_the_cohort_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!(
                    "{EPISODES}1,01/01/2020,S,E1,N1,A3,PR1,01/09/2025,E11,,,,\n2,01/01/2020,S,C2,N1,U1,PR1,01/06/2025,E8,,,,\n"
                ),
                &format!("{AD1}1,01/02/2022,01/05/2024,01/07/2024,0,1,F1,L0\n"),
                &format!("{OC3}2,01/02/2007,YES,F1,B1\n"),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn care_leaver_data_of_a_child_in_the_cohort_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}1,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n"),
                &format!("{OC3}1,01/02/2008,YES,F1,\n"),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("OC3", 2, &["IN_TOUCH", "ACTIV"])]
        );
    }
}
