//! Ofsted's lists of registered providers (children's homes, social care providers, supported
//! accommodation), which rules 219-229 and 241 compare each episode's URN with.
//!
//! Ofsted changes the workbook layout most years, so a workbook is read by what its sheets hold,
//! not by its name. Accepted layouts (`spec/ssda903.md` §8.4), any number of workbooks per run:
//!
//! - **Children's homes (CH) list** with a `Provider information` sheet: URN, Local Authority,
//!   Provider Code, Provider Placement Code, Closed Date, Setting Postcode (or Setting Address
//!   Postcode); or with `Settings and Inspection Info` (everything but the postcode) and
//!   `Address Details` (URN and postcode) sheets. Its `Provider Code` holds the placement type
//!   (K2) and its `Provider Placement Code` the placement provider codes, often a list (PR1/PR2:
//!   an LA's home is its own provision and other LAs' provision by another LA). That is how the
//!   reference validator, used by LAs on Ofsted's real lists, reads them; read the other way,
//!   every children's home placement would break rules 219 and 224.
//! - **Social care providers (SCP) list**: sheets of current and closed providers with URN, Local
//!   authority, Placement code, Placement provider code, Deregistration date, Setting postcode.
//! - **Combined list**: one sheet with URN, local authority, placement code, placement provider
//!   code, deregistration date and setting address postcode; optionally a second sheet of
//!   supported accommodation providers (named `SA providers` or `Supported accommodation...`)
//!   whose rows are placement code K3 and, without a provider code column, PR4.
//!
//! Headers are matched without regard to case or spacing and may sit below title rows. A sheet
//! holding only URNs and postcodes lends its postcodes to the other sheets of its workbook. Codes
//! separated by `/` or `,` are lists. A workbook in which no sheet has a URN column and placement
//! or provider codes is reported and not used.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

use crate::ingest::xlsx::cell_text;
use crate::issue::{IssueSink, Location};
use crate::rules::ssda903::context::{PostcodeReference, la_of_district, postcodes};
use crate::schema::DateFormat;
use crate::source::{FileId, Role, SourceFile, SourceFormat, read_with_hash};
use crate::structural::Check;
use crate::table::parse_date;

/// One provider row of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// Placement types (PLACE codes) the provider is registered for.
    pub placement_codes: Vec<String>,
    /// Placement provider codes (PR0-PR5) Ofsted gives it.
    pub provider_codes: Vec<String>,
    /// When its registration ended, if it has.
    pub registration_end: Option<NaiveDate>,
    /// The setting's postcode, normalised (upper case, no spaces).
    pub postcode: Option<String>,
    /// The upper-tier LA of the setting, from its postcode (the lists name LAs inconsistently).
    pub la: Option<String>,
}

/// Every provider of the lists given to a run, by URN.
#[derive(Debug, Default)]
pub struct ProviderLists {
    by_urn: HashMap<String, Vec<Provider>>,
}

