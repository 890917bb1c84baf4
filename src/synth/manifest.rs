//! `synth-manifest.json`: how a synthetic data set was made (seed and options), what files it
//! has with their row counts, and every error injected into it, located as validation reports
//! locate findings (file, table, row as Excel or an XML editor numbers it, column, child).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub generator: String,
    pub seed: u64,
    pub options: ManifestOptions,
    pub files: Vec<FileEntry>,
    pub injections: Vec<InjectionEntry>,
    /// Requested injections that could not all be placed (too few sites, or sites already broken).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shortfalls: Vec<Shortfall>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestOptions {
    pub children: usize,
    pub collection_year: u16,
    pub returns: Vec<String>,
    pub la_ons_code: String,
    pub la_dfe_code: String,
    pub la_name: String,
    pub structural_error_rate: f64,
    pub inject: Vec<RequestEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEntry {
    pub kind: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    #[serde(rename = "return")]
    pub return_kind: String,
    pub collection_year: u16,
    /// `this_year` or `previous_year`; `provider_list` for an Ofsted list (made for the
    /// collection year, covering the URNs of both years).
    pub role: String,
    /// Data rows (903 CSV), children (CIN XML) or providers (Ofsted list).
    pub rows: usize,
    /// Rows per table: the file's table for a 903 CSV, every flat table for the CIN XML,
    /// `Provider Info` for an Ofsted list.
    pub tables: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InjectionEntry {
    #[serde(rename = "return")]
    pub return_kind: String,
    pub collection_year: u16,
    /// `this_year` or `previous_year`.
    pub role: String,
    pub file: String,
    pub table: String,
    /// 903: the row as Excel numbers it (header = 1). CIN: the line of the row's start tag.
    pub row: usize,
    /// The schema column; absent for row-level kinds (duplicate-row, added rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The kind added the row (after every other row of its file), rather than changing one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub added_row: bool,
    /// The structural check code or DfE rule code the injection should trigger.
    pub check: String,
    /// The injection kind that made it (as given to `--inject`).
    pub kind: String,
    /// The value written (empty for a blanked cell or a repeated row).
    pub value: String,
    pub child_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    pub kind: String,
    #[serde(rename = "return")]
    pub return_kind: String,
    pub requested: usize,
    pub injected: usize,
}
