//! # 104: date UASC status ceased is not a valid date
//!
//! Checks that `DUC` (the date unaccompanied asylum-seeking child status ceased), when given, is a
//! real date in the DfE format `dd/mm/YYYY` and is not before the start of the collection year.
//!
//! ## Why
//! UASC status decides who is excused distance and postcode checks and who appears in the UASC
//! figures. A UASC row exists because the child was an unaccompanied asylum-seeker during the
//! year, so status that ceased before 1 April contradicts the row itself.
//!
//! ## Example
//! In 2025/26 `DUC=01/02/2026` passes; `DUC=31/02/2026` and `DUC=31/03/2025` are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};
use crate::table::Val;

rule! {
    /// DUC is not a valid date, or is before the collection year.
    pub const RULE: Rule903 = {
        code: "104",
        message: "Date for Unaccompanied Asylum-Seeking Children (UASC) status ceased is not a valid date.",
        severity: Error,
        tables: ["UASC"],
        fields: ["DUC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let start = data.collection_start();
    for child in data.children() {
        for uasc in child.uasc() {
            let wrong = match uasc.duc() {
                Val::Invalid => true,
                Val::Ok(duc) => duc < start,
                Val::Blank => false,
            };
            if wrong {
                flags.cell(uasc.at("DUC"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{UASC, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn dates_in_or_after_the_year_and_blanks_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{UASC}1,M,01/02/2010,01/04/2025\n2,F,01/02/2010,\n3,M,01/02/2009,01/02/2027\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_dates_and_dates_before_the_year_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{UASC}1,M,01/02/2010,31/02/2026\n2,F,01/02/2010,31/03/2025\n3,M,01/02/2010,01/02/2026\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("UASC", 2, "DUC"), cell("UASC", 3, "DUC")]
        );
    }
}
