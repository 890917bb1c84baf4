//! The published tables csc-returns compares with, their editions, and the series of values an
//! indicator reads from them.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use super::reference::Reference;
use super::{Area, BenchmarkError, CsvTable, Published, round_dp};

/// How a table lays out its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Explore Education Statistics underlying data: `time_period`, `geographic_level`,
    /// `region_code`, `old_la_code`, then filter and indicator columns.
    Ees,
    /// The LAIT "big data set" in long form: `Short Desc`, `Years`, `Values`, `LA Number`.
    Lait,
}

/// A published table csc-returns knows how to read.
#[derive(Debug)]
pub struct TableSpec {
    /// Name used in edition folders, `benchmarks.yaml` and figure provenance.
    pub id: &'static str,
    pub title: &'static str,
    pub layout: Layout,
    /// Columns an edition must have to be accepted.
    pub required_columns: &'static [&'static str],
    /// The shipped edition, gzip-compressed.
    shipped: &'static [u8],
    /// SHA-256 of the shipped edition's uncompressed CSV (as listed in `data/benchmarks/README.md`).
    shipped_sha256: &'static str,
}

const EES_GEOGRAPHY: [&str; 4] = [
    "time_period",
    "geographic_level",
    "region_code",
    "old_la_code",
];

macro_rules! ees_columns {
    ($($column:literal),* $(,)?) => {
        &[EES_GEOGRAPHY[0], EES_GEOGRAPHY[1], EES_GEOGRAPHY[2], EES_GEOGRAPHY[3], $($column),*]
    };
}

