//! # 181: OC2 outcome items must be 0 or 1
//!
//! Checks that each of the eight OC2 outcome items (`CONVICTED`, `HEALTH_CHECK`, `IMMUNISATIONS`,
//! `TEETH_CHECK`, `HEALTH_ASSESSMENT`, `SUBSTANCE_MISUSE`, `INTERVENTION_RECEIVED`,
//! `INTERVENTION_OFFERED`), when given, is `0` or `1`. The invalid items of a row are flagged
//! together.
//!
//! ## Why
//! The health, offending and substance-misuse outcomes of children looked after for a year are
//! published as percentages of yes answers.
//!
//! ## Example
//! `IMMUNISATIONS=1` passes; `IMMUNISATIONS=Y` and `TEETH_CHECK=2` on one row are one finding.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{cells_where, oc2_indicators};
use crate::rules::ssda903::{Rule903, Ssda903};
use crate::table::Val;

rule! {
    /// An OC2 outcome item is neither 0 nor 1.
    pub const RULE: Rule903 = {
        code: "181",
        message: "Data items relating to children looked after continuously for 12 months should be completed with a 0 or 1.",
        severity: Error,
        tables: ["OC2"],
        fields: ["CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc2() {
            flags.cells(cells_where(oc2_indicators(&row), Val::is_invalid, |c| {
                row.at(c)
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{OC2, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn zeros_ones_and_blanks_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC2}1,01/02/2015,10,,0,1,1,1,1,0,,\n")],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn other_values_are_flagged_together() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC2}1,01/02/2015,10,,0,1,Y,2,1,0,,\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("OC2", 2, &["IMMUNISATIONS", "TEETH_CHECK"])]
        );
    }
}