impl ProviderLists {
    /// The provider rows with this URN (several when a provider has several settings or appears
    /// in more than one list); empty for a URN Ofsted does not list.
    pub fn providers(&self, urn: &str) -> &[Provider] {
        self.by_urn
            .get(urn.trim().to_ascii_uppercase().as_str())
            .map_or(&[], Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.by_urn.values().map(Vec::len).sum()
    }

    /// Lists made in code, for rule tests.
    #[cfg(test)]
    pub fn of(rows: impl IntoIterator<Item = (&'static str, Provider)>) -> Self {
        let mut lists = ProviderLists::default();
        for (urn, provider) in rows {
            lists
                .by_urn
                .entry(urn.to_string())
                .or_default()
                .push(provider);
        }
        lists
    }

    pub fn is_empty(&self) -> bool {
        self.by_urn.is_empty()
    }

    /// Reads the workbooks. Unreadable or unrecognised workbooks are reported to `sink` and
    /// skipped; `None` when no workbook gave a provider. Also returns the files read, for the
    /// manifest.
    pub fn load(
        paths: &[PathBuf],
        reference: Option<&PostcodeReference>,
        sink: &mut IssueSink,
    ) -> (Option<ProviderLists>, Vec<Arc<SourceFile>>) {
        let mut lists = ProviderLists::default();
        let mut files = Vec::new();
        for path in paths {
            let (bytes, sha256) = match read_with_hash(path) {
                Ok(read) => read,
                Err(e) => {
                    let message = format!(
                        "The provider list {} could not be read: {e}. The rules that check URNs against Ofsted's lists use the other lists given, or are skipped.",
                        path.display()
                    );
                    sink.push(Check::ProviderList.finding(message, Location::default(), None));
                    continue;
                }
            };
            let file = Arc::new(SourceFile {
                id: files.len() as FileId,
                path: path.clone(),
                format: SourceFormat::of_path(path).unwrap_or(SourceFormat::Xlsx),
                role: Role::ProviderList,
                size: bytes.len() as u64,
                sha256,
                encoding: None,
            });
            match read_workbook(&bytes) {
                Ok(rows) => {
                    for (urn, provider) in rows {
                        lists.by_urn.entry(urn).or_default().push(provider);
                    }
                }
                Err(problem) => {
                    let message = format!(
                        "{} is not recognised as an Ofsted provider list: {problem}. Expected a sheet with a URN column and placement or provider codes (see `provider_lists` in the pipeline documentation); its providers are not used.",
                        file.name()
                    );
                    sink.push(Check::ProviderList.finding(message, Location::file(&file), None));
                }
            }
            files.push(file);
        }
        if lists.by_urn.is_empty() {
            return (None, files);
        }
        if let Some(reference) = reference {
            lists.locate(reference);
        }
        (Some(lists), files)
    }

    /// Infers each setting's upper-tier LA from its postcode.
    fn locate(&mut self, reference: &PostcodeReference) {
        let postcodes: Vec<String> = self
            .by_urn
            .values()
            .flatten()
            .filter_map(|p| p.postcode.clone())
            .collect();
        let Ok(found) = reference.look_up(postcodes.iter().map(String::as_str)) else {
            return;
        };
        for provider in self.by_urn.values_mut().flatten() {
            provider.la = provider
                .postcode
                .as_ref()
                .and_then(|p| found.get(p))
                .and_then(|entry| reference.district(entry))
                .and_then(|district| la_of_district(reference, district))
                .map(str::to_string);
        }
    }
}

/// Which provider field a header names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Urn,
    PlacementCodes,
    ProviderCodes,
    RegistrationEnd,
    Postcode,
}

fn field_of(header: &str) -> Option<Field> {
    let key: String = header
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    Some(match key.as_str() {
        "urn" => Field::Urn,
        "provider code" | "placement code" | "placement codes" => Field::PlacementCodes,
        "provider placement code" | "placement provider code" | "provider codes" => {
            Field::ProviderCodes
        }
        "closed date" | "deregistration date" => Field::RegistrationEnd,
        "setting postcode" | "setting address postcode" => Field::Postcode,
        _ => return None,
    })
}

/// A sheet's header row and the columns of the fields it has.
struct SheetLayout {
    header_row: usize,
    columns: Vec<(Field, usize)>,
}

impl SheetLayout {
    /// Finds the header row among the first rows: the first with a URN column.
    fn find(rows: &[Vec<String>]) -> Option<SheetLayout> {
        rows.iter().take(10).enumerate().find_map(|(i, cells)| {
            let columns: Vec<(Field, usize)> = cells
                .iter()
                .enumerate()
                .filter_map(|(c, text)| field_of(text).map(|f| (f, c)))
                .collect();
            columns
                .iter()
                .any(|(f, _)| *f == Field::Urn)
                .then_some(SheetLayout {
                    header_row: i,
                    columns,
                })
        })
    }

    fn column(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| *c)
    }

    fn has(&self, field: Field) -> bool {
        self.column(field).is_some()
    }
}

fn is_supported_accommodation(sheet: &str) -> bool {
    let name = sheet.to_ascii_lowercase();
    name.starts_with("sa provider") || name.contains("supported accommodation")
}

