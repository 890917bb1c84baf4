//! Synthetic SSDA903 returns: children's care histories (`history`) cut into the twelve CSV
//! tables of a collection year by the DfE inclusion rules, and Ofsted's provider lists for
//! their URNs (`ofsted`).

pub mod history;
pub mod ofsted;
mod period;
mod placement;
mod provider;

use chrono::NaiveDate;

use crate::schema::ReturnKind;
use crate::synth::calendar::{add_years, age_on, date, days, dmy};
use crate::synth::injection::{Cell, Part};
use crate::synth::places::Gazetteer;
use crate::synth::rng::Rng;
use history::{Child, Episode, Sex};

/// One 903 table: its name in the schemas, its file and its columns in DfE order.
#[derive(Debug, Clone, Copy)]
pub struct TableDef {
    pub name: &'static str,
    pub file: &'static str,
    pub columns: &'static [&'static str],
    /// First collection year that has the table.
    pub since: u16,
}

pub const TABLES: [TableDef; 12] = [
    TableDef {
        name: "Header",
        file: "header.csv",
        columns: &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
        since: 2023,
    },
    TableDef {
        name: "Episodes",
        file: "episodes.csv",
        columns: &[
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "REASON_PLACE_CHANGE",
            "HOME_POST",
            "PL_POST",
            "URN",
        ],
        since: 2023,
    },
    TableDef {
        name: "Reviews",
        file: "reviews.csv",
        columns: &["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
        since: 2023,
    },
    TableDef {
        name: "UASC",
        file: "uasc.csv",
        columns: &["CHILD", "SEX", "DOB", "DUC"],
        since: 2023,
    },
    TableDef {
        name: "OC2",
        file: "oc2.csv",
        columns: &[
            "CHILD",
            "DOB",
            "SDQ_SCORE",
            "SDQ_REASON",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ],
        since: 2023,
    },
    TableDef {
        name: "OC3",
        file: "oc3.csv",
        columns: &["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
        since: 2023,
    },
    TableDef {
        name: "AD1",
        file: "ad1.csv",
        columns: &[
            "CHILD",
            "DOB",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ],
        since: 2023,
    },
    TableDef {
        name: "PlacedAdoption",
        file: "placed_for_adoption.csv",
        columns: &[
            "CHILD",
            "DOB",
            "DATE_PLACED",
            "DATE_PLACED_CEASED",
            "REASON_PLACED_CEASED",
        ],
        since: 2023,
    },
    TableDef {
        name: "PrevPerm",
        file: "previous_permanence.csv",
        columns: &["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
        since: 2023,
    },
    TableDef {
        name: "Missing",
        file: "missing.csv",
        columns: &["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
        since: 2023,
    },
    TableDef {
        name: "SWEpisodes",
        file: "social_worker.csv",
        columns: &["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
        since: 2024,
    },
    TableDef {
        name: "DoLo",
        file: "dolo.csv",
        columns: &["CHILD", "DOB", "DOLO_START", "DOLO_END"],
        since: 2027,
    },
];

const HEADER: usize = 0;
const EPISODES: usize = 1;
const REVIEWS: usize = 2;
const UASC: usize = 3;
const OC2: usize = 4;
const OC3: usize = 5;
const AD1: usize = 6;
const PLACED_ADOPTION: usize = 7;
const PREV_PERM: usize = 8;
const MISSING: usize = 9;
const SW_EPISODES: usize = 10;
const DOLO: usize = 11;

/// The tables a collection year has.
pub fn tables_for(year: u16) -> impl Iterator<Item = (usize, &'static TableDef)> {
    TABLES
        .iter()
        .enumerate()
        .filter(move |(_, t)| t.since <= year)
}

/// One child's rows in one year's return.
#[derive(Debug, Clone)]
pub struct ChildRows {
    pub child: String,
    pub tables: Vec<Vec<Vec<String>>>,
    pub year: u16,
    /// False for last year's return, written beside the year asked for.
    pub this_year: bool,
    /// Rows an injection added (table, row): written after every other row of their file.
    pub added: Vec<(usize, usize)>,
}

impl Part for ChildRows {
    fn return_kind(&self) -> ReturnKind {
        ReturnKind::Ssda903
    }
    fn child_id(&self) -> &str {
        &self.child
    }
    fn table_name(&self, table: usize) -> &'static str {
        TABLES[table].name
    }
    fn column_name(&self, table: usize, column: usize) -> &'static str {
        TABLES[table].columns[column]
    }
    fn cells(&self) -> Vec<(Cell, &str)> {
        let mut cells = Vec::new();
        for (table, rows) in self.tables.iter().enumerate() {
            for (row, values) in rows.iter().enumerate() {
                for (column, value) in values.iter().enumerate() {
                    cells.push((Cell { table, row, column }, value.as_str()));
                }
            }
        }
        cells
    }
    fn value(&self, cell: Cell) -> &str {
        &self.tables[cell.table][cell.row][cell.column]
    }
    fn set(&mut self, cell: Cell, value: String) {
        self.tables[cell.table][cell.row][cell.column] = value;
    }
    fn rows_equal(&self, table: usize, a: usize, b: usize) -> bool {
        self.tables[table][a] == self.tables[table][b]
    }
    fn row_count(&self, table: usize) -> usize {
        self.tables[table].len()
    }
    fn table_count(&self) -> usize {
        self.tables.len()
    }
    fn duplicate_row(&mut self, table: usize, row: usize) -> Option<usize> {
        let copy = self.tables[table][row].clone();
        self.tables[table].insert(row + 1, copy);
        for added in &mut self.added {
            if added.0 == table && added.1 > row {
                added.1 += 1;
            }
        }
        Some(row + 1)
    }
    fn add_row(&mut self, table: usize) -> Option<usize> {
        let mut values = vec![String::new(); TABLES[table].columns.len()];
        values[0] = self.child.clone();
        self.tables[table].push(values);
        let row = self.tables[table].len() - 1;
        self.added.push((table, row));
        Some(row)
    }
    fn collection_year(&self) -> u16 {
        self.year
    }
    fn is_this_year(&self) -> bool {
        self.this_year
    }
}

fn opt_date(day: Option<NaiveDate>) -> String {
    day.map(dmy).unwrap_or_default()
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

/// The collection-year view of a child: what the LA would have returned for `year`, or `None`
/// when the child is not in that year's return.
pub fn cut(child: &Child, year: u16, gazetteer: &Gazetteer, rng: &mut Rng) -> Option<ChildRows> {
    let start = date(i32::from(year) - 1, 4, 1);
    let end = date(i32::from(year), 3, 31);
    let in_year: Vec<&Episode> = child
        .episodes
        .iter()
        .filter(|e| e.decom <= end && e.dec.is_none_or(|d| d >= start))
        .collect();
    let oc3 = care_leaver_row(child, start, end, rng);
    if in_year.is_empty() && oc3.is_none() {
        return None;
    }
    let dob = dmy(child.dob);
    let id = child.id.clone();
    let mut tables: Vec<Vec<Vec<String>>> = vec![Vec::new(); tables_for(year).count()];
    let looked_after = in_year.iter().any(|e| e.ls != "V3");
    let sex = match (child.sex, year <= 2024) {
        (Sex::Male, true) => "1",
        (Sex::Female, true) => "2",
        (Sex::Male, false) => "M",
        (Sex::Female, false) => "F",
    };
    let (mother, mother_child_dob) = match (child.sex, looked_after) {
        (Sex::Female, true) => match child.first_child_dob {
            Some(born) if born <= end => ("1".to_string(), dmy(born)),
            _ => ("0".to_string(), String::new()),
        },
        _ => (String::new(), String::new()),
    };
    let upn = if child.uasc {
        "UN2".to_string()
    } else if add_years(child.dob, 4) <= date(i32::from(year) - 2, 8, 31) {
        child.upn.clone()
    } else {
        "UN1".to_string()
    };
    tables[HEADER].push(vec![
        id.clone(),
        sex.into(),
        dob.clone(),
        child.ethnicity.into(),
        upn,
        mother,
        mother_child_dob,
    ]);
    if let Some(row) = oc3 {
        let mut full = vec![id.clone(), dob.clone()];
        full.extend(row);
        tables[OC3].push(full);
    }
    if in_year.is_empty() {
        return Some(ChildRows {
            child: id,
            tables,
            year,
            this_year: true,
            added: Vec::new(),
        });
    }
    for episode in &in_year {
        let closed = episode.dec.filter(|d| *d <= end);
        let postcode = |p: Option<usize>| {
            p.map(|p| gazetteer.postcodes[p].code.to_string())
                .unwrap_or_default()
        };
        tables[EPISODES].push(vec![
            id.clone(),
            dmy(episode.decom),
            episode.rne.into(),
            episode.ls.into(),
            episode.cin.into(),
            episode.placement.place.code(year).into(),
            text(episode.placement.provider),
            opt_date(closed),
            text(closed.and(episode.rec)),
            text(closed.and(episode.reason_place_change)),
            postcode(episode.home_post),
            postcode(episode.placement.postcode),
            episode.placement.urn.clone().unwrap_or_default(),
        ]);
    }
    if looked_after {
        for review in child.reviews.iter().filter(|r| start <= **r && **r <= end) {
            let code = if age_on(child.dob, *review) < 4 {
                "PN0"
            } else {
                rng.weighted(&[
                    ("PN1", 50),
                    ("PN2", 8),
                    ("PN3", 5),
                    ("PN4", 5),
                    ("PN5", 10),
                    ("PN6", 5),
                    ("PN7", 12),
                ])
            };
            tables[REVIEWS].push(vec![id.clone(), dob.clone(), dmy(*review), code.into()]);
        }
    }
    let eighteenth = add_years(child.dob, 18);
    if child.uasc && eighteenth >= start {
        tables[UASC].push(vec![id.clone(), sex.into(), dob.clone(), dmy(eighteenth)]);
    }
    if continuously_looked_after(&in_year, start, end) {
        let mut row = vec![id.clone(), dob.clone()];
        row.extend(outcomes(child.dob, start, end, rng));
        tables[OC2].push(row);
    }
    if let Some(adoption) = &child.adoption {
        if adoption.adopted.is_some_and(|a| start <= a && a <= end) {
            let (number, sexes, status) = adoption.adopters;
            tables[AD1].push(vec![
                id.clone(),
                dob.clone(),
                dmy(adoption.decision),
                opt_date(adoption.matched),
                if adoption.by_foster_carers { "1" } else { "0" }.into(),
                number.into(),
                sexes.into(),
                status.into(),
            ]);
        }
        // A reversed decision is returned up to the year it was reversed in (118, 561).
        if adoption.decision <= end && adoption.reversed.is_none_or(|(r, _)| r >= start) {
            let reversed = adoption.reversed.filter(|(r, _)| *r <= end);
            tables[PLACED_ADOPTION].push(vec![
                id.clone(),
                dob.clone(),
                dmy(adoption.decision),
                opt_date(reversed.map(|r| r.0)),
                text(reversed.map(|r| r.1)),
            ]);
        }
    }
    if let Some(latest_start) = in_year
        .iter()
        .filter(|e| e.rne == "S" && e.decom >= start)
        .map(|e| e.decom)
        .max()
    {
        let permanence = child
            .previous_permanence
            .iter()
            .rev()
            .find(|p| p.period_start <= latest_start)
            .or(child.previous_permanence.first());
        if let Some(p) = permanence {
            tables[PREV_PERM].push(vec![
                id.clone(),
                dob.clone(),
                p.code.into(),
                text(p.la),
                p.date.clone().unwrap_or_default(),
            ]);
        }
    }
    for missing in child
        .missing
        .iter()
        .filter(|m| m.start <= end && m.end.is_none_or(|e| e >= start))
    {
        tables[MISSING].push(vec![
            id.clone(),
            dob.clone(),
            missing.kind.into(),
            dmy(missing.start),
            opt_date(missing.end.filter(|e| *e <= end)),
        ]);
    }
    if year >= TABLES[SW_EPISODES].since && looked_after {
        // The social worker window (SW07) is the collection year in 2023/24 and from 2024/25
        // runs from 1 April of the previous collection year; allocations ending in its first
        // days are left out because the reference validator measures that extra year in
        // 365.2425-day units.
        let window = if year <= 2024 {
            start
        } else {
            add_years(start, -1) + days(2)
        };
        for worker in child
            .social_workers
            .iter()
            .filter(|w| w.start <= end && w.end.is_none_or(|e| e >= window))
        {
            tables[SW_EPISODES].push(vec![
                id.clone(),
                dob.clone(),
                worker.id.clone(),
                dmy(worker.start),
                opt_date(worker.end.filter(|e| *e <= end)),
                worker.reason.into(),
            ]);
        }
    }
    if year >= TABLES[DOLO].since {
        for dolo in child
            .dolos
            .iter()
            .filter(|d| d.start <= end && d.end.is_none_or(|e| e >= start))
        {
            tables[DOLO].push(vec![
                id.clone(),
                dob.clone(),
                dmy(dolo.start),
                opt_date(dolo.end.filter(|e| *e <= end)),
            ]);
        }
    }
    Some(ChildRows {
        child: id,
        tables,
        year,
        this_year: true,
        added: Vec::new(),
    })
}

/// Looked after for the whole year in the sense of the OC2 rules (`spec/ssda903.md` §7.3).
fn continuously_looked_after(in_year: &[&Episode], start: NaiveDate, end: NaiveDate) -> bool {
    !in_year.is_empty()
        && in_year.iter().all(|e| {
            let entered = e.rne == "S" && e.decom > start && e.decom <= end;
            let left = e.rec != Some("X1") && e.dec.is_some_and(|d| d >= start && d <= end);
            !entered && !left && e.ls != "V3" && e.ls != "V4"
        })
}

/// OC2 outcomes for a child looked after for the whole year, by age (`spec/ssda903.md` §7.7).
fn outcomes(dob: NaiveDate, start: NaiveDate, end: NaiveDate, rng: &mut Rng) -> Vec<String> {
    let four = add_years(dob, 4);
    let seventeen = add_years(dob, 17);
    let (score, reason) = if four > end || seventeen <= start {
        (String::new(), String::new())
    } else if four > start || seventeen <= end {
        if rng.chance(0.5) {
            (rng.range(0, 40).to_string(), String::new())
        } else {
            (String::new(), "SDQ1".into())
        }
    } else if rng.chance(0.85) {
        (rng.range(0, 40).to_string(), String::new())
    } else {
        (
            String::new(),
            rng.pick(&["SDQ2", "SDQ3", "SDQ4", "SDQ5"]).to_string(),
        )
    };
    let age = age_on(dob, end);
    let flag = |rng: &mut Rng, p: f64| {
        if rng.chance(p) {
            "1".to_string()
        } else {
            "0".to_string()
        }
    };
    let convicted = if age >= 10 {
        flag(rng, 0.04)
    } else {
        String::new()
    };
    let health_check = if age < 5 {
        flag(rng, 0.9)
    } else {
        String::new()
    };
    let substance = if age >= 11 {
        flag(rng, 0.06)
    } else {
        "0".into()
    };
    let (received, offered) = if substance == "1" {
        let received = flag(rng, 0.6);
        let offered = if received == "0" {
            flag(rng, 0.5)
        } else {
            String::new()
        };
        (received, offered)
    } else {
        (String::new(), String::new())
    };
    vec![
        score,
        reason,
        convicted,
        health_check,
        flag(rng, 0.88),
        flag(rng, 0.85),
        flag(rng, 0.9),
        substance,
        received,
        offered,
    ]
}

/// The OC3 row (IN_TOUCH, ACTIV, ACCOM) of a care leaver whose 17th to 21st birthday falls in the
/// year, who had left care before that birthday (1007, 1016).
fn care_leaver_row(
    child: &Child,
    start: NaiveDate,
    end: NaiveDate,
    rng: &mut Rng,
) -> Option<Vec<String>> {
    let left = child.care_leaver_since()?;
    if left > end {
        return None;
    }
    let age = (17..=21).find(|age| {
        let birthday = add_years(child.dob, *age);
        start <= birthday && birthday <= end && left < birthday
    })?;
    let in_touch = rng.weighted(&[
        ("YES", 82),
        ("NO", 6),
        ("REFU", 5),
        ("NREQ", 4),
        ("RHOM", 3),
    ]);
    if !matches!(in_touch, "YES" | "NREQ") {
        return Some(vec![in_touch.into(), "0".into(), "0".into()]);
    }
    let activity = rng.weighted(&[
        ("F1", 8),
        ("P1", 2),
        ("F2", 22),
        ("P2", 5),
        ("F4", 6),
        ("P4", 2),
        ("F5", 12),
        ("P5", 6),
        ("G4", 8),
        ("G5", 22),
        ("G6", 7),
    ]);
    let mut places: Vec<(&str, u32)> = vec![
        ("B1", 12),
        ("D1", 20),
        ("E1", 12),
        ("K1", 6),
        ("U1", 25),
        ("C1", 4),
        ("Y1", 3),
        ("S2", 2),
        ("V2", 2),
        ("W2", 1),
        ("X2", 2),
        ("B2", 2),
    ];
    if age >= 18 {
        places.extend([("T1", 3), ("Z1", 8)]);
    }
    let accommodation = rng.weighted(&places);
    Some(vec![in_touch.into(), activity.into(), accommodation.into()])
}
