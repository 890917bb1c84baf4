//! # 232: sex reported as unknown (query)
//!
//! Queries a child whose sex is recorded as U (unknown), a code available from 2024/25.
//!
//! ## Why
//! U is allowed, but the DfE expects it to be rare and asks LAs to confirm it: most looked-after
//! children's sex is known. It is a query, not an error.
//!
//! ## Example
//! `SEX=F` passes; `SEX=U` is queried.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The child's sex is recorded as unknown.
    pub const RULE: Rule903 = {
        code: "232",
        message: "Sex of the child/young person has been reported as unknown.",
        severity: Query,
        tables: ["Header"],
        fields: ["SEX"],
        years: [2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for header in child.headers() {
            if header.sex().is("U") {
                flags.cell(header.at("SEX"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{HEADER, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn known_sexes_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,F,01/02/2015,WBRI,UN1,0,\n2,M,01/02/2015,WBRI,UN1,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn unknown_sex_is_queried() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,F,01/02/2015,WBRI,UN1,0,\n2,u,01/02/2015,WBRI,UN1,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Header", 3, "SEX")]
        );
        assert_eq!(RULE.meta.severity, crate::issue::Severity::Query);
    }
}