/// Every published table, in the order of `data/benchmarks/README.md`.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        id: "cin_b1",
        title: "Children in need: B1 children in need by LA (EES, Children in need 2025)",
        layout: Layout::Ees,
        required_columns: ees_columns!["At31_episodes"],
        shipped: include_bytes!("../../data/benchmarks/dfe-2025/cin_b1.csv.gz"),
        shipped_sha256: "fc065f5eb33a97fcbf3b2df6a7a55e15dbf645ce9739ef0128776461602179ad",
    },
    TableSpec {
        id: "cin_c1",
        title: "Children in need: C1 referrals and re-referrals by LA (EES, Children in need 2025)",
        layout: Layout::Ees,
        required_columns: ees_columns![
            "referral_count",
            "rereferral_count",
            "rereferral_percent",
            "no_further_action_count",
            "no_further_action_percent",
            "not_in_need_count",
            "not_in_need_percent",
        ],
        shipped: include_bytes!("../../data/benchmarks/dfe-2025/cin_c1.csv.gz"),
        shipped_sha256: "e548b10b4e2de4e8845c35eae274f6280636f5ff262f8189cbe62c320591f75d",
    },
    TableSpec {
        id: "cin_d3",
        title: "Children in need: D3 second or subsequent CP plans by LA (EES, Children in need 2025)",
        layout: Layout::Ees,
        required_columns: ees_columns!["CPP_start", "CPP_subsequent", "CPP_subsequent_percent"],
        shipped: include_bytes!("../../data/benchmarks/dfe-2025/cin_d3.csv.gz"),
        shipped_sha256: "06f9b63e9329925fea34d75a7f5e9c44d97fed4c1aed8cb2a302af21ef4113ab",
    },
    TableSpec {
        id: "cin_d5",
        title: "Children in need: D5 CP plans at 31 March by duration by LA (EES, Children in need 2025)",
        layout: Layout::Ees,
        required_columns: ees_columns!["CPP_At31", "2_years_or_more", "2_years_or_more_percent"],
        shipped: include_bytes!("../../data/benchmarks/dfe-2025/cin_d5.csv.gz"),
        shipped_sha256: "b203854c252fc055df1dc05d649de63c2f18c0246b1bd2282c2f3632530f296d",
    },
    TableSpec {
        id: "cla_rates",
        title: "Children looked after: numbers and rates per 10,000 by LA (EES, CLA 2025)",
        layout: Layout::Ees,
        required_columns: ees_columns![
            "population_type",
            "population_estimate",
            "children_count",
            "rate_per_10000",
        ],
        shipped: include_bytes!("../../data/benchmarks/dfe-2025/cla_rates.csv.gz"),
        shipped_sha256: "8228ce8c6f55fb1ee59b65988dad56c79ea7703c03eedd5c0f8af5997d6686ce",
    },
    TableSpec {
        id: "cla_stability",
        title: "Children looked after: placement stability by LA (EES, CLA 2025)",
        layout: Layout::Ees,
        required_columns: ees_columns![
            "cla_group",
            "placement_stability",
            "children_count",
            "children_percent",
        ],
        shipped: include_bytes!("../../data/benchmarks/dfe-2025/cla_stability.csv.gz"),
        shipped_sha256: "b102f3277a40353a99bd997fe0c1ac557370bb8a793b177e6a570c851a96290f",
    },
    TableSpec {
        id: "care_leavers_accommodation",
        title: "Care leavers: suitability of accommodation by LA (EES, CLA 2025)",
        layout: Layout::Ees,
        required_columns: ees_columns![
            "care_leaver_age",
            "breakdown",
            "care_leaver_count",
            "care_leaver_percent",
        ],
        shipped: include_bytes!("../../data/benchmarks/dfe-2025/care_leavers_accommodation.csv.gz"),
        shipped_sha256: "e7ec483b8ca26360161393e78ef4c6ac6dc408197c068ab98e42ffc06fa4199a",
    },
    TableSpec {
        id: "care_leavers_activity",
        title: "Care leavers: activity (education, employment, training) by LA (EES, CLA 2025)",
        layout: Layout::Ees,
        required_columns: ees_columns![
            "care_leaver_age",
            "breakdown",
            "care_leaver_count",
            "care_leaver_percent",
        ],
        shipped: include_bytes!("../../data/benchmarks/dfe-2025/care_leavers_activity.csv.gz"),
        shipped_sha256: "6853227203b736615c55517ac0735acbff48fea6c9f69ee95c2e9b6d868f339b",
    },
    TableSpec {
        id: "lait",
        title: "LAIT big data set, children's social care measures 2021-2025 (DfE LAIT)",
        layout: Layout::Lait,
        required_columns: &["Short Desc", "Years", "Values", "LA Number"],
        shipped: include_bytes!("../../data/benchmarks/dfe-2025/lait.csv.gz"),
        shipped_sha256: "2e6810705dfc36209ad8098f2da6c3ba711092fdabba9d8a3520fe6040ebe2e7",
    },
    TableSpec {
        id: "population",
        title: "ONS mid-year population estimates, children aged 0 to 17 (EES layout)",
        layout: Layout::Ees,
        required_columns: ees_columns!["age_group", "population_estimate"],
        shipped: include_bytes!("../../data/benchmarks/dfe-2025/population.csv.gz"),
        shipped_sha256: "bd6420a0edd97dc2bfb25e70955399778a460483d5c417032b8fcb92230bfaa3",
    },
];

/// The name of the shipped edition of every table.
pub const SHIPPED_EDITION: &str = "dfe-2025";

impl TableSpec {
    pub fn find(id: &str) -> Option<&'static TableSpec> {
        TABLES.iter().find(|t| t.id == id)
    }

    /// Checks that a CSV header has every required column; the error lists what is missing.
    pub fn check_columns(&self, columns: &[String]) -> Result<(), String> {
        let missing: Vec<&str> = self
            .required_columns
            .iter()
            .filter(|c| !columns.iter().any(|have| have == *c))
            .copied()
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "table {} lacks column(s) {}",
                self.id,
                missing.join(", ")
            ))
        }
    }
}

