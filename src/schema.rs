//! Return schemas as data. Each collection year of each return is one YAML file under `schemas/`
//! (`schemas/ssda903/2026.yaml` is the 2025/26 SSDA903): its tables, columns, types, code lists with
//! labels, mandatory flags and header synonyms. A new DfE year is a new file, not new code.
//!
//! The files are compiled into the binary (one binary on a council server needs nothing beside it)
//! and can be overridden from a directory with the same layout. Every file is checked once at load;
//! errors name the file, table, column and option at fault.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::year::CollectionYear;

/// The two statutory returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReturnKind {
    /// The children looked after return, 11 (from 2026/27, 12) tables.
    Ssda903,
    /// The children in need census, one XML file.
    Cin,
}

impl ReturnKind {
    pub const ALL: [ReturnKind; 2] = [ReturnKind::Ssda903, ReturnKind::Cin];

    pub fn as_str(self) -> &'static str {
        match self {
            ReturnKind::Ssda903 => "ssda903",
            ReturnKind::Cin => "cin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ssda903" | "903" | "cla" | "lac" => Some(ReturnKind::Ssda903),
            "cin" | "cin_census" | "cin-census" => Some(ReturnKind::Cin),
            _ => None,
        }
    }
}

impl fmt::Display for ReturnKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One return's schema for one collection year, as written in YAML.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnSchema {
    #[serde(rename = "return")]
    pub return_kind: ReturnKind,
    pub collection_year: CollectionYear,
    /// Identifies this schema in snapshot manifests; bump it when the file changes.
    pub version: String,
    /// Where the definitions come from.
    pub source: String,
    /// Column holding the child identifier in every table that has one.
    pub child_column: String,
    pub tables: Vec<TableSchema>,
    pub code_lists: BTreeMap<String, Vec<CodeEntry>>,
    #[serde(skip)]
    code_index: HashMap<String, HashMap<String, u16>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableSchema {
    /// The DfE / reference-validator table name (`Episodes`, `ChildProtectionPlans`).
    pub name: String,
    /// Lower-case name used in snapshots and SQL (`episodes`).
    pub snapshot_name: String,
    #[serde(default)]
    pub description: String,
    /// Other names for the table (workbook sheet names, XML elements).
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// At most one row per child (Header, UASC, OC2, OC3, AD1, PrevPerm).
    #[serde(default)]
    pub one_row_per_child: bool,
    /// Columns that identify a row within the return, for duplicate checks and comparisons.
    #[serde(default)]
    pub key: Vec<String>,
    pub columns: Vec<ColumnSchema>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSchema {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ColumnKind,
    #[serde(default)]
    pub description: String,
    /// A blank value is a structural error.
    #[serde(default)]
    pub mandatory: bool,
    /// Other header spellings case systems use for this column.
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Dates: `dd/mm/yyyy` (SSDA903) or `yyyy-mm-dd` (CIN XML).
    #[serde(default)]
    pub format: Option<DateFormat>,
    /// Dates: allow `ZZ` for an unknown day or month (`ZZ/05/2019`), read as the latest possible date.
    #[serde(default)]
    pub partial: bool,
    /// Codes: the name of a list in `code_lists`.
    #[serde(default)]
    pub codes: Option<String>,
    /// Integers: inclusive bounds.
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// Text: longest allowed value in characters.
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Not in the input: assigned by ingest (the CIN flat form's CINdetailsID, AssessmentID, CPPID).
    #[serde(default)]
    pub generated: bool,
    /// Carried by only one form of the return (the SSDA903 XML's per-child `<UASC>` flag, which the
    /// CSV tables express as the presence of a UASC row): a file without it lacks nothing.
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Text,
    Date,
    Integer,
    Code,
    Boolean,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum DateFormat {
    #[serde(rename = "dd/mm/yyyy")]
    DayMonthYear,
    #[serde(rename = "yyyy-mm-dd")]
    Iso,
}

impl DateFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            DateFormat::DayMonthYear => "dd/mm/yyyy",
            DateFormat::Iso => "yyyy-mm-dd",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CodeEntry {
    pub code: String,
    pub label: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("cannot read schema {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "no {return_kind} schema for collection year {year}; schemas exist for {available}. Add schemas/{return_kind}/{year}.yaml (copy the latest year and edit it)"
    )]
    Missing {
        return_kind: ReturnKind,
        year: String,
        available: String,
    },
}

impl ReturnSchema {
    /// Parses and checks one schema file; `file` names it in errors.
    pub fn from_yaml(file: &str, text: &str) -> Result<Self, SchemaError> {
        let mut schema: ReturnSchema =
            serde_saphyr::from_str(text).map_err(|e| SchemaError::Invalid {
                file: file.into(),
                message: e.to_string(),
            })?;
        schema.check().map_err(|message| SchemaError::Invalid {
            file: file.into(),
            message,
        })?;
        schema.code_index = schema
            .code_lists
            .iter()
            .map(|(name, entries)| {
                let index = entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.code.clone(), i as u16))
                    .collect();
                (name.clone(), index)
            })
            .collect();
        Ok(schema)
    }

    fn check(&self) -> Result<(), String> {
        let mut table_names = HashMap::new();
        for (position, table) in self.tables.iter().enumerate() {
            for name in [&table.name, &table.snapshot_name] {
                if let Some(other) = table_names.insert(name.to_ascii_lowercase(), position)
                    && other != position
                {
                    return Err(format!("table name {name} is used twice"));
                }
            }
            if table.snapshot_name != table.snapshot_name.to_ascii_lowercase() {
                return Err(format!(
                    "table {}: snapshot_name {} must be lower case",
                    table.name, table.snapshot_name
                ));
            }
            if table.columns.is_empty() {
                return Err(format!("table {} has no columns", table.name));
            }
            let mut seen = HashMap::new();
            for column in &table.columns {
                let here = format!("table {} column {}", table.name, column.name);
                for spelling in column.spellings() {
                    if let Some(other) =
                        seen.insert(normalise_header(&spelling), column.name.clone())
                    {
                        return Err(format!(
                            "{here}: header spelling {spelling:?} is also used by column {other}"
                        ));
                    }
                }
                match column.kind {
                    ColumnKind::Date if column.format.is_none() => {
                        return Err(format!(
                            "{here}: type date needs `format` (dd/mm/yyyy or yyyy-mm-dd)"
                        ));
                    }
                    ColumnKind::Code => match &column.codes {
                        None => {
                            return Err(format!(
                                "{here}: type code needs `codes`, the name of a code list"
                            ));
                        }
                        Some(list) if !self.code_lists.contains_key(list) => {
                            return Err(format!(
                                "{here}: code list {list:?} is not defined in code_lists"
                            ));
                        }
                        _ => {}
                    },
                    _ => {}
                }
                if column.kind != ColumnKind::Date && (column.format.is_some() || column.partial) {
                    return Err(format!(
                        "{here}: `format` and `partial` apply to dates only"
                    ));
                }
                if column.kind != ColumnKind::Code && column.codes.is_some() {
                    return Err(format!("{here}: `codes` applies to type code only"));
                }
            }
            for key in &table.key {
                if table.column(key).is_none() {
                    return Err(format!(
                        "table {}: key column {key} is not a column of the table",
                        table.name
                    ));
                }
            }
        }
        for (name, entries) in &self.code_lists {
            let mut seen = HashMap::new();
            for entry in entries {
                if entry.code.trim() != entry.code || entry.code.is_empty() {
                    return Err(format!(
                        "code list {name}: code {:?} is empty or has spaces around it",
                        entry.code
                    ));
                }
                if seen.insert(entry.code.as_str(), ()).is_some() {
                    return Err(format!(
                        "code list {name}: code {} is listed twice",
                        entry.code
                    ));
                }
            }
            if entries.len() >= usize::from(u16::MAX - 2) {
                return Err(format!("code list {name} is too long"));
            }
        }
        Ok(())
    }

    pub fn table(&self, name: &str) -> Option<&TableSchema> {
        self.tables.iter().find(|t| {
            t.name.eq_ignore_ascii_case(name) || t.snapshot_name.eq_ignore_ascii_case(name)
        })
    }

    pub fn table_index(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| {
            t.name.eq_ignore_ascii_case(name) || t.snapshot_name.eq_ignore_ascii_case(name)
        })
    }

    pub fn codes(&self, list: &str) -> &[CodeEntry] {
        self.code_lists.get(list).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Position of `code` in the named list, for compact storage.
    pub fn code_position(&self, list: &str, code: &str) -> Option<u16> {
        self.code_index.get(list)?.get(code).copied()
    }

    /// Whether `code` is valid for `table`.`column` in this year.
    pub fn is_valid_code(&self, table: &str, column: &str, code: &str) -> bool {
        self.table(table)
            .and_then(|t| t.column(column))
            .and_then(|c| c.codes.as_deref())
            .is_some_and(|list| self.code_position(list, code).is_some())
    }
}

