//! What the SSDA903 rules need beyond this year's tables: the fields the DfE derives from the
//! episode postcodes (PL_LA, PL_LOCATION, PL_DISTANCE, for this year and last), the Ofsted
//! provider lists, and last year's return read back from its snapshot. Each is optional; the
//! rules that need a missing one are skipped and listed as such.
//!
//! The derivation follows `spec/ssda903.md` §5.2 with the corrections of `spec/oracle-defects.md`
//! A5: the upper-tier LA of an English district is the district itself for E06/E08/E09 and its
//! county (from the April 2023 LTLA → UTLA lookup) for E07; Scottish, Welsh and Northern Irish
//! postcodes give `SCO`, `WAL`, `NIR`; `BT` postcodes are Northern Ireland whatever the directory
//! says; Channel Islands and Isle of Man postcodes give `NUK` (outside the UK); the distance needs
//! GB grid references for both postcodes.

pub mod postcodes;
pub mod previous;
pub mod providers;

use std::collections::HashMap;

use crate::ingest::dataset::Dataset;
use crate::records::Year;
use crate::records::ssda903::{Child, Episode, Header};
use crate::rules::ssda903::Ssda903;
use crate::source::SourceFormat;
use crate::table::Val;

pub use postcodes::{PostcodeError, PostcodeReference};
pub use providers::{Provider, ProviderLists};

/// PL_LA values for placements outside England, as the DfE lists them (2025/26 rules 218, 243).
pub const OUTSIDE_ENGLAND: [&str; 5] = ["CON", "NIR", "SCO", "WAL", "NUK"];
const SCOTLAND: &str = "SCO";
const WALES: &str = "WAL";
const NORTHERN_IRELAND: &str = "NIR";
/// Channel Islands and Isle of Man: Crown dependencies, not part of the UK. The DfE's code for
/// them is not published as text; `NUK` is the nearest of its listed codes (check DfE).
const NOT_UK: &str = "NUK";

/// Whether the placement is in the responsible LA's own area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlLocation {
    In,
    Out,
}

impl PlLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            PlLocation::In => "IN",
            PlLocation::Out => "OUT",
        }
    }
}

/// A distance in miles, kept in tenths so that equal distances compare equal across years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Miles {
    tenths: u32,
}

impl Miles {
    /// The DfE formula: straight-line distance between OS grid references, metres → miles
    /// (÷ 1000 ÷ 1.6093), rounded to one decimal place, halves to even (as the reference
    /// validator's numpy rounding does).
    pub fn between(home: (i32, i32), placement: (i32, i32)) -> Miles {
        let dx = f64::from(home.0) - f64::from(placement.0);
        let dy = f64::from(home.1) - f64::from(placement.1);
        Miles::rounded((dx * dx + dy * dy).sqrt() / 1000.0 / 1.6093)
    }

    fn rounded(miles: f64) -> Miles {
        Miles {
            tenths: (miles * 10.0).round_ties_even() as u32,
        }
    }

    pub fn value(self) -> f64 {
        f64::from(self.tenths) / 10.0
    }
}

impl std::fmt::Display for Miles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1}", self.value())
    }
}

/// What the postcode directory said about one of an episode's postcodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PostcodeStatus {
    #[default]
    Blank,
    /// Not in the directory (or not valid text).
    NotFound,
    /// A Northern Ireland (`BT`) postcode: not in the extract csc-returns may ship.
    NorthernIreland,
    Found,
}

/// The fields derived from one episode's postcodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Placement<'c> {
    /// PL_LA: the upper-tier LA of the placement (`E10000006`), or `SCO`/`WAL`/`NIR`/`NUK`.
    pub la: Option<&'c str>,
    /// PL_LOCATION: IN when PL_LA is the responsible LA, OUT otherwise; unknown without a
    /// placement postcode the directory places in a district, or without the LA's code.
    pub location: Option<PlLocation>,
    /// PL_DISTANCE between the home and placement postcodes.
    pub distance: Option<Miles>,
    pub home_post: PostcodeStatus,
    pub pl_post: PostcodeStatus,
}

