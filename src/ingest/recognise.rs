//! Which table a file holds, from its headers. Case systems name files as they like and order
//! columns as they like, so the headers decide: a file is the table whose columns (or their
//! synonyms) it matches best, comparing names without case, spaces, `_` or `-`.

use std::collections::HashMap;

use crate::schema::{ReturnSchema, normalise_header};

/// How a file's columns map onto a table of the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    /// Index of the table in the schema.
    pub table: usize,
    /// For each schema column, its 0-based position in the file.
    pub positions: Vec<Option<u16>>,
    /// File columns the table does not have: (position, header as written).
    pub unknown: Vec<(u16, String)>,
    /// File columns that repeat a column already matched: (position, header, schema column).
    pub duplicates: Vec<(u16, String, usize)>,
    /// Input columns of the table that the file lacks.
    pub missing: Vec<usize>,
}

/// Matches headers to the best table, or `None` when they fit no table. `hint` (a file or sheet
/// name) breaks ties between tables that match equally well.
pub fn recognise(headers: &[String], schema: &ReturnSchema, hint: &str) -> Option<Recognition> {
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let common = common_columns(schema);
    let hint = normalise_header(hint);
    let mut best: Option<(Recognition, (usize, usize, bool, usize))> = None;
    for (index, table) in schema.tables.iter().enumerate() {
        let spellings: HashMap<String, usize> = table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.generated)
            .flat_map(|(i, c)| c.spellings().map(move |s| (normalise_header(&s), i)))
            .collect();
        let mut positions = vec![None; table.columns.len()];
        let mut unknown = Vec::new();
        let mut duplicates = Vec::new();
        for (position, header) in normalised.iter().enumerate() {
            let position = position as u16;
            match spellings.get(header) {
                Some(&column) if positions[column].is_some() => {
                    duplicates.push((position, headers[usize::from(position)].clone(), column))
                }
                Some(&column) => positions[column] = Some(position),
                None if header.is_empty() => {}
                None => unknown.push((position, headers[usize::from(position)].clone())),
            }
        }
        let matched: Vec<usize> = (0..positions.len())
            .filter(|&c| positions[c].is_some())
            .collect();
        let distinctive = matched
            .iter()
            .any(|&c| !common.contains(&table.columns[c].name.as_str()));
        if !distinctive {
            continue;
        }
        let missing: Vec<usize> = table
            .input_columns()
            .filter(|(i, c)| !c.optional && positions[*i].is_none())
            .map(|(i, _)| i)
            .collect();
        let named = table
            .synonyms
            .iter()
            .chain([&table.name, &table.snapshot_name])
            .any(|n| hint.contains(&normalise_header(n)));
        // Most columns matched, then fewest missing, then the file's name, then fewest unknown.
        let score = (
            matched.len(),
            usize::MAX - missing.len(),
            named,
            usize::MAX - unknown.len(),
        );
        if best
            .as_ref()
            .is_none_or(|(_, best_score)| score > *best_score)
        {
            best = Some((
                Recognition {
                    table: index,
                    positions,
                    unknown,
                    duplicates,
                    missing,
                },
                score,
            ));
        }
    }
    best.map(|(recognition, _)| recognition)
}

/// Columns shared by most tables (CHILD, DOB): matching only these says nothing about the table.
fn common_columns(schema: &ReturnSchema) -> Vec<&str> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for table in &schema.tables {
        for column in &table.columns {
            *counts.entry(column.name.as_str()).or_default() += 1;
        }
    }
    let threshold = schema.tables.len().div_ceil(2).max(2);
    counts
        .into_iter()
        .filter(|(_, n)| *n >= threshold)
        .map(|(name, _)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> ReturnSchema {
        let yaml = r#"
return: ssda903
collection_year: 2026
version: t
source: t
child_column: CHILD
tables:
  - name: Header
    snapshot_name: header
    columns:
      - {name: CHILD, type: text, synonyms: [Child ID]}
      - {name: SEX, type: text}
      - {name: DOB, type: text, synonyms: [Date of birth]}
      - {name: ETHNIC, type: text}
      - {name: UASC, type: text, optional: true}
  - name: UASC
    snapshot_name: uasc
    columns:
      - {name: CHILD, type: text}
      - {name: SEX, type: text}
      - {name: DOB, type: text}
      - {name: DUC, type: text}
  - name: Reviews
    snapshot_name: reviews
    columns:
      - {name: CHILD, type: text}
      - {name: DOB, type: text}
      - {name: REVIEW, type: text}
      - {name: REVIEW_CODE, type: text}
  - name: Missing
    snapshot_name: missing
    columns:
      - {name: CHILD, type: text}
      - {name: DOB, type: text}
      - {name: MISSING, type: text}
  - name: OC3
    snapshot_name: oc3
    columns:
      - {name: CHILD, type: text}
      - {name: DOB, type: text}
      - {name: IN_TOUCH, type: text}
code_lists: {}
"#;
        ReturnSchema::from_yaml("t.yaml", yaml).unwrap()
    }

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tables_are_recognised_by_headers_in_any_order_case_and_spacing() {
        let schema = schema();
        let r = recognise(
            &headers(&["review_code", "Child", " dob", "REVIEW"]),
            &schema,
            "export1",
        )
        .unwrap();
        assert_eq!(schema.tables[r.table].name, "Reviews");
        assert_eq!(r.positions, vec![Some(1), Some(2), Some(3), Some(0)]);
        assert!(r.unknown.is_empty() && r.missing.is_empty());
    }

    #[test]
    fn synonyms_extra_missing_and_duplicate_columns() {
        let schema = schema();
        let r = recognise(
            &headers(&["Child ID", "Date of birth", "ETHNIC", "Notes", "DOB"]),
            &schema,
            "x",
        )
        .unwrap();
        assert_eq!(schema.tables[r.table].name, "Header");
        assert_eq!(r.unknown, vec![(3, "Notes".to_string())]);
        assert_eq!(r.duplicates, vec![(4, "DOB".to_string(), 2)]);
        assert_eq!(r.missing, vec![1]);
    }

    #[test]
    fn an_optional_column_is_read_when_present_and_not_missing_when_absent() {
        let schema = schema();
        let without = recognise(&headers(&["CHILD", "SEX", "DOB", "ETHNIC"]), &schema, "").unwrap();
        assert_eq!(schema.tables[without.table].name, "Header");
        assert!(without.missing.is_empty());
        assert_eq!(without.positions[4], None);
        let with = recognise(
            &headers(&["CHILD", "SEX", "DOB", "ETHNIC", "UASC"]),
            &schema,
            "",
        )
        .unwrap();
        assert_eq!(schema.tables[with.table].name, "Header");
        assert_eq!(with.positions[4], Some(4));
    }

    #[test]
    fn the_closest_table_wins_and_names_break_ties() {
        let schema = schema();
        let uasc = recognise(&headers(&["CHILD", "SEX", "DOB", "DUC"]), &schema, "").unwrap();
        assert_eq!(schema.tables[uasc.table].name, "UASC");
        let tie = recognise(&headers(&["CHILD", "SEX"]), &schema, "header.csv").unwrap();
        assert_eq!(schema.tables[tie.table].name, "Header");
    }

    #[test]
    fn common_columns_alone_recognise_nothing() {
        assert!(recognise(&headers(&["CHILD", "DOB", "Something"]), &schema(), "").is_none());
        assert!(recognise(&headers(&["Name", "Address"]), &schema(), "").is_none());
    }
}
