//! Synthetic Ofsted provider lists for a synthetic SSDA903 data set, so that rules 219-229 and
//! 241 (the URN checks) can run on it.
//!
//! Placements share providers (`super::provider`): many children live in one children's home and
//! one fostering agency has many carers, so at 400 children the lists hold tens of providers and
//! at 50,000 a few thousand. Every URN the clean returns of both years use is listed once, at its
//! provider's setting postcode (so its LA is the provider's, which fixed settings share with the
//! placement), registered for the placement types and provider codes of all its episodes, of
//! every child in both years. About a third of the providers whose placements had all ended
//! before 31 March are listed as closed, some days after the last of them ended. A clean return
//! therefore meets the URN rules on both validators. The lists are made before any error is
//! injected.
//!
//! The lists also hold **spare** providers that no clean episode uses, with URNs `SC0ddddd`
//! (the providers' URNs are SC100000 up): for each foster, adoption and
//! children's home placement type and each provider code PR1-PR5, one of each [`Spare`]. The
//! injection kinds `903-219`, `903-224`, `903-227`, `903-228` and `903-229`
//! (`crate::synth::rules903`) give an episode the URN of the spare that breaks their rule alone
//! among the URN rules (227 excepted: a provider closed before the episode began closed before
//! it ended too, 228).
//!
//! The workbooks have the layout the reference validator reads (`spec/ssda903.md` §8.4), which
//! the project's loader reads too: `ofsted/childrens_homes.xlsx`, one `Provider information`
//! sheet of children's homes (K1, K2; its `Provider Code` column holds the placement type and
//! `Provider Placement Code` the provider code, see `rules::ssda903::context::providers`); and
//! `ofsted/social_care_providers.xlsx` with the other providers, open ones on its first sheet
//! and closed ones on its second. URNs are text cells: the validator joins them to the
//! episodes' URN text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use super::history::Context;
use super::provider;
use super::{ChildRows, EPISODES, TABLES};
use crate::fsutil;
use crate::synth::SynthError;
use crate::synth::calendar::{date, days};
use crate::synth::manifest::FileEntry;
use crate::synth::places::Gazetteer;

/// The folder of the data set that holds the lists.
pub const FOLDER: &str = "ofsted";
pub const CHILDRENS_HOMES: &str = "childrens_homes.xlsx";
pub const SOCIAL_CARE_PROVIDERS: &str = "social_care_providers.xlsx";

/// The regional adoption agency's URN, which no list holds (rule 242).
const ADOPTION_AGENCY_URN: &str = "XXXXXXX";

/// What a spare provider is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spare {
    /// Registered and open, its setting on the usual side of the LA boundary for its code
    /// (inside the LA, except another LA's provision, PR2).
    Open,
    /// Registration ended on 1 April, as this collection year began (227).
    ClosedAsYearBegan,
    /// Registration ended on 30 September, half-way through this collection year (228).
    ClosedMidYear,
    /// Open, its setting on the wrong side of the boundary for its code (229).
    OtherSide,
}

const SPARES: [Spare; 4] = [
    Spare::Open,
    Spare::ClosedAsYearBegan,
    Spare::ClosedMidYear,
    Spare::OtherSide,
];
const SPARE_PLACES: [&str; 11] = [
    "U1", "U2", "U3", "U4", "U5", "U6", "A3", "A4", "A5", "A6", "K2",
];
const SPARE_PROVIDERS: [&str; 5] = ["PR1", "PR2", "PR3", "PR4", "PR5"];

/// The URN of the spare provider registered for `place` and `provider`; `None` for a
/// combination the lists have no spare for.
pub fn spare_urn(place: &str, provider: &str, spare: Spare) -> Option<String> {
    let p = SPARE_PLACES.iter().position(|c| *c == place)?;
    let r = SPARE_PROVIDERS.iter().position(|c| *c == provider)?;
    let s = SPARES
        .iter()
        .position(|c| *c == spare)
        .expect("every spare");
    Some(format!("SC0{p:02}{r}{s}0"))
}

/// When a spare provider's registration ended, for the collection year `year` (end year).
pub fn spare_registration_end(spare: Spare, year: u16) -> Option<NaiveDate> {
    match spare {
        Spare::ClosedAsYearBegan => Some(date(i32::from(year) - 1, 4, 1)),
        Spare::ClosedMidYear => Some(date(i32::from(year) - 1, 9, 30)),
        Spare::Open | Spare::OtherSide => None,
    }
}

/// Whether the spare's setting is inside the LA.
fn spare_in_la(provider: &str, spare: Spare) -> bool {
    (provider != "PR2") != (spare == Spare::OtherSide)
}