/// Where an edition of a table came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    pub table: String,
    /// Unique per table: `dfe-2025` for the shipped one, `<data set version or date>-<hash>` for
    /// fetched ones.
    pub name: String,
    /// What it is, for people: the publication, the API data set or the download page.
    pub source: String,
    pub url: Option<String>,
    /// The EES data set version, when fetched from the API.
    pub data_set_version: Option<String>,
    /// When the publisher released it, when known (ISO 8601).
    pub published: Option<String>,
    /// When csc-returns stored it (UTC, ISO 8601); the newest edition of a table is used.
    pub retrieved_at: String,
    /// SHA-256 of the uncompressed CSV.
    pub sha256: String,
    pub rows: usize,
    /// The latest `time_period` (year ending 31 March) in it.
    pub latest_year: Option<u16>,
}

impl Edition {
    /// `table@edition`, as figures record it.
    pub fn label(&self) -> String {
        format!("{}@{}", self.table, self.name)
    }
}

pub(crate) const EDITION_FILE: &str = "edition.json";
pub(crate) const DATA_FILE: &str = "data.csv.gz";

/// The editions stored under a benchmarks folder: `<dir>/<table>/<edition>/{edition.json,data.csv.gz}`.
pub fn stored_editions(dir: &Path) -> Result<Vec<(Edition, PathBuf)>, BenchmarkError> {
    let mut found = Vec::new();
    let Ok(tables) = std::fs::read_dir(dir) else {
        return Ok(found);
    };
    for table in tables.flatten() {
        let Ok(editions) = std::fs::read_dir(table.path()) else {
            continue;
        };
        for edition in editions.flatten() {
            let meta = edition.path().join(EDITION_FILE);
            let data = edition.path().join(DATA_FILE);
            if !meta.is_file() || !data.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&meta).map_err(|source| BenchmarkError::Io {
                context: format!("reading {}", meta.display()),
                source,
            })?;
            let parsed: Edition = serde_json::from_str(&text).map_err(|e| {
                BenchmarkError::Config(format!(
                    "{} is not a valid edition record: {e}",
                    meta.display()
                ))
            })?;
            found.push((parsed, data));
        }
    }
    found.sort_by(|a, b| (&a.0.table, &a.0.retrieved_at).cmp(&(&b.0.table, &b.0.retrieved_at)));
    Ok(found)
}

/// The folder of an edition: `<dir>/<table>/<edition>`.
pub(crate) fn edition_folder(dir: &Path, table: &str, edition: &str) -> PathBuf {
    dir.join(table).join(edition)
}

/// The record of a table's shipped edition.
pub(crate) fn shipped_edition(spec: &TableSpec) -> Edition {
    Edition {
        table: spec.id.to_string(),
        name: SHIPPED_EDITION.to_string(),
        source: format!("{} (shipped with csc-returns)", spec.title),
        url: None,
        data_set_version: None,
        published: None,
        retrieved_at: "2025-11-24T00:00:00Z".to_string(),
        sha256: spec.shipped_sha256.to_string(),
        rows: 0,
        latest_year: Some(2025),
    }
}

enum EditionData {
    Shipped(&'static [u8]),
    File(PathBuf),
}

/// One table: the edition in use and, once read, its rows.
struct Slot {
    spec: &'static TableSpec,
    edition: Edition,
    data: EditionData,
    parsed: OnceLock<Result<Arc<Parsed>, String>>,
    series: Mutex<HashMap<(Series, u8), Arc<SeriesData>>>,
}

/// A table read into rows keyed by year and area.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub table: CsvTable,
    /// (year, area, record index) per row, in file order.
    pub keys: Vec<(u16, Area, usize)>,
    /// LAIT rows by measure.
    by_measure: HashMap<String, Vec<usize>>,
}

/// A series of published values an indicator compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Series {
    /// A column of an EES table; rows chosen by filter columns.
    Ees {
        table: &'static str,
        filters: &'static [(&'static str, &'static str)],
        value: &'static str,
        numerator: Option<&'static str>,
        denominator: Option<&'static str>,
    },
    /// A count column of an EES table as a rate per 10,000 children aged 0 to 17, with the ONS
    /// mid-year estimate of the year before the year ending 31 March (as the DfE computes it).
    EesRate {
        table: &'static str,
        filters: &'static [(&'static str, &'static str)],
        count: &'static str,
    },
    /// A LAIT measure (`Short Desc`).
    Lait { measure: &'static str },
}