#[derive(Debug, Clone, Copy, Default)]
struct Derived {
    la: Option<u16>,
    location: Option<PlLocation>,
    distance: Option<Miles>,
    home_post: PostcodeStatus,
    pl_post: PostcodeStatus,
}

/// The derived placement fields of every episode of this year and last.
#[derive(Debug)]
pub struct Placements {
    vintage: String,
    /// PL_LA codes, indexed by [`Derived::la`].
    las: Vec<Box<str>>,
    this: Vec<Derived>,
    previous: Vec<Derived>,
}

impl Placements {
    /// Derives the fields for both years in one pass over the reference (each block of the
    /// directory is read once).
    pub fn derive(
        reference: &PostcodeReference,
        this: &Dataset,
        previous: Option<&Dataset>,
        la_code: Option<&str>,
    ) -> Result<Placements, PostcodeError> {
        let this_rows = episode_postcodes(this);
        let previous_rows = previous.map(episode_postcodes).unwrap_or_default();
        let found = reference.look_up(
            this_rows
                .iter()
                .chain(&previous_rows)
                .flat_map(|(home, pl)| [home.ok(), pl.ok()])
                .flatten(),
        )?;
        let mut las: Vec<Box<str>> = Vec::new();
        let mut la_index: HashMap<String, u16> = HashMap::new();
        let mut derive_rows = |rows: &[(Val<&str>, Val<&str>)]| -> Vec<Derived> {
            rows.iter()
                .map(|&(home, pl)| {
                    let derived = derive_one(reference, &found, home, pl, la_code);
                    Derived {
                        la: derived.0.map(|code| {
                            *la_index.entry(code.to_string()).or_insert_with(|| {
                                las.push(code.into());
                                (las.len() - 1) as u16
                            })
                        }),
                        location: derived.1,
                        distance: derived.2,
                        home_post: derived.3,
                        pl_post: derived.4,
                    }
                })
                .collect()
        };
        let this = derive_rows(&this_rows);
        let previous = derive_rows(&previous_rows);
        Ok(Placements {
            vintage: reference.vintage().to_string(),
            las,
            this,
            previous,
        })
    }

    /// The postcode directory release the fields were derived from.
    pub fn vintage(&self) -> &str {
        &self.vintage
    }

    /// The derived fields of an Episodes row of this year or last.
    pub fn of(&self, year: Year, row: usize) -> Placement<'_> {
        let rows = match year {
            Year::This => &self.this,
            Year::Previous => &self.previous,
        };
        let Some(d) = rows.get(row) else {
            return Placement::default();
        };
        Placement {
            la: d.la.map(|i| &*self.las[usize::from(i)]),
            location: d.location,
            distance: d.distance,
            home_post: d.home_post,
            pl_post: d.pl_post,
        }
    }

    /// This year's derived fields as extra Episodes columns for the snapshot, in row order.
    pub fn snapshot_columns(&self) -> Vec<crate::frame::ExtraColumn> {
        use crate::frame::ExtraColumn;
        let rows = (0..self.this.len()).map(|row| self.of(Year::This, row));
        let las = rows.clone().map(|p| p.la.map(str::to_string)).collect();
        let locations = rows
            .clone()
            .map(|p| p.location.map(|l| l.as_str().to_string()))
            .collect();
        let distances = rows.map(|p| p.distance.map(Miles::value)).collect();
        vec![
            ExtraColumn::text("PL_LA", las),
            ExtraColumn::text("PL_LOCATION", locations),
            ExtraColumn::float("PL_DISTANCE", distances),
        ]
    }
}

/// (HOME_POST, PL_POST) of every Episodes row, in table order.
fn episode_postcodes(dataset: &Dataset) -> Vec<(Val<&str>, Val<&str>)> {
    let Some(table) = dataset.table(Episode::TABLE) else {
        return Vec::new();
    };
    let (home, pl) = (
        table.column_index("HOME_POST"),
        table.column_index("PL_POST"),
    );
    let cell =
        |column: Option<usize>, row: usize| column.map_or(Val::Blank, |c| table.text(c, row));
    (0..table.len())
        .map(|row| (cell(home, row), cell(pl, row)))
        .collect()
}

