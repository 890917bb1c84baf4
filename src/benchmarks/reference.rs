//! Lookups the benchmarks need: local authorities with their DfE and ONS codes and regions, and
//! the DfE statistical-neighbour groups. Compiled in from `data/reference/` (provenance in its
//! README), so they work without the repository.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{BenchmarkError, csv_records, parse_error};

const LAS_CSV: &str = include_str!("../../data/reference/las.csv");
const HIERARCHY_CSV: &str = include_str!("../../data/reference/region_la_hierarchy.csv");
const REGIONS_CSV: &str = include_str!("../../data/reference/regions.csv");
const SN_2021_CSV: &str = include_str!("../../data/reference/sn_april_2021.csv");
const SN_2025_CSV: &str = include_str!("../../data/reference/sn_may_2025.csv");

/// A local authority as the DfE publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalAuthority {
    /// DfE three-digit code ("old LA code"), e.g. 872.
    pub number: String,
    /// ONS nine-digit code, e.g. E06000041 (the live one when the code changed).
    pub ons_code: String,
    pub name: String,
    /// ONS region code (E12…).
    pub region_code: String,
    pub region_name: String,
    /// Still exists (not merged or abolished).
    pub live: bool,
}

/// The DfE statistical-neighbour model a year's benchmarks use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeighbourModel {
    April2021,
    May2025,
}

impl NeighbourModel {
    /// The May 2025 model replaced the April 2021 groupings for figures from the year ending 31
    /// March 2025, the first published after it.
    pub fn for_year(end_year: u16) -> Self {
        if end_year >= 2025 {
            NeighbourModel::May2025
        } else {
            NeighbourModel::April2021
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NeighbourModel::April2021 => "DfE statistical neighbours, April 2021 model",
            NeighbourModel::May2025 => "DfE statistical neighbours, May 2025 model",
        }
    }
}

/// One of an LA's ten statistical neighbours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    pub number: String,
    /// Closeness: Extremely close, Very close, Close, Somewhat close or Not close.
    pub closeness: String,
}

/// LAs, regions and statistical neighbours.
#[derive(Debug)]
pub struct Reference {
    las: Vec<LocalAuthority>,
    /// Every ONS code an LA has had, to its DfE number.
    ons_codes: HashMap<String, String>,
    regions: HashMap<String, String>,
    neighbours_2021: HashMap<String, Vec<Neighbour>>,
    neighbours_2025: HashMap<String, Vec<Neighbour>>,
}

impl Reference {
    /// The shipped lookups.
    pub fn shipped() -> &'static Reference {
        static REFERENCE: OnceLock<Reference> = OnceLock::new();
        REFERENCE.get_or_init(|| {
            Reference::parse().expect("the shipped reference files are valid (tested)")
        })
    }

    fn parse() -> Result<Self, BenchmarkError> {
        let mut regions = HashMap::new();
        for row in csv_records("data/reference/regions.csv", REGIONS_CSV)? {
            regions.insert(row.get("region_code")?, row.get("region_name")?);
        }
        let mut region_of: HashMap<String, String> = HashMap::new();
        for row in csv_records("data/reference/region_la_hierarchy.csv", HIERARCHY_CSV)? {
            region_of.insert(row.get("old_la_code")?, row.get("region_code")?);
        }
        let mut las: Vec<LocalAuthority> = Vec::new();
        let mut ons_codes = HashMap::new();
        for row in csv_records("data/reference/las.csv", LAS_CSV)? {
            let number = row.get("old_la_code")?;
            if number == "x" {
                continue;
            }
            ons_codes.insert(row.get("new_la_code")?.to_ascii_uppercase(), number.clone());
            let live = row.get("status")? == "live";
            let region_code = region_of
                .get(&number)
                .cloned()
                .unwrap_or(row.get("parent_geography_code")?);
            let la = LocalAuthority {
                ons_code: row.get("new_la_code")?,
                name: row.get("la_name")?,
                region_name: regions.get(&region_code).cloned().unwrap_or_default(),
                region_code,
                number,
                live,
            };
            // An LA whose ONS code changed (Barnsley, Sheffield in 2025) keeps its DfE number:
            // the live row wins.
            match las.iter_mut().find(|l| l.number == la.number) {
                Some(existing) if !existing.live && la.live => *existing = la,
                Some(_) => {}
                None => las.push(la),
            }
        }
        Ok(Reference {
            las,
            ons_codes,
            regions,
            neighbours_2021: parse_neighbours("data/reference/sn_april_2021.csv", SN_2021_CSV)?,
            neighbours_2025: parse_neighbours("data/reference/sn_may_2025.csv", SN_2025_CSV)?,
        })
    }

    /// An LA by DfE number (872) or ONS code (E06000041, including codes since replaced).
    pub fn la(&self, code: &str) -> Option<&LocalAuthority> {
        let code = code.trim();
        let number = self
            .ons_codes
            .get(&code.to_ascii_uppercase())
            .map_or(code, String::as_str);
        self.las.iter().find(|la| la.number == number)
    }

    pub fn region_name(&self, region_code: &str) -> Option<&str> {
        self.regions.get(region_code).map(String::as_str)
    }

    /// Every LA known, live or not.
    pub fn las(&self) -> &[LocalAuthority] {
        &self.las
    }

    /// An LA's ten neighbours in a model, closest first.
    pub fn neighbours(&self, model: NeighbourModel, number: &str) -> &[Neighbour] {
        let groups = match model {
            NeighbourModel::April2021 => &self.neighbours_2021,
            NeighbourModel::May2025 => &self.neighbours_2025,
        };
        groups.get(number).map(Vec::as_slice).unwrap_or_default()
    }
}

