//! DfE validation rules as code, one file per rule (per version, when a rule changed between
//! years), in the manner of ruff's rules: each file has a doc comment saying what the rule checks
//! and why, the DfE's message, metadata, the check, and its own passing and failing tests.
//!
//! A rule reads typed records grouped by child and reports where the problem is through
//! [`Flags`]; it never mutates its input, and a value that failed its structural check is
//! `Val::Invalid` to it, never a crash. The engine runs every rule of a collection year
//! independently (in parallel); a rule that panics is reported and the others are unaffected.

pub mod catalogue;
pub mod cin;
pub mod engine;
pub mod ssda903;

use crate::issue::Severity;
use crate::records::CellRef;

/// What a rule needs beyond this year's return; without it the rule is skipped, not failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Need {
    /// Last year's return (SSDA903).
    PreviousYear,
    /// The ONS postcode reference and the PL_LA / PL_LOCATION / PL_DISTANCE derived from it.
    Postcodes,
    /// The responsible LA's ONS code.
    LaCode,
    /// Ofsted's lists of children's homes and social care providers.
    ProviderLists,
    /// The CIN census ReferenceDate.
    ReferenceDate,
    /// The England and Wales bank-holiday calendar.
    BankHolidays,
}

impl Need {
    pub fn as_str(self) -> &'static str {
        match self {
            Need::PreviousYear => "prev_year",
            Need::Postcodes => "reference/postcodes",
            Need::LaCode => "la_code",
            Need::ProviderLists => "provider_lists",
            Need::ReferenceDate => "reference_date",
            Need::BankHolidays => "bank_holidays",
        }
    }

    /// What to give the run so that rules with this need can run.
    pub fn how_to_provide(self) -> &'static str {
        match self {
            Need::PreviousYear => {
                "last year's return (a snapshot of the previous year in the output root, or `previous_year:` sources)"
            }
            Need::Postcodes => "the postcode reference shipped in data/postcodes",
            Need::LaCode => "the LA's ONS code (`la.code` in the pipeline, --la for validate)",
            Need::ProviderLists => "the Ofsted provider lists (`provider_lists:` in the pipeline)",
            Need::ReferenceDate => "a CIN census ReferenceDate in the file header",
            Need::BankHolidays => {
                "bank holidays for the census year in data/calendar/england_bank_holidays.csv"
            }
        }
    }
}

/// A rule's description: everything but its check.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// The DfE rule code (`103`, `503J`, `SW12STG2`, `8569Q`).
    pub code: &'static str,
    /// The DfE's message, as the DfE publishes it.
    pub message: &'static str,
    pub severity: Severity,
    /// Tables the rule reads (and flags).
    pub tables: &'static [&'static str],
    /// Fields the rule flags.
    pub fields: &'static [&'static str],
    /// Collection years (end years: 2026 = 2025/26) this version of the rule applies to.
    pub years: &'static [u16],
    pub needs: &'static [Need],
    /// The one-line summary (the doc comment of the rule's declaration).
    pub doc: &'static str,
    /// The rule file's source, for its module documentation ([`RuleMeta::documentation`]).
    pub source: &'static str,
}

impl RuleMeta {
    pub fn applies_to(&self, year: crate::year::CollectionYear) -> bool {
        self.years.contains(&year.end_year())
    }

    /// What the rule checks, why, and an example: the rule file's module doc comment (`//!`
    /// lines), as Markdown.
    pub fn documentation(&self) -> String {
        let mut text = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.trim_start().strip_prefix("//!") else {
                if text.is_empty() {
                    continue;
                }
                break;
            };
            text.push_str(&without_code_links(rest.strip_prefix(' ').unwrap_or(rest)));
            text.push('\n');
        }
        text
    }

    /// The collection years as ranges of consecutive years: `2022/23–2023/24, 2025/26`.
    pub fn years_label(&self) -> String {
        let mut ranges: Vec<(u16, u16)> = Vec::new();
        for &year in self.years {
            match ranges.last_mut() {
                Some((_, last)) if *last + 1 == year => *last = year,
                _ => ranges.push((year, year)),
            }
        }
        let label = |y: u16| format!("{}/{:02}", y - 1, y % 100);
        ranges
            .into_iter()
            .map(|(first, last)| {
                if first == last {
                    label(first)
                } else {
                    format!("{}–{}", label(first), label(last))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `[text](path::to::item)` (a rustdoc link into the code) as plain `text`: outside rustdoc the
/// path leads nowhere.
fn without_code_links(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        let target = &rest[close + 2..end];
        out.push_str(&rest[..open]);
        if target.contains("::") {
            out.push_str(&rest[open + 1..close]);
        } else {
            out.push_str(&rest[open..=end]);
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// One finding of a rule: the cells (or rows) it points at, or a child, or the whole return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    /// Cells or rows linked in one finding (an episode and the one it overlaps).
    Cells(Vec<CellRef>),
    /// A child as a whole, with no single row to point at.
    Child(String),
    /// The return as a whole (LA-level rules).
    Return,
}

/// Where a rule's findings go.
#[derive(Debug, Default)]
pub struct Flags {
    flags: Vec<Flag>,
}

impl Flags {
    /// One cell (or row) is wrong.
    pub fn cell(&mut self, cell: CellRef) {
        self.flags.push(Flag::Cells(vec![cell]));
    }

    /// Several cells are wrong together: one finding that points at each.
    pub fn cells(&mut self, cells: impl IntoIterator<Item = CellRef>) {
        let mut cells: Vec<CellRef> = cells.into_iter().collect();
        cells.dedup();
        if !cells.is_empty() {
            self.flags.push(Flag::Cells(cells));
        }
    }

    /// A child is wrong as a whole (e.g. something is missing for it).
    pub fn child(&mut self, id: &str) {
        self.flags.push(Flag::Child(id.to_string()));
    }

    /// The return is wrong as a whole.
    pub fn whole_return(&mut self) {
        self.flags.push(Flag::Return);
    }

    pub fn into_flags(self) -> Vec<Flag> {
        self.flags
    }

    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }
}

/// Declares a rule: its doc comment becomes the rule's documentation.
///
/// ```ignore
/// rule! {
///     /// What it checks, why, an example.
///     pub const RULE: Rule903 = {
///         code: "103",
///         message: "The ethnicity code is either not valid or has not been entered.",
///         severity: Error,
///         tables: ["Header"],
///         fields: ["ETHNIC"],
///         years: [2023, 2024, 2025, 2026, 2027],
///         needs: [],
///         check: check,
///     }
/// }
/// ```
#[macro_export]
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        pub const $name:ident: $rule_type:ty = {
            code: $code:literal,
            message: $message:literal,
            severity: $severity:ident,
            tables: [$($table:literal),* $(,)?],
            fields: [$($field:literal),* $(,)?],
            years: [$($year:literal),* $(,)?],
            needs: [$($need:ident),* $(,)?],
            check: $check:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub const $name: $rule_type = <$rule_type>::new(
            $crate::rules::RuleMeta {
                code: $code,
                message: $message,
                severity: $crate::issue::Severity::$severity,
                tables: &[$($table),*],
                fields: &[$($field),*],
                years: &[$($year),*],
                needs: &[$($crate::rules::Need::$need),*],
                doc: concat!($($doc, "\n"),*),
                source: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", file!())),
            },
            $check,
        );
    };
}