impl Series {
    pub fn table(&self) -> &'static str {
        match self {
            Series::Ees { table, .. } | Series::EesRate { table, .. } => table,
            Series::Lait { .. } => "lait",
        }
    }

    /// What the series is, for people: `cin_c1.rereferral_percent`, `lait:CP_conf_15days`.
    pub fn describe(&self) -> String {
        match self {
            Series::Ees { table, value, .. } => format!("{table}.{value}"),
            Series::EesRate { table, count, .. } => {
                format!("{table}.{count} per 10,000 children (population)")
            }
            Series::Lait { measure } => format!("lait:{measure}"),
        }
    }

    /// The columns this series reads, which its table must have.
    pub fn columns(&self) -> Vec<&'static str> {
        match self {
            Series::Ees {
                filters,
                value,
                numerator,
                denominator,
                ..
            } => filters
                .iter()
                .map(|(c, _)| *c)
                .chain([*value])
                .chain(numerator.iter().copied())
                .chain(denominator.iter().copied())
                .collect(),
            Series::EesRate { filters, count, .. } => {
                filters.iter().map(|(c, _)| *c).chain([*count]).collect()
            }
            Series::Lait { .. } => vec!["Short Desc", "Values"],
        }
    }
}

/// A published value with the numerator and denominator published beside it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub value: Published,
    pub numerator: Option<Published>,
    pub denominator: Option<Published>,
}

/// Every value of a series, by year and area.
#[derive(Debug, Default)]
pub struct SeriesData {
    pub points: HashMap<(u16, Area), Point>,
    /// `table@edition` of every table read (the population's too, for rates).
    pub editions: Vec<String>,
}

impl SeriesData {
    pub fn get(&self, year: u16, area: &Area) -> Option<&Point> {
        self.points.get(&(year, area.clone()))
    }

    /// Years with an England or LA value, latest first.
    pub fn years(&self) -> Vec<u16> {
        let mut years: Vec<u16> = self.points.keys().map(|(y, _)| *y).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        years
    }

    /// LA values of a year (numbers only; symbols are not ranked).
    pub fn la_values(&self, year: u16) -> Vec<(&str, f64)> {
        self.points
            .iter()
            .filter_map(|((y, area), point)| match area {
                Area::La(number) if *y == year => point.value.value().map(|v| (number.as_str(), v)),
                _ => None,
            })
            .collect()
    }
}

/// The published tables in use: the newest edition of each.
pub struct Benchmarks {
    slots: Vec<Slot>,
    reference: &'static Reference,
}

impl std::fmt::Debug for Benchmarks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.slots.iter().map(|s| s.edition.label()))
            .finish()
    }
}

impl Benchmarks {
    /// Only the shipped editions.
    pub fn shipped() -> Self {
        Benchmarks {
            slots: TABLES
                .iter()
                .map(|spec| Slot {
                    spec,
                    edition: shipped_edition(spec),
                    data: EditionData::Shipped(spec.shipped),
                    parsed: OnceLock::new(),
                    series: Mutex::new(HashMap::new()),
                })
                .collect(),
            reference: Reference::shipped(),
        }
    }

    /// The shipped editions, replaced table by table by newer ones stored under `dir`.
    pub fn load(dir: &Path) -> Result<Self, BenchmarkError> {
        let mut benchmarks = Benchmarks::shipped();
        for (edition, path) in stored_editions(dir)? {
            let Some(slot) = benchmarks
                .slots
                .iter_mut()
                .find(|s| s.spec.id == edition.table)
            else {
                continue;
            };
            if edition.retrieved_at > slot.edition.retrieved_at {
                slot.edition = edition;
                slot.data = EditionData::File(path);
                slot.parsed = OnceLock::new();
            }
        }
        Ok(benchmarks)
    }

