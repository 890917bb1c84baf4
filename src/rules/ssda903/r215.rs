//! # 215: care leaver information and 12-month outcomes both given
//!
//! Flags a child who has care leaver information (OC3: IN_TOUCH, ACTIV or ACCOM) and also any of
//! the outcomes collected for children looked after for 12 months (OC2: CONVICTED,
//! HEALTH_CHECK, IMMUNISATIONS, TEETH_CHECK, HEALTH_ASSESSMENT, SUBSTANCE_MISUSE,
//! INTERVENTION_RECEIVED, INTERVENTION_OFFERED).
//!
//! ## Why
//! A care leaver around their 17th-21st birthday is no longer in the OC2 cohort of children
//! looked after continuously for 12 months, so the two sets of information are exclusive.
//!
//! ## Example
//! An OC3 row with `IN_TOUCH=YES` and no OC2 row passes; the same child with an OC2 row with
//! `HEALTH_CHECK=1` is flagged on both rows' filled cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A child has both OC3 care leaver data and OC2 12-month outcomes.
    pub const RULE: Rule903 = {
        code: "215",
        message: "Child has care leaver information but one or more data items relating to children looked after for 12 months have been completed.",
        severity: Error,
        tables: ["OC2", "OC3"],
        fields: ["IN_TOUCH", "ACTIV", "ACCOM", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for oc3 in child.oc3() {
            let leaver: Vec<_> = [
                ("IN_TOUCH", oc3.in_touch()),
                ("ACTIV", oc3.activ()),
                ("ACCOM", oc3.accom()),
            ]
            .into_iter()
            .filter(|(_, v)| v.is_present())
            .map(|(c, _)| oc3.at(c))
            .collect();
            if leaver.is_empty() {
                continue;
            }
            for oc2 in child.oc2() {
                let outcomes: Vec<_> = [
                    ("CONVICTED", oc2.convicted()),
                    ("HEALTH_CHECK", oc2.health_check()),
                    ("IMMUNISATIONS", oc2.immunisations()),
                    ("TEETH_CHECK", oc2.teeth_check()),
                    ("HEALTH_ASSESSMENT", oc2.health_assessment()),
                    ("SUBSTANCE_MISUSE", oc2.substance_misuse()),
                    ("INTERVENTION_RECEIVED", oc2.intervention_received()),
                    ("INTERVENTION_OFFERED", oc2.intervention_offered()),
                ]
                .into_iter()
                .filter(|(_, v)| v.is_present())
                .map(|(c, _)| oc2.at(c))
                .collect();
                if !outcomes.is_empty() {
                    flags.cells(leaver.iter().copied().chain(outcomes));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{OC2, OC3, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn care_leavers_without_outcomes_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{OC3}1,01/02/2008,YES,F1,B1\n"),
                &format!("{OC2}1,01/02/2008,,SDQ1,,,,,,,,\n2,01/02/2015,10,,0,1,1,1,1,0,0,0\n"),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_care_leaver_with_outcomes_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{OC3}1,01/02/2008,YES,,\n"),
                &format!("{OC2}1,01/02/2008,,,,1,,,,,,0\n"),
            ],
        );
        let at = |table: &str, column: &str| (Year::This, table.to_string(), 2, column.to_string());
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![vec![
                at("OC3", "IN_TOUCH"),
                at("OC2", "HEALTH_CHECK"),
                at("OC2", "INTERVENTION_OFFERED")
            ]]
        );
    }
}