/// Another postcode of the sample in the same LA as `postcode`, not `avoid` either: a
/// placement postcode that is not the provider's setting (221).
pub fn other_postcode_in_la(postcode: &str, avoid: &str) -> Option<&'static str> {
    let gazetteer = Gazetteer::shared();
    let authority = gazetteer.postcodes[gazetteer.postcode(postcode)?].authority;
    gazetteer.authorities[authority]
        .postcodes
        .iter()
        .map(|&p| gazetteer.postcodes[p].code)
        .find(|code| *code != postcode && *code != avoid)
}

/// A postcode of the sample in the LA nearest to the LA of `postcode`: a placement away from
/// the provider's premises (241).
pub fn postcode_in_next_la(postcode: &str) -> Option<&'static str> {
    let gazetteer = Gazetteer::shared();
    let authority = gazetteer.postcodes[gazetteer.postcode(postcode)?].authority;
    let next = *gazetteer.by_distance_from(authority).first()?;
    let first = *gazetteer.authorities[next].postcodes.first()?;
    Some(gazetteer.postcodes[first].code)
}

/// A provider as the clean returns use it: all its placements, of every child in both years.
#[derive(Debug, Default)]
struct Listed {
    places: BTreeSet<String>,
    provider: String,
    /// Whether an episode at it is open at the end of a return.
    open: bool,
    last_dec: Option<NaiveDate>,
}

/// The providers of a data set's clean returns, by URN.
#[derive(Debug, Default)]
pub struct Register {
    by_urn: BTreeMap<String, Listed>,
}

fn column(name: &str) -> usize {
    TABLES[EPISODES]
        .columns
        .iter()
        .position(|c| *c == name)
        .expect("an Episodes column")
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%d/%m/%Y").ok()
}

fn is_listed(urn: &str) -> bool {
    !urn.is_empty() && urn != ADOPTION_AGENCY_URN
}

impl Register {
    /// Adds the placements of one child's clean rows (this year's and last year's) to their
    /// providers.
    pub fn add(&mut self, parts: &[&ChildRows]) {
        let [place, provider, dec, urn] = ["PLACE", "PLACE_PROVIDER", "DEC", "URN"].map(column);
        for row in parts.iter().flat_map(|p| &p.tables[EPISODES]) {
            if !is_listed(&row[urn]) {
                continue;
            }
            let listed = self.by_urn.entry(row[urn].clone()).or_default();
            listed.places.insert(row[place].clone());
            listed.provider.clone_from(&row[provider]);
            match parse_date(&row[dec]) {
                Some(ended) => listed.last_dec = listed.last_dec.max(Some(ended)),
                None => listed.open = true,
            }
        }
    }

    /// Writes the two workbooks into `out/ofsted` for the collection year `year` and adds them
    /// to the manifest's files.
    pub fn save(
        self,
        out: &Path,
        year: u16,
        context: &Context<'_>,
        files: &mut Vec<FileEntry>,
    ) -> Result<(), SynthError> {
        let gazetteer = context.gazetteer;
        let end = date(i32::from(year), 3, 31);
        let mut homes = Vec::new();
        let mut others = Vec::new();
        for (urn, listed) in &self.by_urn {
            let closed = (!listed.open)
                .then_some(listed.last_dec)
                .flatten()
                .and_then(|last| closing(urn, last, end));
            let home = listed
                .places
                .iter()
                .any(|p| matches!(p.as_str(), "K1" | "K2"));
            let setting = provider::by_urn(context, urn)
                .expect("the clean returns' URNs are the providers' (`provider::draw`)");
            let row = ListRow {
                urn: urn.clone(),
                la: gazetteer.authorities[setting.authority].name,
                placement_codes: listed
                    .places
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
                provider_code: listed.provider.clone(),
                closed,
                postcode: gazetteer.postcodes[setting.postcode].code.to_string(),
            };
            if home {
                homes.push(row);
            } else {
                others.push(row);
            }
        }
        for (p, place) in SPARE_PLACES.iter().enumerate() {
            for (r, provider) in SPARE_PROVIDERS.iter().enumerate() {
                for spare in SPARES {
                    let authority = if spare_in_la(provider, spare) {
                        context.home
                    } else {
                        context.near[0]
                    };
                    let postcodes = &gazetteer.authorities[authority].postcodes;
                    let postcode = &gazetteer.postcodes[postcodes[(p * 5 + r) % postcodes.len()]];
                    let row = ListRow {
                        urn: spare_urn(place, provider, spare).expect("a spare"),
                        la: gazetteer.authorities[authority].name,
                        placement_codes: place.to_string(),
                        provider_code: provider.to_string(),
                        closed: spare_registration_end(spare, year),
                        postcode: postcode.code.to_string(),
                    };
                    if *place == "K2" {
                        homes.push(row);
                    } else {
                        others.push(row);
                    }
                }
            }
        }
        homes.sort_by(|a, b| a.urn.cmp(&b.urn));
        others.sort_by(|a, b| a.urn.cmp(&b.urn));
        let (open, closed): (Vec<ListRow>, Vec<ListRow>) =
            others.into_iter().partition(|r| r.closed.is_none());
        let published = ExcelDateTime::from_ymd(year, 3, 31).expect("a valid date");
        let workbooks = [
            (
                CHILDRENS_HOMES,
                vec![Sheet {
                    name: "Provider information",
                    columns: &CHILDRENS_HOMES_COLUMNS,
                    rows: homes,
                }],
            ),
            (
                SOCIAL_CARE_PROVIDERS,
                vec![
                    Sheet {
                        name: "Current providers",
                        columns: &SOCIAL_CARE_OPEN_COLUMNS,
                        rows: open,
                    },
                    Sheet {
                        name: "Providers closed",
                        columns: &SOCIAL_CARE_CLOSED_COLUMNS,
                        rows: closed,
                    },
                ],
            ),
        ];
        let folder = out.join(FOLDER);
        fsutil::create_private_dir_all(&folder).map_err(|source| SynthError::Write {
            path: folder.clone(),
            source,
        })?;
        for (name, sheets) in workbooks {
            let path = folder.join(name);
            let write_error = |e: XlsxError| SynthError::Write {
                path: path.clone(),
                source: std::io::Error::other(e),
            };
            let bytes = workbook(&sheets, &published).map_err(write_error)?;
            fsutil::write_atomic(&path, &bytes).map_err(|source| SynthError::Write {
                path: path.clone(),
                source,
            })?;
            let rows = sheets.iter().map(|s| s.rows.len()).sum();
            files.push(FileEntry {
                path: format!("{FOLDER}/{name}"),
                return_kind: "ssda903".into(),
                collection_year: year,
                role: "provider_list".into(),
                rows,
                tables: BTreeMap::from([("Provider Info".to_string(), rows)]),
            });
        }
        Ok(())
    }
}