    pub fn reference(&self) -> &'static Reference {
        self.reference
    }

    /// The edition in use of every table.
    pub fn editions(&self) -> Vec<&Edition> {
        self.slots.iter().map(|s| &s.edition).collect()
    }

    fn slot(&self, table: &str) -> Result<&Slot, BenchmarkError> {
        self.slots
            .iter()
            .find(|s| s.spec.id == table)
            .ok_or_else(|| BenchmarkError::Config(format!("no published table `{table}`")))
    }

    fn parsed(&self, slot: &Slot) -> Result<Arc<Parsed>, BenchmarkError> {
        slot.parsed
            .get_or_init(|| parse_slot(slot).map_err(|e| e.to_string()))
            .clone()
            .map_err(|message| {
                BenchmarkError::Config(format!(
                    "the {} edition of {} cannot be read: {message}",
                    slot.edition.name, slot.spec.id
                ))
            })
    }

    /// Every value of a series, rounded to `dp` places where the source is not already rounded.
    pub fn series(&self, series: &Series, dp: u8) -> Result<Arc<SeriesData>, BenchmarkError> {
        let slot = self.slot(series.table())?;
        if let Some(data) = slot
            .series
            .lock()
            .expect("not poisoned")
            .get(&(*series, dp))
        {
            return Ok(data.clone());
        }
        let parsed = self.parsed(slot)?;
        let data = Arc::new(match series {
            Series::Ees {
                filters,
                value,
                numerator,
                denominator,
                ..
            } => {
                let rows = ees_rows(&parsed, filters)?;
                let value_column = parsed.table.column(value)?;
                let column = |name: &Option<&str>| -> Result<Option<usize>, BenchmarkError> {
                    name.map(|n| parsed.table.column(n)).transpose()
                };
                let (numerator, denominator) = (column(numerator)?, column(denominator)?);
                let mut points = HashMap::new();
                for (year, area, record) in rows {
                    let cell = |i: usize| Published::parse(record.get(i).unwrap_or_default());
                    points.insert(
                        (year, area.clone()),
                        Point {
                            value: cell(value_column),
                            numerator: numerator.map(cell),
                            denominator: denominator.map(cell),
                        },
                    );
                }
                SeriesData {
                    points,
                    editions: vec![slot.edition.label()],
                }
            }
            Series::EesRate { filters, count, .. } => {
                let rows = ees_rows(&parsed, filters)?;
                let count_column = parsed.table.column(count)?;
                let population = self.population_series()?;
                let mut points = HashMap::new();
                for (year, area, record) in rows {
                    let count = Published::parse(record.get(count_column).unwrap_or_default());
                    let people = population.get(year - 1, area).map(|p| p.value);
                    let value = match (count, people) {
                        (Published::Value(c), Some(Published::Value(p))) if p > 0.0 => {
                            Published::Value(round_dp(c / p * 10_000.0, dp))
                        }
                        (Published::Symbol(s), _) => Published::Symbol(s),
                        (_, Some(Published::Symbol(s))) => Published::Symbol(s),
                        _ => Published::Symbol(super::Symbol::NotAvailable),
                    };
                    points.insert(
                        (year, area.clone()),
                        Point {
                            value,
                            numerator: Some(count),
                            denominator: people,
                        },
                    );
                }
                SeriesData {
                    points,
                    editions: vec![slot.edition.label(), population.editions[0].clone()],
                }
            }
            Series::Lait { measure } => {
                let values = parsed.table.column("Values")?;
                let mut points = HashMap::new();
                for &i in parsed.by_measure.get(*measure).into_iter().flatten() {
                    let (year, area, record) = &parsed.keys[i];
                    let value = match Published::parse(
                        parsed.table.records[*record]
                            .get(values)
                            .unwrap_or_default(),
                    ) {
                        // LAIT keeps unrounded floats (78.599999999999994).
                        Published::Value(v) => Published::Value(round_dp(v, dp)),
                        symbol => symbol,
                    };
                    points.insert(
                        (*year, area.clone()),
                        Point {
                            value,
                            numerator: None,
                            denominator: None,
                        },
                    );
                }
                SeriesData {
                    points,
                    editions: vec![slot.edition.label()],
                }
            }
        });
        slot.series
            .lock()
            .expect("not poisoned")
            .insert((*series, dp), data.clone());
        Ok(data)
    }

    fn population_series(&self) -> Result<Arc<SeriesData>, BenchmarkError> {
        self.series(&POPULATION, 0)
    }

    /// Children aged 0 to 17 in an area for a year ending 31 March `end_year`: the ONS mid-year
    /// estimate of `end_year − 1`, or the latest earlier one when that is not published yet.
    /// Returns the population, the mid-year it is for, and the edition.
    pub fn population(
        &self,
        area: &Area,
        end_year: u16,
    ) -> Result<Option<(f64, u16, String)>, BenchmarkError> {
        let series = self.population_series()?;
        for mid_year in (end_year.saturating_sub(6)..end_year).rev() {
            if let Some(Published::Value(people)) = series.get(mid_year, area).map(|p| p.value) {
                return Ok(Some((people, mid_year, series.editions[0].clone())));
            }
        }
        Ok(None)
    }
}

