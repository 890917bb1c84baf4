//! # 182: OC2 health items must be completed, or all OC2 items left blank
//!
//! Checks that an OC2 row with any of `CONVICTED`, `HEALTH_CHECK`, `INTERVENTION_RECEIVED` or
//! `INTERVENTION_OFFERED` given also gives all four core items: `IMMUNISATIONS`, `TEETH_CHECK`,
//! `HEALTH_ASSESSMENT` and `SUBSTANCE_MISUSE`. The blank core items are flagged.
//!
//! ## Why
//! The core health items are asked of every child in the OC2 cohort; a row that answers the
//! other items but not these distorts the published health percentages.
//!
//! ## Example
//! A row with all eight items passes, as does one with all blank; `CONVICTED=0` with
//! `TEETH_CHECK` blank is flagged on `TEETH_CHECK`.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{OC2_CORE, oc2_indicators};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// Some OC2 items are given but a core health item is blank.
    pub const RULE: Rule903 = {
        code: "182",
        message: "Data entries on immunisations, teeth checks, health assessments and substance misuse problem identified should be completed or all OC2 fields should be left blank.",
        severity: Error,
        tables: ["OC2"],
        fields: ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "CONVICTED", "HEALTH_CHECK", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc2() {
            let items = oc2_indicators(&row);
            let others_given = items
                .iter()
                .any(|(column, value)| !OC2_CORE.contains(column) && value.is_present());
            if !others_given {
                continue;
            }
            flags.cells(
                items
                    .iter()
                    .filter(|(column, value)| OC2_CORE.contains(column) && value.is_blank())
                    .map(|(column, _)| row.at(column)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{OC2, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn complete_or_empty_rows_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC2}1,01/02/2015,10,,0,1,1,1,1,0,,\n2,01/02/2015,10,,,,,,,,,\n3,01/02/2015,10,,,,,1,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn blank_core_items_beside_other_items_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC2}1,01/02/2015,10,,0,,1,,1,,,\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("OC2", 2, &["TEETH_CHECK", "SUBSTANCE_MISUSE"])]
        );
    }
}