/// When a provider whose placements all ended by `last` is listed as closed: a third of them
/// (by URN), 1-60 days later, and never after the end of the collection year (the lists are as
/// at 31 March); `None` for those still open.
fn closing(urn: &str, last: NaiveDate, end: NaiveDate) -> Option<NaiveDate> {
    let number: i64 = urn.trim_start_matches("SC").parse().ok()?;
    (number % 3 == 0 && last < end).then(|| (last + days(1 + number % 60)).min(end))
}

/// One provider row of a list.
struct ListRow {
    urn: String,
    la: &'static str,
    /// Separated by `,`, which the reference validator reads in every list.
    placement_codes: String,
    provider_code: String,
    closed: Option<NaiveDate>,
    postcode: String,
}

impl ListRow {
    fn text(&self, field: Field) -> &str {
        match field {
            Field::Urn => &self.urn,
            Field::La => self.la,
            Field::ProviderCode => &self.provider_code,
            Field::PlacementCodes => &self.placement_codes,
            Field::Postcode => &self.postcode,
            Field::Closed => "",
        }
    }
}

/// What a column of a list holds.
#[derive(Clone, Copy)]
enum Field {
    Urn,
    La,
    ProviderCode,
    PlacementCodes,
    Closed,
    Postcode,
}

const CHILDRENS_HOMES_COLUMNS: [(&str, Field); 6] = [
    ("URN", Field::Urn),
    ("Local Authority", Field::La),
    ("Provider Code", Field::PlacementCodes),
    ("Provider Placement Code", Field::ProviderCode),
    ("Closed Date", Field::Closed),
    ("Setting Postcode", Field::Postcode),
];
const SOCIAL_CARE_OPEN_COLUMNS: [(&str, Field); 5] = [
    ("URN", Field::Urn),
    ("Local authority", Field::La),
    ("Placement code", Field::PlacementCodes),
    ("Placement provider code", Field::ProviderCode),
    ("Setting postcode", Field::Postcode),
];
const SOCIAL_CARE_CLOSED_COLUMNS: [(&str, Field); 6] = [
    ("URN", Field::Urn),
    ("Local authority", Field::La),
    ("Placement code", Field::PlacementCodes),
    ("Placement provider code", Field::ProviderCode),
    ("Deregistration date", Field::Closed),
    ("Setting postcode", Field::Postcode),
];

struct Sheet {
    name: &'static str,
    columns: &'static [(&'static str, Field)],
    rows: Vec<ListRow>,
}

