//! `issues.csv`: every issue, one per line, in report order.

use std::borrow::Cow;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::{Field, ISSUE_COLUMNS, sorted_issues};
use crate::fsutil;
use crate::issue::Issue;

/// Excel reads a CSV as UTF-8 only when it starts with a byte order mark; without one, a name like
/// `Zoë` or a `£` in a message comes out garbled.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Writes every issue to `path` (UTF-8 with a byte order mark, a header line, then one line per
/// issue in report order), readable by its owner only and replaced atomically.
pub fn write_issues_csv(path: &Path, issues: &[Issue]) -> io::Result<()> {
    fsutil::write_atomic_with(path, |file| {
        let mut out = BufWriter::new(file);
        out.write_all(BOM)?;
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(ISSUE_COLUMNS.iter().map(|c| c.name))?;
        let mut record: Vec<Cow<'_, str>> = Vec::with_capacity(ISSUE_COLUMNS.len());
        for issue in sorted_issues(issues) {
            record.clear();
            record.extend(ISSUE_COLUMNS.iter().map(|c| match c.value(issue) {
                Field::Text(text) => defuse_formula(text),
                Field::Number(n) => Cow::Owned(n.to_string()),
                Field::Empty => Cow::Borrowed(""),
            }));
            writer.write_record(record.iter().map(|f| f.as_bytes()))?;
        }
        writer.into_inner().map_err(|e| e.into_error())?.flush()
    })
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (and strip a
/// leading tab or carriage return before looking), so a value typed into the case system as
/// `=HYPERLINK("http://…")` would become a live link, or worse, in the office copy of this file
/// (CSV injection, OWASP). Such text gets a leading `'`, which Excel shows as text and hides.
/// Numbers are written by us, never from input, and need no guard.
fn defuse_formula(text: Cow<'_, str>) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_defused_and_other_text_is_untouched() {
        for (typed, written) in [
            ("=1+1", "'=1+1"),
            ("+44 1632 960000", "'+44 1632 960000"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=cmd", "'\t=cmd"),
            ("\r=cmd", "'\r=cmd"),
            ("01/04/2025", "01/04/2025"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(defuse_formula(Cow::Borrowed(typed)), written, "{typed:?}");
        }
    }
}
