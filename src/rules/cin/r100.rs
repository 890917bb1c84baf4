//! # 100: Reference Date is incorrect
//!
//! Checks that the header's `ReferenceDate` is present and is 31 March of the header's `Year` (of
//! the run's collection year when the header has no valid `Year`).
//!
//! ## Why
//! Every date rule of the census measures the census period back from the ReferenceDate: a wrong
//! date moves the whole year and makes dozens of other rules report nonsense. A file without a
//! header at all is flagged once for the whole return.
//!
//! ## Example
//! `<Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate>` passes; `2026-03-30`, `2025-03-31`
//! or a missing ReferenceDate is flagged on the header's ReferenceDate.

use chrono::NaiveDate;

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// The header's ReferenceDate is missing or not 31 March of the collection year.
    pub const RULE: RuleCin = {
        code: "100",
        message: "Reference Date is incorrect",
        severity: Error,
        tables: ["Header"],
        fields: ["ReferenceDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let Some(header) = data.census.header() else {
        flags.whole_return();
        return;
    };
    let year = header
        .year()
        .ok()
        .and_then(|y| i32::try_from(y).ok())
        .unwrap_or_else(|| i32::from(data.year.end_year()));
    let expected = NaiveDate::from_ymd_opt(year, 3, 31);
    if header.reference_date().ok().is_none() || header.reference_date().ok() != expected {
        flags.cell(header.at("ReferenceDate"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, flagged, from_xml};

    fn census_with(details: &str) -> crate::ingest::dataset::Dataset {
        from_xml(
            2026,
            &format!(
                "<Message>\n<Header>\n<CollectionDetails>\n<Collection>CIN</Collection>\n{details}\n</CollectionDetails>\n</Header>\n<Children>\n<Child><ChildIdentifiers><LAchildID>C1</LAchildID></ChildIdentifiers></Child>\n</Children>\n</Message>\n"
            ),
        )
    }

    #[test]
    fn the_31_march_of_the_year_passes() {
        let data = census_with("<Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate>");
        assert!(flagged(&RULE, &data).is_empty());
    }

    #[test]
    fn another_day_another_year_or_no_date_is_flagged_on_the_header() {
        for details in [
            "<Year>2026</Year><ReferenceDate>2026-03-30</ReferenceDate>",
            "<Year>2026</Year><ReferenceDate>2025-03-31</ReferenceDate>",
            "<Year>2026</Year>",
            "<Year>2026</Year><ReferenceDate>31/03/2026</ReferenceDate>",
        ] {
            let data = census_with(details);
            assert_eq!(
                flagged(&RULE, &data),
                vec![cell("Header", 2, "ReferenceDate")],
                "{details}"
            );
        }
    }

    #[test]
    fn without_a_year_the_collection_year_decides() {
        let data = census_with("<ReferenceDate>2026-03-31</ReferenceDate>");
        assert!(flagged(&RULE, &data).is_empty());
        let data = census_with("<ReferenceDate>2025-03-31</ReferenceDate>");
        assert_eq!(flagged(&RULE, &data).len(), 1);
    }

    #[test]
    fn a_file_without_a_header_is_flagged_once_for_the_return() {
        let data = from_xml(
            2026,
            "<Message>\n<Children>\n<Child><ChildIdentifiers><LAchildID>C1</LAchildID></ChildIdentifiers></Child>\n</Children>\n</Message>\n",
        );
        assert_eq!(
            flagged(&RULE, &data),
            vec![vec![("return".into(), 0, String::new())]]
        );
    }
}
