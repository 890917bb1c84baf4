//! # 190: OC2 outcome items given for a child not in the OC2 cohort
//!
//! Checks that an OC2 row gives none of the eight outcome items unless the child is in the OC2
//! cohort (looked after continuously for at least 12 months at 31 March,
//! [`continuously_looked_after`](super::common::continuously_looked_after)). The given items are
//! flagged.
//!
//! ## Why
//! The outcome items describe a year in care; for a child who was not in care all year they
//! would enter published percentages they do not belong to.
//!
//! ## Example
//! A child in care since 2020 with `IMMUNISATIONS=1` passes; a child who entered care in May
//! 2025 with `IMMUNISATIONS=1` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{cells_where, oc2_indicators, oc2_rows_outside_cohort};
use crate::rules::ssda903::{Rule903, Ssda903};
use crate::table::Val;

rule! {
    /// A child outside the OC2 cohort has OC2 outcome items.
    pub const RULE: Rule903 = {
        code: "190",
        message: "Child has not been looked after continuously for at least 12 months at 31 March but one or more data items relating to children looked after for 12 months have been completed.",
        severity: Error,
        tables: ["OC2", "Episodes"],
        fields: ["CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for row in oc2_rows_outside_cohort(data) {
        flags.cells(cells_where(oc2_indicators(&row), Val::is_present, |c| {
            row.at(c)
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, OC2, cells, dataset, flagged};
    use crate::source::Role;

    const EPISODE_ROWS: &str =
        "1,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n2,01/05/2025,S,C2,N1,U1,PR1,,,,,,\n";

    #[test]
    fn items_of_the_cohort_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{EPISODE_ROWS}"),
                &format!("{OC2}1,01/02/2015,10,,0,0,1,1,1,0,,\n2,01/02/2015,,,,,,,,,,\n"),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn items_outside_the_cohort_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{EPISODE_ROWS}"),
                &format!("{OC2}2,01/02/2015,,,,,1,,,0,,\n"),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("OC2", 2, &["IMMUNISATIONS", "SUBSTANCE_MISUSE"])]
        );
    }
}