/// PL_LA for a local authority district code of the postcode directory.
pub fn la_of_district<'r>(reference: &'r PostcodeReference, district: &'r str) -> Option<&'r str> {
    match district.as_bytes().first()? {
        b'S' => Some(SCOTLAND),
        b'W' => Some(WALES),
        b'N' => Some(NORTHERN_IRELAND),
        b'L' | b'M' => Some(NOT_UK),
        _ => reference.upper_tier(district),
    }
}

fn is_northern_ireland(postcode: &str) -> bool {
    let bytes = postcode.as_bytes();
    bytes.len() > 2 && bytes.starts_with(b"BT") && bytes[2].is_ascii_digit()
}

type DerivedFields<'r> = (
    Option<&'r str>,
    Option<PlLocation>,
    Option<Miles>,
    PostcodeStatus,
    PostcodeStatus,
);

fn derive_one<'r>(
    reference: &'r PostcodeReference,
    found: &HashMap<String, postcodes::PostcodeEntry>,
    home: Val<&str>,
    pl: Val<&str>,
    la_code: Option<&str>,
) -> DerivedFields<'r> {
    let status = |value: Val<&str>| {
        let Val::Ok(text) = value else {
            return match value {
                Val::Blank => (PostcodeStatus::Blank, None),
                _ => (PostcodeStatus::NotFound, None),
            };
        };
        let key = postcodes::normalise(text);
        if key.is_empty() {
            (PostcodeStatus::Blank, None)
        } else if is_northern_ireland(&key) {
            (PostcodeStatus::NorthernIreland, None)
        } else {
            match found.get(&key) {
                Some(entry) => (PostcodeStatus::Found, Some(*entry)),
                None => (PostcodeStatus::NotFound, None),
            }
        }
    };
    let (home_status, home_entry) = status(home);
    let (pl_status, pl_entry) = status(pl);
    let district = pl_entry.as_ref().and_then(|e| reference.district(e));
    let la = match (pl_status, district) {
        (PostcodeStatus::NorthernIreland, _) => Some(NORTHERN_IRELAND),
        (_, Some(d)) => la_of_district(reference, d),
        _ => None,
    };
    let placed = pl_status == PostcodeStatus::NorthernIreland || district.is_some();
    let location = match (placed, la_code) {
        (true, Some(own)) => Some(if la == Some(own) {
            PlLocation::In
        } else {
            PlLocation::Out
        }),
        _ => None,
    };
    let distance = match (
        home_entry.and_then(|e| e.grid),
        pl_entry.and_then(|e| e.grid),
    ) {
        (Some(h), Some(p)) => Some(Miles::between(h, p)),
        _ => None,
    };
    (la, location, distance, home_status, pl_status)
}

/// Temporary placements (T0 all temporary moves; T1 hospital; T2 holiday; T3 while the foster
/// carer is on holiday; T4 seven days or less for any other reason).
pub const TEMPORARY: [&str; 5] = ["T0", "T1", "T2", "T3", "T4"];

/// The URN that stands for a regional adoption agency placement, which has no Ofsted URN (242).
pub const RAA_URN: &str = "XXXXXXX";

/// The episode's URN when it is an Ofsted URN: present, valid, not the RAA sentinel.
pub fn ofsted_urn<'e>(episode: &Episode<'e>) -> Option<&'e str> {
    episode
        .urn()
        .ok()
        .filter(|urn| !urn.eq_ignore_ascii_case(RAA_URN))
}

/// Whether the child was UASC in a year's return: its Header's UASC flag where that is 0 or 1
/// (the XML return's `<UASC>`), else whether it has a row in that year's UASC table (the CSV
/// return, `spec/ssda903.md` §5.1). A child missing from that year's return was not UASC in it.
pub fn is_uasc(child: Option<&Child<'_>>) -> bool {
    let Some(child) = child else { return false };
    match child.header().and_then(|h| h.uasc().ok()) {
        Some(flag) => flag == "1",
        None => !child.uasc().is_empty(),
    }
}

/// Whether the child's Header row came from a form of the return that carries the UASC flag: the
/// XML. In the CSV return the flag is the presence of a UASC row, so a CSV Header has no flag to
/// be missing.
pub fn carries_uasc_flag(child: &Child<'_>, header: &Header<'_>) -> bool {
    child
        .file(header.source())
        .is_some_and(|file| file.format == SourceFormat::Xml)
}

