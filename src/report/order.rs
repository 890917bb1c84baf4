//! The order issues are listed in: errors, then queries, then warnings; within each, by rule, then
//! where they point (file, row, column), so that the list reads like a to-do list and two runs on
//! the same data list their issues identically.

use std::cmp::Ordering;
use std::path::Path;

use crate::issue::Issue;

/// The issues in report order.
pub fn sorted_issues(issues: &[Issue]) -> Vec<&Issue> {
    let mut sorted: Vec<&Issue> = issues.iter().collect();
    sorted.sort_by(|a, b| compare(a, b));
    sorted
}

fn compare(a: &Issue, b: &Issue) -> Ordering {
    a.severity
        .cmp(&b.severity)
        .then_with(|| compare_rule_codes(&a.rule_code, &b.rule_code))
        .then_with(|| file_path(a).cmp(&file_path(b)))
        .then_with(|| a.location.table.cmp(&b.location.table))
        .then_with(|| a.location.row.cmp(&b.location.row))
        .then_with(|| column_key(a).cmp(&column_key(b)))
        .then_with(|| a.location.child_id.cmp(&b.location.child_id))
        .then_with(|| a.finding_id.cmp(&b.finding_id))
}

fn file_path(issue: &Issue) -> Option<&Path> {
    issue.location.file.as_ref().map(|f| f.path.as_path())
}

/// DfE codes in numeric order (`103` before `1000`, `2887Q` after `2886`), then the named
/// structural checks alphabetically.
pub(super) fn compare_rule_codes(a: &str, b: &str) -> Ordering {
    rule_code_key(a).cmp(&rule_code_key(b))
}

fn rule_code_key(code: &str) -> (bool, u64, &str) {
    let digits = code.bytes().take_while(u8::is_ascii_digit).count();
    match code[..digits].parse::<u64>() {
        Ok(number) => (false, number, code),
        Err(_) if digits > 0 => (false, u64::MAX, code),
        Err(_) => (true, 0, code),
    }
}

/// Columns in the order of the file (`B` before `AA`), by name where the letter is unknown.
fn column_key(issue: &Issue) -> (Option<usize>, Option<&str>) {
    let position = issue
        .location
        .column_letter
        .as_deref()
        .and_then(letter_position);
    (position, issue.location.column.as_deref())
}

/// The 0-based position of an Excel column letter: A → 0, AA → 26.
fn letter_position(letters: &str) -> Option<usize> {
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let number = letters.bytes().try_fold(0usize, |n, b| {
        n.checked_mul(26)?.checked_add(usize::from(b - b'A') + 1)
    })?;
    Some(number - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::column_letter;

    #[test]
    fn rule_codes_sort_as_numbers_then_names() {
        let mut codes = vec![
            "invalid-date",
            "1000",
            "2887Q",
            "103",
            "2886",
            "missing-value",
        ];
        codes.sort_by(|a, b| compare_rule_codes(a, b));
        assert_eq!(
            codes,
            vec![
                "103",
                "1000",
                "2886",
                "2887Q",
                "invalid-date",
                "missing-value"
            ]
        );
    }

    #[test]
    fn letters_are_the_inverse_of_column_letter() {
        for position in [0, 1, 25, 26, 27, 701, 702, 16383] {
            assert_eq!(letter_position(&column_letter(position)), Some(position));
        }
        assert_eq!(letter_position(""), None);
        assert_eq!(letter_position("a1"), None);
    }
}