/// The workbook's bytes, with a fixed creation date so that a seed gives the same bytes.
fn workbook(sheets: &[Sheet], published: &ExcelDateTime) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_creation_datetime(published));
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    for sheet in sheets {
        let worksheet = workbook.add_worksheet().set_name(sheet.name)?;
        for (c, (header, _)) in sheet.columns.iter().enumerate() {
            worksheet.write_string(0, c as u16, *header)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, (_, field)) in sheet.columns.iter().enumerate() {
                let c = c as u16;
                match (field, row.closed) {
                    (Field::Closed, Some(day)) => {
                        let day = ExcelDateTime::from_ymd(
                            day.year() as u16,
                            day.month() as u8,
                            day.day() as u8,
                        )?;
                        worksheet.write_datetime_with_format(r, c, &day, &date_format)?;
                    }
                    (Field::Closed, None) => {}
                    (field, _) => {
                        worksheet.write_string(r, c, row.text(*field))?;
                    }
                }
            }
        }
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::IssueSink;
    use crate::rules::ssda903::context::{PostcodeReference, ProviderLists, postcodes};
    use crate::schema::ReturnKind;
    use crate::synth::{Options, generate, year_folder};
    use crate::year::CollectionYear;

    #[test]
    fn the_lists_register_every_clean_placement_and_the_spares() {
        let dir = tempfile::tempdir().unwrap();
        let year = 2026;
        generate(&Options {
            out: dir.path().to_path_buf(),
            children: 150,
            seed: 11,
            year: CollectionYear::new(year).unwrap(),
            returns: vec![ReturnKind::Ssda903],
            la: "E08000003".into(),
            structural_error_rate: 0.0,
            inject: Vec::new(),
        })
        .unwrap();
        let folder = dir.path().join(FOLDER);
        let reference = PostcodeReference::builtin().unwrap();
        let mut sink = IssueSink::new(
            "test".into(),
            ReturnKind::Ssda903,
            CollectionYear::new(year).unwrap(),
        );
        let (lists, files) = ProviderLists::load(
            &[
                folder.join(CHILDRENS_HOMES),
                folder.join(SOCIAL_CARE_PROVIDERS),
            ],
            Some(&reference),
            &mut sink,
        );
        assert!(sink.issues().is_empty(), "{:?}", sink.issues());
        assert_eq!(files.len(), 2);
        let lists = lists.unwrap();
        let episodes = std::fs::read_to_string(
            dir.path()
                .join("ssda903")
                .join(year_folder(year))
                .join("episodes.csv"),
        )
        .unwrap();
        let end = date(i32::from(year), 3, 31);
        let mut checked = 0;
        let mut urns = BTreeSet::new();
        for line in episodes.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            let (decom, place, provider, dec, pl_post, urn) =
                (cells[1], cells[5], cells[6], cells[7], cells[11], cells[12]);
            if !is_listed(urn) {
                continue;
            }
            let listed = lists.providers(urn);
            assert_eq!(listed.len(), 1, "{urn}");
            let listed = &listed[0];
            assert!(listed.placement_codes.iter().any(|c| c == place), "{line}");
            assert_eq!(listed.provider_codes, [provider], "{line}");
            // Foster carers and adopters live away from the agency's office.
            if ["K1", "K2", "K3", "R3", "S1"].contains(&place) {
                assert_eq!(listed.postcode, Some(postcodes::normalise(pl_post)));
            }
            assert!(listed.la.is_some(), "{line}");
            if let Some(closed) = listed.registration_end {
                let ended = parse_date(dec).unwrap_or(end);
                assert!(
                    parse_date(decom).unwrap() < closed && ended <= closed,
                    "{line}"
                );
            }
            checked += 1;
            urns.insert(urn.to_string());
        }
        assert!(checked > 100, "{checked} episodes with a URN");
        assert!(
            urns.len() * 3 < checked,
            "{} providers for {checked} placements: children share them",
            urns.len()
        );
        let spare = |place, provider, which| {
            let urn = spare_urn(place, provider, which).unwrap();
            lists.providers(&urn)[0].clone()
        };
        assert_eq!(
            spare("U4", "PR1", Spare::ClosedMidYear).registration_end,
            Some(date(2025, 9, 30))
        );
        assert_eq!(
            spare("K2", "PR4", Spare::ClosedAsYearBegan).registration_end,
            Some(date(2025, 4, 1))
        );
        assert_eq!(
            spare("A5", "PR1", Spare::Open).la.as_deref(),
            Some("E08000003")
        );
        assert_ne!(
            spare("A5", "PR1", Spare::OtherSide).la.as_deref(),
            Some("E08000003")
        );
        assert_eq!(
            spare("U6", "PR2", Spare::OtherSide).la.as_deref(),
            Some("E08000003")
        );
        assert_eq!(spare("U6", "PR2", Spare::Open).placement_codes, ["U6"]);
        assert_eq!(spare_urn("P1", "PR0", Spare::Open), None);
    }
}