fn parse_neighbours(
    file: &str,
    text: &str,
) -> Result<HashMap<String, Vec<Neighbour>>, BenchmarkError> {
    let mut groups = HashMap::new();
    for row in csv_records(file, text)? {
        let number = row.get("LA num")?;
        let mut list = Vec::with_capacity(10);
        for i in 1..=10 {
            let neighbour = row.get(&format!("SN{i}"))?;
            // LAs created after a model was built (Cumberland 942 in 2021) have no neighbours in it.
            if neighbour.is_empty() {
                continue;
            }
            if !(neighbour.len() == 3 && neighbour.bytes().all(|b| b.is_ascii_digit())) {
                return Err(parse_error(
                    file,
                    row.line,
                    format!("LA {number}: SN{i} {neighbour:?} is not a DfE LA number"),
                ));
            }
            list.push(Neighbour {
                number: neighbour,
                closeness: row.get(&format!("SN{i}P"))?.trim().to_string(),
            });
        }
        if !list.is_empty() {
            groups.insert(number, list);
        }
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn las_are_found_by_either_code_with_their_region() {
        let reference = Reference::shipped();
        let wokingham = reference.la("872").unwrap();
        assert_eq!(wokingham.ons_code, "E06000041");
        assert_eq!(wokingham.name, "Wokingham");
        assert_eq!(wokingham.region_name, "South East");
        assert_eq!(reference.la("E06000041"), Some(wokingham));
        // Barnsley's ONS code changed in 2025; both codes name it and the live one is kept.
        let barnsley = reference.la("E08000016").unwrap();
        assert_eq!(barnsley.number, "370");
        assert_eq!(barnsley.ons_code, "E08000038");
        assert!(reference.la("999").is_none());
        assert!(
            !reference.la("909").unwrap().live,
            "Cumbria was abolished in 2023"
        );
    }

    #[test]
    fn neighbours_follow_the_model_of_the_year() {
        let reference = Reference::shipped();
        let numbers: Vec<&str> = reference
            .neighbours(NeighbourModel::for_year(2025), "872")
            .iter()
            .map(|n| n.number.as_str())
            .collect();
        assert_eq!(
            numbers,
            [
                "868", "936", "825", "869", "305", "358", "318", "919", "867", "823"
            ]
        );
        assert_eq!(NeighbourModel::for_year(2024), NeighbourModel::April2021);
        assert_eq!(
            reference.neighbours(NeighbourModel::April2021, "872").len(),
            10
        );
        assert!(
            reference
                .neighbours(NeighbourModel::May2025, "872")
                .iter()
                .all(|n| !n.closeness.ends_with(' '))
        );
    }
}