/// Everything beyond the return that a run gives the rules.
#[derive(Debug, Default)]
pub struct Context {
    pub placements: Option<Placements>,
    pub providers: Option<ProviderLists>,
}

impl Context {
    /// A context with nothing in it: rules needing postcodes or provider lists are skipped.
    pub const fn empty() -> Context {
        Context {
            placements: None,
            providers: None,
        }
    }
}

impl<'a> Ssda903<'a> {
    /// PL_LA, PL_LOCATION and PL_DISTANCE of an episode (of this year or last). All unknown when
    /// the run has no postcode reference; rules that read them declare `Postcodes`.
    pub fn placement(&self, episode: &Episode<'_>) -> Placement<'a> {
        let row = episode.row();
        self.context
            .placements
            .as_ref()
            .map(|p| p.of(row.year, row.row))
            .unwrap_or_default()
    }

    /// The Ofsted provider rows for a URN (empty for a URN the lists do not hold, or without lists;
    /// rules that read them declare `ProviderLists`).
    pub fn providers(&self, urn: &str) -> &'a [Provider] {
        self.context
            .providers
            .as_ref()
            .map_or(&[], |lists| lists.providers(urn))
    }

    /// Every episode of this year's return with an Ofsted URN ([`ofsted_urn`]), with that URN's
    /// provider rows ([`Ssda903::providers`]): what the URN rules (219-241) compare.
    pub fn episodes_with_urn(&self) -> impl Iterator<Item = (Episode<'_>, &'a [Provider])> + '_ {
        self.children()
            .flat_map(|child| child.episodes())
            .filter_map(|episode| {
                let providers = self.providers(ofsted_urn(&episode)?);
                Some((episode, providers))
            })
    }
}

/// The LAs of a URN's settings that the provider lists give.
pub fn provider_las(providers: &[Provider]) -> Vec<&str> {
    providers.iter().filter_map(|p| p.la.as_deref()).collect()
}

/// The last day a URN's registration covers: `None` while any of its settings is still
/// registered, else the latest registration end.
pub fn registered_until(providers: &[Provider]) -> Option<chrono::NaiveDate> {
    providers
        .iter()
        .map(|p| p.registration_end)
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .max()
}

/// Contexts for rule tests, derived with the shipped postcode reference.
#[cfg(test)]
pub mod testing {
    use super::*;

    pub fn with_postcodes(
        this: &Dataset,
        previous: Option<&Dataset>,
        la_code: Option<&str>,
    ) -> Context {
        let reference = PostcodeReference::builtin().unwrap();
        Context {
            placements: Some(Placements::derive(&reference, this, previous, la_code).unwrap()),
            providers: None,
        }
    }

    pub fn with_providers(providers: ProviderLists) -> Context {
        Context {
            placements: None,
            providers: Some(providers),
        }
    }

    pub fn with_postcodes_and_providers(
        this: &Dataset,
        la_code: Option<&str>,
        providers: ProviderLists,
    ) -> Context {
        Context {
            providers: Some(providers),
            ..with_postcodes(this, None, la_code)
        }
    }