/// Reads one workbook's providers, as (URN, provider); an error says why the layout was not
/// recognised.
fn read_workbook(bytes: &[u8]) -> Result<Vec<(String, Provider)>, String> {
    let mut workbook =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a readable workbook ({e})"))?;
    let mut providers: Vec<(String, Provider)> = Vec::new();
    let mut addresses: HashMap<String, String> = HashMap::new();
    let mut sheets_seen = Vec::new();
    for sheet in workbook.sheet_names() {
        let Ok(range) = workbook.worksheet_range(&sheet) else {
            continue;
        };
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|cells| {
                cells
                    .iter()
                    .map(|c: &Data| cell_text(c, DateFormat::DayMonthYear).trim().to_string())
                    .collect()
            })
            .collect();
        sheets_seen.push(sheet.clone());
        let Some(layout) = SheetLayout::find(&rows) else {
            continue;
        };
        let text = |cells: &Vec<String>, field: Field| -> Option<String> {
            layout
                .column(field)
                .and_then(|c| cells.get(c))
                .filter(|t| !t.is_empty())
                .cloned()
        };
        let data = rows.iter().skip(layout.header_row + 1);
        let has_codes = layout.has(Field::PlacementCodes) || layout.has(Field::ProviderCodes);
        let supported = is_supported_accommodation(&sheet);
        if !has_codes && !supported {
            if layout.has(Field::Postcode) {
                for cells in data {
                    if let (Some(urn), Some(postcode)) =
                        (text(cells, Field::Urn), text(cells, Field::Postcode))
                    {
                        addresses.insert(urn.to_ascii_uppercase(), postcodes::normalise(&postcode));
                    }
                }
            }
            continue;
        }
        for cells in data {
            let Some(urn) = text(cells, Field::Urn) else {
                continue;
            };
            let mut placement_codes = codes(text(cells, Field::PlacementCodes));
            let mut provider_codes = codes(text(cells, Field::ProviderCodes));
            if supported {
                if !layout.has(Field::PlacementCodes) {
                    placement_codes = vec!["K3".into()];
                }
                if !layout.has(Field::ProviderCodes) {
                    provider_codes = vec!["PR4".into()];
                }
            }
            providers.push((
                urn.to_ascii_uppercase(),
                Provider {
                    placement_codes,
                    provider_codes,
                    registration_end: text(cells, Field::RegistrationEnd).and_then(|t| date(&t)),
                    postcode: text(cells, Field::Postcode).map(|p| postcodes::normalise(&p)),
                    la: None,
                },
            ));
        }
    }
    if providers.is_empty() {
        return Err(format!(
            "none of its sheets ({}) has a URN column with placement or provider codes",
            sheets_seen.join(", ")
        ));
    }
    for (urn, provider) in &mut providers {
        if provider.postcode.is_none() {
            provider.postcode = addresses.get(urn.as_str()).cloned();
        }
    }
    Ok(providers)
}