/// ONS mid-year estimates of children aged 0 to 17.
pub const POPULATION: Series = Series::Ees {
    table: "population",
    filters: &[("age_group", "Children aged 0 to 17 years")],
    value: "population_estimate",
    numerator: None,
    denominator: None,
};

fn ees_rows<'a>(
    parsed: &'a Parsed,
    filters: &[(&str, &str)],
) -> Result<Vec<(u16, &'a Area, &'a csv::StringRecord)>, BenchmarkError> {
    let filters: Vec<(usize, &str)> = filters
        .iter()
        .map(|(column, value)| parsed.table.column(column).map(|i| (i, *value)))
        .collect::<Result<_, _>>()?;
    Ok(parsed
        .keys
        .iter()
        .map(|(year, area, i)| (*year, area, &parsed.table.records[*i]))
        .filter(|(_, _, record)| {
            filters
                .iter()
                .all(|(i, want)| record.get(*i).is_some_and(|have| have.trim() == *want))
        })
        .collect())
}

fn read_gzip(bytes: &[u8], name: &str) -> Result<String, BenchmarkError> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .map_err(|source| BenchmarkError::Io {
            context: format!("decompressing {name}"),
            source,
        })?;
    Ok(text)
}

fn parse_slot(slot: &Slot) -> Result<Arc<Parsed>, BenchmarkError> {
    let name = format!("{}@{}", slot.spec.id, slot.edition.name);
    let text = match &slot.data {
        EditionData::Shipped(bytes) => {
            // The shipped editions never change: read each once per process.
            static SHIPPED: OnceLock<Mutex<HashMap<&'static str, Arc<Parsed>>>> = OnceLock::new();
            let cache = SHIPPED.get_or_init(Mutex::default);
            if let Some(parsed) = cache.lock().expect("not poisoned").get(slot.spec.id) {
                return Ok(parsed.clone());
            }
            let parsed = Arc::new(parse_table(slot.spec, &name, &read_gzip(bytes, &name)?)?);
            cache
                .lock()
                .expect("not poisoned")
                .insert(slot.spec.id, parsed.clone());
            return Ok(parsed);
        }
        EditionData::File(path) => {
            let bytes = std::fs::read(path).map_err(|source| BenchmarkError::Io {
                context: format!("reading {}", path.display()),
                source,
            })?;
            read_gzip(&bytes, &path.display().to_string())?
        }
    };
    parse_table(slot.spec, &name, &text).map(Arc::new)
}