impl TableSchema {
    pub fn column(&self, name: &str) -> Option<&ColumnSchema> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The input columns: everything but generated IDs.
    pub fn input_columns(&self) -> impl Iterator<Item = (usize, &ColumnSchema)> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.generated)
    }
}

impl ColumnSchema {
    /// The column's name followed by its synonyms.
    pub fn spellings(&self) -> impl Iterator<Item = String> + '_ {
        std::iter::once(self.name.clone()).chain(self.synonyms.iter().cloned())
    }
}

/// Header matching ignores case, spaces, underscores and hyphens: `Date of birth`, `DATE_OF_BIRTH`
/// and `dateofbirth` are the same header.
pub fn normalise_header(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every schema available to a run, keyed by return and year.
#[derive(Debug, Clone, Default)]
pub struct SchemaSet {
    schemas: BTreeMap<(ReturnKind, CollectionYear), Arc<ReturnSchema>>,
}

/// The schema files compiled into the binary: (path under `schemas/`, contents).
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_schemas.rs"));

impl SchemaSet {
    /// The schemas shipped in the binary, parsed once per process.
    pub fn embedded() -> Result<Self, SchemaError> {
        static PARSED: std::sync::OnceLock<SchemaSet> = std::sync::OnceLock::new();
        if let Some(set) = PARSED.get() {
            return Ok(set.clone());
        }
        let mut set = SchemaSet::default();
        for (path, text) in EMBEDDED {
            set.insert(&format!("schemas/{path}"), text)?;
        }
        Ok(PARSED.get_or_init(|| set).clone())
    }

    /// Schemas from a directory laid out like `schemas/` (`<dir>/ssda903/2026.yaml`).
    pub fn from_dir(dir: &Path) -> Result<Self, SchemaError> {
        let mut set = SchemaSet::default();
        for return_kind in ReturnKind::ALL {
            let sub = dir.join(return_kind.as_str());
            let entries = match std::fs::read_dir(&sub) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => return Err(SchemaError::Io { path: sub, source }),
            };
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).map_err(|source| SchemaError::Io {
                    path: path.clone(),
                    source,
                })?;
                set.insert(&path.display().to_string(), &text)?;
            }
        }
        Ok(set)
    }

    fn insert(&mut self, file: &str, text: &str) -> Result<(), SchemaError> {
        let schema = ReturnSchema::from_yaml(file, text)?;
        let expected_return = Path::new(file)
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_string());
        if expected_return.as_deref() != Some(schema.return_kind.as_str()) {
            return Err(SchemaError::Invalid {
                file: file.into(),
                message: format!(
                    "says `return: {}` but is not in a folder named {0}",
                    schema.return_kind
                ),
            });
        }
        let stem = Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        if stem != schema.collection_year.to_string() {
            return Err(SchemaError::Invalid {
                file: file.into(),
                message: format!(
                    "says `collection_year: {}` but the file is named {stem}.yaml; name it {}.yaml",
                    schema.collection_year, schema.collection_year
                ),
            });
        }
        self.schemas.insert(
            (schema.return_kind, schema.collection_year),
            Arc::new(schema),
        );
        Ok(())
    }

    pub fn get(
        &self,
        return_kind: ReturnKind,
        year: CollectionYear,
    ) -> Result<Arc<ReturnSchema>, SchemaError> {
        self.schemas
            .get(&(return_kind, year))
            .cloned()
            .ok_or_else(|| SchemaError::Missing {
                return_kind,
                year: year.to_string(),
                available: self
                    .years(return_kind)
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    pub fn years(&self, return_kind: ReturnKind) -> Vec<CollectionYear> {
        self.schemas
            .keys()
            .filter(|(r, _)| *r == return_kind)
            .map(|(_, y)| *y)
            .collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<ReturnSchema>> {
        self.schemas.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
return: ssda903
collection_year: 2026
version: "test"
source: "test"
child_column: CHILD
tables:
  - name: Header
    snapshot_name: header
    one_row_per_child: true
    key: [CHILD]
    columns:
      - {name: CHILD, type: text, mandatory: true}
      - {name: SEX, type: code, codes: sex}
      - {name: DOB, type: date, format: dd/mm/yyyy, synonyms: [Date of birth]}
code_lists:
  sex:
    - {code: M, label: Male}
    - {code: F, label: Female}
"#;

    #[test]
    fn a_minimal_schema_loads_and_indexes_codes() {
        let schema = ReturnSchema::from_yaml("test.yaml", MINIMAL).unwrap();
        assert_eq!(schema.code_position("sex", "F"), Some(1));
        assert!(schema.is_valid_code("Header", "SEX", "M"));
        assert!(!schema.is_valid_code("Header", "SEX", "1"));
        assert_eq!(schema.table("header").unwrap().column_index("DOB"), Some(2));
    }

    #[test]
    fn errors_name_the_file_table_column_and_option() {
        // The error loading MINIMAL with `from` replaced by `to`.
        let error_with = |from: &str, to: &str| {
            ReturnSchema::from_yaml("x.yaml", &MINIMAL.replace(from, to))
                .unwrap_err()
                .to_string()
        };
        let unknown_option = error_with("mandatory: true}", "mandatory: true, colour: red}");
        assert!(
            unknown_option.contains("x.yaml") && unknown_option.contains("colour"),
            "{unknown_option}"
        );

        let missing_format = error_with(", format: dd/mm/yyyy", "");
        assert!(
            missing_format.contains("table Header column DOB") && missing_format.contains("format"),
            "{missing_format}"
        );

        let missing_list = error_with("codes: sex", "codes: gender");
        assert!(
            missing_list.contains("column SEX") && missing_list.contains("gender"),
            "{missing_list}"
        );

        let clash = error_with("synonyms: [Date of birth]", "synonyms: [sex]");
        assert!(clash.contains("also used by column SEX"), "{clash}");
    }

    #[test]
    fn headers_match_ignoring_case_spaces_and_underscores() {
        assert_eq!(normalise_header("\u{feff} Date of_Birth "), "dateofbirth");
        assert_eq!(
            normalise_header("PLACE_PROVIDER"),
            normalise_header("Place Provider")
        );
    }
}
