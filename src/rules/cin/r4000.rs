//! # 4000: CIN plan on a no-further-action referral
//!
//! Checks that an episode whose referral led to no further action (ReferralNFA true) has no CIN
//! plan.
//!
//! ## Why
//! A CIN plan is further action. A plan on an NFA referral means either the NFA flag is wrong (and
//! the child is missing from the children-in-need counts) or the plan belongs to another
//! episode. The finding links the NFA flag with the episode's plans.
//!
//! ReferralNFA is read in any of the spellings the DfE schemas allow (`true`, `1`, `TRUE`...);
//! the reference validator recognises only `true` and `1` (`tests/oracle/divergences.md`).
//!
//! ## Example
//! An NFA referral without plans passes; an NFA referral with a CIN plan is flagged on the flag
//! and the plan.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{episodes_with_details, is_nfa};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A referral with no further action has a CIN plan.
    pub const RULE: RuleCin = {
        code: "4000",
        message: "CIN Plan details provided for a referral with no further action",
        severity: Error,
        tables: ["CINplanDates", "CINdetails"],
        fields: ["ReferralNFA", "CINPlanStartDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for (episode, details) in episodes_with_details(data) {
        let plans = episode.cin_plans();
        if is_nfa(&episode) && !plans.is_empty() {
            flags.cells(
                std::iter::once(details.at("ReferralNFA"))
                    .chain(plans.iter().map(|p| p.at("CINPlanStartDate"))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    const PLAN: &str =
        "<CINPlanDates><CINPlanStartDate>2025-05-10</CINPlanStartDate></CINPlanDates>";

    #[test]
    fn plans_on_further_action_and_nfa_without_plans_pass() {
        let xml = [
            one_episode("C1", "<ReferralNFA>false</ReferralNFA>", PLAN),
            one_episode("C2", "<ReferralNFA>true</ReferralNFA>", ""),
        ]
        .join("\n");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn a_plan_on_an_nfa_referral_is_flagged_in_any_spelling() {
        let xml = [
            one_episode("C1", "<ReferralNFA>TRUE</ReferralNFA>", PLAN),
            one_episode("C2", "<ReferralNFA>1</ReferralNFA>", PLAN),
        ]
        .join("\n");
        let finding = |id: &str| {
            let episode = line(&xml, id) + 2;
            linked(&[
                ("CINdetails", episode, "ReferralNFA"),
                ("CINplanDates", episode + 1, "CINPlanStartDate"),
            ])
        };
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![finding("C1"), finding("C2")]
        );
    }
}