    /// A provider row: placement codes, provider codes, registration end, postcode and LA.
    pub fn provider(
        placement_codes: &[&str],
        provider_codes: &[&str],
        registration_end: Option<&str>,
        postcode: Option<&str>,
        la: Option<&str>,
    ) -> Provider {
        Provider {
            placement_codes: placement_codes.iter().map(|c| c.to_string()).collect(),
            provider_codes: provider_codes.iter().map(|c| c.to_string()).collect(),
            registration_end: registration_end
                .map(|d| chrono::NaiveDate::parse_from_str(d, "%d/%m/%Y").unwrap()),
            postcode: postcode.map(postcodes::normalise),
            la: la.map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, dataset};
    use crate::source::Role;

    #[test]
    fn placements_follow_the_corrected_derivation() {
        let rows = [
            ("M1 1AE", "LS1 1UR"),  // Leeds, metropolitan district
            ("M1 1AE", "m1 1ae"),   // Manchester itself, any case
            ("M1 1AE", "SW1A 1AA"), // London borough
            ("M1 1AE", "CA13 0AA"), // Cumberland (2023), missing from the 2021 lookup
            ("M1 1AE", "GU1 1AA"),  // Guildford, a two-tier district: Surrey
            ("M1 1AE", "CF10 1AA"), // Wales
            ("M1 1AE", "BT1 1AA"),  // Northern Ireland, not shipped
            ("M1 1AE", "JE1 1AA"),  // Jersey, no grid reference
            ("M1 1AE", "AB11 3AG"), // terminated, no district
            ("ZZ9 9ZZ", "LS1 1UR"), // unknown home postcode
            ("M1 1AE", "ZZ9 9ZZ"),  // unknown placement postcode
            ("", ""),
        ];
        let csv: String = rows
            .iter()
            .enumerate()
            .map(|(i, (home, pl))| format!("{i},01/04/2025,S,C2,N1,U4,PR1,,,,{home},{pl},\n"))
            .collect();
        let data = dataset(2026, Role::ThisYear, &[&format!("{EPISODES}{csv}")]);
        let reference = PostcodeReference::builtin().unwrap();
        let placements = Placements::derive(&reference, &data, None, Some("E08000003")).unwrap();
        let got: Vec<(Option<&str>, Option<&str>, Option<String>)> = (0..rows.len())
            .map(|row| {
                let p = placements.of(Year::This, row);
                (
                    p.la,
                    p.location.map(PlLocation::as_str),
                    p.distance.map(|d| d.to_string()),
                )
            })
            .collect();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            got,
            vec![
                (Some("E08000035"), Some("OUT"), some("35.7")),
                (Some("E08000003"), Some("IN"), some("0.0")),
                (Some("E09000033"), Some("OUT"), some("162.9")),
                (
                    Some("E06000063"),
                    Some("OUT"),
                    Some(got[3].2.clone().unwrap())
                ),
                (
                    Some("E10000030"),
                    Some("OUT"),
                    Some(got[4].2.clone().unwrap())
                ),
                (Some("WAL"), Some("OUT"), Some(got[5].2.clone().unwrap())),
                (Some("NIR"), Some("OUT"), None),
                (Some("NUK"), Some("OUT"), None),
                (None, None, None),
                (Some("E08000035"), Some("OUT"), None),
                (None, None, None),
                (None, None, None),
            ]
        );
        let statuses: Vec<(PostcodeStatus, PostcodeStatus)> = [6, 9, 10, 11]
            .iter()
            .map(|&row| {
                let p = placements.of(Year::This, row);
                (p.home_post, p.pl_post)
            })
            .collect();
        assert_eq!(
            statuses,
            vec![
                (PostcodeStatus::Found, PostcodeStatus::NorthernIreland),
                (PostcodeStatus::NotFound, PostcodeStatus::Found),
                (PostcodeStatus::Found, PostcodeStatus::NotFound),
                (PostcodeStatus::Blank, PostcodeStatus::Blank),
            ]
        );
        let without_la = Placements::derive(&reference, &data, None, None).unwrap();
        assert_eq!(
            without_la.of(Year::This, 0).location,
            None,
            "no LA code, no location"
        );
        assert_eq!(placements.snapshot_columns().len(), 3);
    }

    #[test]
    fn distance_test_vectors_from_the_spec() {
        let m1_1ae = (384756, 398553);
        assert_eq!(Miles::between(m1_1ae, (429833, 434079)).to_string(), "35.7");
        assert_eq!(
            Miles::between(m1_1ae, (529090, 179645)).to_string(),
            "162.9"
        );
        assert_eq!(Miles::between(m1_1ae, m1_1ae).value(), 0.0);
    }

    #[test]
    fn halves_round_to_even_tenths() {
        assert_eq!(Miles::rounded(0.25).to_string(), "0.2");
        assert_eq!(Miles::rounded(0.75).to_string(), "0.8");
        assert_eq!(Miles::rounded(12.34).to_string(), "12.3");
    }

    #[test]
    fn northern_ireland_postcodes_are_recognised_by_their_area() {
        assert!(is_northern_ireland("BT11AA"));
        assert!(!is_northern_ireland("B11AA"));
        assert!(!is_northern_ireland("BTX"));
    }
}