fn codes(text: Option<String>) -> Vec<String> {
    text.map(|t| {
        t.split(['/', ',', ';'])
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

fn date(text: &str) -> Option<NaiveDate> {
    let day = text.get(..10).unwrap_or(text);
    parse_date(day, DateFormat::DayMonthYear, false)
        .or_else(|| parse_date(day, DateFormat::Iso, false))
        .map(|(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ReturnKind;
    use crate::year::CollectionYear;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    /// A sheet to write: its name, rows above the header, the header and the data rows. A cell
    /// starting with `date:` is written as an Excel date (`date:2024-05-01`).
    struct Sheet<'a> {
        name: &'a str,
        title_rows: u32,
        header: &'a [&'a str],
        rows: &'a [&'a [&'a str]],
    }

    fn workbook(dir: &std::path::Path, name: &str, sheets: &[Sheet<'_>]) -> PathBuf {
        let mut workbook = Workbook::new();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        for sheet in sheets {
            let worksheet = workbook.add_worksheet().set_name(sheet.name).unwrap();
            for t in 0..sheet.title_rows {
                worksheet
                    .write_string(t, 0, "Ofsted: providers at 31 March")
                    .unwrap();
            }
            let at = sheet.title_rows;
            for (c, h) in sheet.header.iter().enumerate() {
                worksheet.write_string(at, c as u16, *h).unwrap();
            }
            for (r, row) in sheet.rows.iter().enumerate() {
                for (c, value) in row.iter().enumerate() {
                    let (r, c) = (at + 1 + r as u32, c as u16);
                    if let Some(iso) = value.strip_prefix("date:") {
                        let day = NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap();
                        let day = ExcelDateTime::from_ymd(
                            chrono::Datelike::year(&day) as u16,
                            chrono::Datelike::month(&day) as u8,
                            chrono::Datelike::day(&day) as u8,
                        )
                        .unwrap();
                        worksheet
                            .write_datetime_with_format(r, c, &day, &date)
                            .unwrap();
                    } else if let Ok(n) = value.parse::<f64>() {
                        worksheet.write_number(r, c, n).unwrap();
                    } else if !value.is_empty() {
                        worksheet.write_string(r, c, *value).unwrap();
                    }
                }
            }
        }
        let path = dir.join(name);
        workbook.save(&path).unwrap();
        path
    }

    /// The children's homes list's setting columns, before any address column.
    const HOMES_SETTING: [&str; 5] = [
        "URN",
        "Local Authority",
        "Provider Code",
        "Provider Placement Code",
        "Closed Date",
    ];

    fn sink() -> IssueSink {
        IssueSink::new(
            "test".into(),
            ReturnKind::Ssda903,
            CollectionYear::new(2026).unwrap(),
        )
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn childrens_homes_and_social_care_provider_lists_are_read_together() {
        let dir = tempfile::tempdir().unwrap();
        let homes = workbook(
            dir.path(),
            "ch.xlsx",
            &[
                Sheet {
                    name: "Notes",
                    title_rows: 0,
                    header: &["About this list"],
                    rows: &[&["Published by Ofsted"]],
                },
                Sheet {
                    name: "Provider information",
                    title_rows: 2,
                    header: &[&HOMES_SETTING[..], &["Setting Address Postcode"]].concat(),
                    rows: &[
                        &["1234567", "Manchester", "K2", "PR1/PR2", "", "m1 1ae"],
                        &[
                            "SC000001",
                            "Leeds",
                            "K2",
                            "PR1",
                            "date:2025-06-30",
                            "LS1 1UR",
                        ],
                    ],
                },
            ],
        );
        let providers = workbook(
            dir.path(),
            "scp.xlsx",
            &[
                Sheet {
                    name: "Current providers",
                    title_rows: 0,
                    header: &[
                        "URN",
                        "Local authority",
                        "Placement code",
                        "Placement provider code",
                        "Setting postcode",
                    ],
                    rows: &[&["2000001", "Westminster", "U4", "PR5", "SW1A 1AA"]],
                },
                Sheet {
                    name: "Providers closed",
                    title_rows: 0,
                    header: &[
                        "URN",
                        "Local authority",
                        "Placement code",
                        "Placement provider code",
                        "Deregistration date",
                        "Setting postcode",
                    ],
                    rows: &[&["2000002", "Leeds", "U1,U4", "PR4", "01/02/2024", "LS1 1UR"]],
                },
            ],
        );
        let reference = PostcodeReference::builtin().unwrap();
        let mut sink = sink();
        let (lists, files) = ProviderLists::load(&[homes, providers], Some(&reference), &mut sink);
        let lists = lists.unwrap();
        assert!(sink.issues().is_empty(), "{:?}", sink.issues());
        assert_eq!(files.len(), 2);
        assert_eq!(lists.len(), 4);
        let home = &lists.providers("1234567")[0];
        assert_eq!(home.placement_codes, ["K2"]);
        assert_eq!(home.provider_codes, ["PR1", "PR2"]);
        assert_eq!(home.postcode.as_deref(), Some("M11AE"));
        assert_eq!(home.la.as_deref(), Some("E08000003"));
        assert_eq!(home.registration_end, None);
        assert_eq!(
            lists.providers("sc000001")[0].registration_end,
            day(2025, 6, 30)
        );
        let closed = &lists.providers("2000002")[0];
        assert_eq!(closed.placement_codes, ["U1", "U4"]);
        assert_eq!(closed.registration_end, day(2024, 2, 1));
        assert_eq!(closed.la.as_deref(), Some("E08000035"));
        assert!(lists.providers("9999999").is_empty());
    }

    #[test]
    fn split_setting_and_address_sheets_are_joined_by_urn() {
        let dir = tempfile::tempdir().unwrap();
        let homes = workbook(
            dir.path(),
            "ch.xlsx",
            &[
                Sheet {
                    name: "Settings and Inspection Info",
                    title_rows: 0,
                    header: &HOMES_SETTING,
                    rows: &[&["1234567", "Manchester", "K2", "PR4", ""]],
                },
                Sheet {
                    name: "Address Details",
                    title_rows: 0,
                    header: &["URN", "Setting Postcode"],
                    rows: &[&["1234567", "M1 1AE"]],
                },
            ],
        );
        let (lists, _) = ProviderLists::load(&[homes], None, &mut sink());
        let home = &lists.unwrap().providers("1234567")[0].clone();
        assert_eq!(home.postcode.as_deref(), Some("M11AE"));
        assert_eq!(home.la, None, "no postcode reference, no LA");
    }

    #[test]
    fn combined_lists_give_supported_accommodation_k3_and_pr4() {
        let dir = tempfile::tempdir().unwrap();
        let combined = workbook(
            dir.path(),
            "scpch.xlsx",
            &[
                Sheet {
                    name: "Providers",
                    title_rows: 0,
                    header: &[
                        "urn",
                        "provider type",
                        "local authority",
                        "placement code",
                        "placement provider code",
                        "deregistration date",
                        "setting address postcode",
                    ],
                    rows: &[&[
                        "1234567",
                        "Children's Home",
                        "Manchester",
                        "K2",
                        "PR4",
                        "",
                        "M1 1AE",
                    ]],
                },
                Sheet {
                    name: "SA Providers",
                    title_rows: 0,
                    header: &[
                        "urn",
                        "provider local authority",
                        "closed date",
                        "setting address postcode",
                    ],
                    rows: &[
                        &["3000001", "Leeds", "", "LS1 1UR"],
                        &["3000001", "Manchester", "", "M1 1AE"],
                    ],
                },
            ],
        );
        let reference = PostcodeReference::builtin().unwrap();
        let (lists, _) = ProviderLists::load(&[combined], Some(&reference), &mut sink());
        let lists = lists.unwrap();
        let premises = lists.providers("3000001");
        assert_eq!(premises.len(), 2);
        assert!(
            premises
                .iter()
                .all(|p| p.placement_codes == ["K3"] && p.provider_codes == ["PR4"])
        );
        let las: Vec<_> = premises.iter().map(|p| p.la.as_deref()).collect();
        assert_eq!(las, [Some("E08000035"), Some("E08000003")]);
    }

    #[test]
    fn unrecognised_and_unreadable_workbooks_are_reported_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let other = workbook(
            dir.path(),
            "staff.xlsx",
            &[Sheet {
                name: "Staff",
                title_rows: 0,
                header: &["Name", "Team"],
                rows: &[&["A", "B"]],
            }],
        );
        let missing = dir.path().join("missing.xlsx");
        let mut sink = sink();
        let (lists, files) = ProviderLists::load(&[other, missing], None, &mut sink);
        assert!(lists.is_none());
        assert_eq!(files.len(), 1);
        let messages: Vec<&str> = sink.issues().iter().map(|i| &*i.message).collect();
        assert_eq!(messages.len(), 2);
        assert!(
            messages[0].contains("staff.xlsx is not recognised") && messages[0].contains("Staff")
        );
        assert!(messages[1].contains("missing.xlsx could not be read"));
        assert!(
            sink.issues()
                .iter()
                .all(|i| &*i.rule_code == "provider-list")
        );
    }
}