/// Reads a published table and keys each row by year and area; rows for other geographies
/// (local authority districts, parliamentary constituencies) are skipped.
pub(crate) fn parse_table(
    spec: &TableSpec,
    name: &str,
    text: &str,
) -> Result<Parsed, BenchmarkError> {
    let table = CsvTable::parse(name, text)?;
    spec.check_columns(&table.columns)
        .map_err(|m| super::parse_error(name, 1, m))?;
    let mut keys = Vec::with_capacity(table.records.len());
    let mut by_measure: HashMap<String, Vec<usize>> = HashMap::new();
    match spec.layout {
        Layout::Ees => {
            let [year, level, region, la] = EES_GEOGRAPHY.map(|c| table.column(c));
            let (year, level, region, la) = (year?, level?, region?, la?);
            for (i, record) in table.records.iter().enumerate() {
                let field = |c: usize| record.get(c).unwrap_or_default().trim();
                let Ok(period) = field(year).parse::<u16>() else {
                    return Err(super::parse_error(
                        name,
                        i + 2,
                        format!("time_period {:?} is not a year", field(year)),
                    ));
                };
                let area = match field(level) {
                    "National" => Area::England,
                    "Regional" => Area::Region(field(region).to_string()),
                    "Local authority" => Area::La(field(la).to_string()),
                    _ => continue,
                };
                keys.push((period, area, i));
            }
        }
        Layout::Lait => {
            let (measure, years, number) = (
                table.column("Short Desc")?,
                table.column("Years")?,
                table.column("LA Number")?,
            );
            for (i, record) in table.records.iter().enumerate() {
                let field = |c: usize| record.get(c).unwrap_or_default().trim();
                // Multi-year labels ("2022-25") are 3-year averages; a year label is one year.
                let Ok(year) = crate::year::CollectionYear::parse(field(years)) else {
                    continue;
                };
                let Some(area) = lait_area(field(number)) else {
                    continue;
                };
                by_measure
                    .entry(field(measure).to_string())
                    .or_default()
                    .push(keys.len());
                keys.push((year.end_year(), area, i));
            }
        }
    }
    Ok(Parsed {
        table,
        keys,
        by_measure,
    })
}

/// LAIT's area numbers: 970 England, 980–990 regions (986 London, 987/988 Inner/Outer London).
fn lait_area(number: &str) -> Option<Area> {
    let region = |code: &str| Some(Area::Region(code.to_string()));
    match number {
        "970" => Some(Area::England),
        "980" => region("E12000001"),
        "981" => region("E12000002"),
        "982" => region("E12000003"),
        "983" => region("E12000004"),
        "984" => region("E12000005"),
        "985" => region("E12000006"),
        "986" => region("E12000007"),
        "987" => region("E13000001"),
        "988" => region("E13000002"),
        "989" => region("E12000008"),
        "990" => region("E12000009"),
        n if n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()) => Some(Area::La(n.to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_table_reads_with_its_required_columns_and_checksum() {
        use sha2::Digest;
        for spec in TABLES {
            let text = read_gzip(spec.shipped, spec.id).unwrap();
            let digest = sha2::Sha256::digest(text.as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex, spec.shipped_sha256, "{}", spec.id);
            let parsed = parse_table(spec, spec.id, &text).unwrap();
            assert!(parsed.keys.len() > 1000, "{}", spec.id);
        }
    }

    #[test]
    fn a_table_without_a_required_column_is_refused_naming_it() {
        let spec = TableSpec::find("cin_d3").unwrap();
        let text =
            "time_period,geographic_level,region_code,old_la_code,CPP_start\n2025,National,,,1\n";
        let err = parse_table(spec, "d3.csv", text).unwrap_err().to_string();
        assert!(err.contains("CPP_subsequent"), "{err}");
    }

    #[test]
    fn population_is_the_mid_year_before_the_year_ending_31_march() {
        let benchmarks = Benchmarks::shipped();
        let (people, mid_year, edition) = benchmarks
            .population(&Area::England, 2025)
            .unwrap()
            .unwrap();
        assert_eq!((people, mid_year), (12_183_016.0, 2024));
        assert_eq!(edition, "population@dfe-2025");
        let (wokingham, _, _) = benchmarks
            .population(&Area::La("872".into()), 2025)
            .unwrap()
            .unwrap();
        assert_eq!(wokingham, 44_412.0);
        // 2026 needs mid-2025, not shipped yet: the latest estimate stands in, and says so.
        let (_, mid_year, _) = benchmarks
            .population(&Area::England, 2026)
            .unwrap()
            .unwrap();
        assert_eq!(mid_year, 2024);
    }
}
