//! Synthetic returns for development, tests, benchmarks and the demo: deterministic (seeded)
//! longitudinal data for N children for the SSDA903 and the CIN census, for a collection year
//! and the one before it, realistic enough that the reference validators find no errors in a
//! clean set, with optional error injection recorded in a manifest.
//!
//! Each child's history is simulated over several years (`ssda903::history`, `cin`), then cut
//! into each year's return by the DfE inclusion rules, so a child's two years agree. Every child
//! draws from its own random stream, so output is byte-identical for a seed on any machine.
//!
//! Layout under the output folder:
//! `ssda903/<YYYY-YY>/<table>.csv` (this year and last year), `ofsted/*.xlsx` (Ofsted's provider
//! lists for the 903 URNs, `ssda903::ofsted`), `cin/cin_<YYYY-YY>.xml` (both years),
//! `synth-manifest.json`.

pub mod calendar;
pub mod cin;
pub mod cin_rules;
pub mod injection;
pub mod manifest;
pub mod places;
pub mod rng;
pub mod rules903;
pub mod ssda903;
pub mod upn;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::fsutil;
use crate::schema::ReturnKind;
use crate::year::CollectionYear;
use injection::{Change, Injected, Kind, Part, Request, Site, Touched};
use manifest::{FileEntry, InjectionEntry, Manifest, ManifestOptions, RequestEntry, Shortfall};
use places::Gazetteer;
use rng::Rng;

/// Collection years the generator supports: it writes the year before too, and the
/// specifications cover 2022/23 to 2026/27.
pub const YEARS: std::ops::RangeInclusive<u16> = 2024..=2027;

#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub children: usize,
    pub seed: u64,
    pub year: CollectionYear,
    pub returns: Vec<ReturnKind>,
    /// ONS or DfE code of the home LA.
    pub la: String,
    /// Probability that a data cell is broken by a structural kind.
    pub structural_error_rate: f64,
    pub inject: Vec<Request>,
}

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("{0}")]
    Option(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// `2025-26` for the year ending March 2026: the folder and file name convention.
pub fn year_folder(year: u16) -> String {
    format!("{}-{:02}", year - 1, year % 100)
}

const ROLES: [&str; 2] = ["this_year", "previous_year"];

fn role_year(year: u16, role: usize) -> u16 {
    year - role as u16
}

/// Generates the data set described by `options` into `options.out` and returns its manifest
/// (also written as `synth-manifest.json`).
pub fn generate(options: &Options) -> Result<Manifest, SynthError> {
    let year = options.year.end_year();
    if !YEARS.contains(&year) {
        return Err(SynthError::Option(format!(
            "--year {year}: synthetic data covers collection years {}–{} (it also writes the year before); choose one of those",
            YEARS.start(),
            YEARS.end()
        )));
    }
    if options.children == 0 {
        return Err(SynthError::Option("--children must be at least 1".into()));
    }
    if !(0.0..=1.0).contains(&options.structural_error_rate) {
        return Err(SynthError::Option(format!(
            "--structural-error-rate {}: give a probability between 0 and 1, e.g. 0.002",
            options.structural_error_rate
        )));
    }
    let gazetteer = Gazetteer::embedded();
    let home = gazetteer.find(&options.la).ok_or_else(|| {
        SynthError::Option(format!(
            "--la {}: no postcodes for that LA in data/synth/postcodes.csv; choose one of {}",
            options.la,
            gazetteer.describe_choices()
        ))
    })?;
    let by_distance = gazetteer.by_distance_from(home);
    let context = ssda903::history::Context {
        gazetteer: &gazetteer,
        home,
        near: by_distance[..4.min(by_distance.len())].to_vec(),
        far: by_distance[4.min(by_distance.len())..].to_vec(),
        window_start: calendar::date(i32::from(year) - 2, 4, 1),
        horizon: calendar::date(i32::from(year), 3, 31),
        seed: options.seed,
        children: options.children,
    };
    let authority = &gazetteer.authorities[home];
    let mut manifest = Manifest {
        generator: "csc-returns synth".into(),
        seed: options.seed,
        options: ManifestOptions {
            children: options.children,
            collection_year: year,
            returns: options
                .returns
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
            la_ons_code: authority.ons_code.into(),
            la_dfe_code: authority.dfe_code.into(),
            la_name: authority.name.into(),
            structural_error_rate: options.structural_error_rate,
            inject: options
                .inject
                .iter()
                .map(|r| RequestEntry {
                    kind: r.kind.clone(),
                    count: r.count,
                })
                .collect(),
        },
        files: Vec::new(),
        injections: Vec::new(),
        shortfalls: Vec::new(),
    };
    let kinds = injection::all_kinds();
    let mut fitted = std::collections::HashSet::new();
    let structural = injection::structural_kinds();
    for &return_kind in &options.returns {
        let generator = Generator {
            options,
            context: &context,
            return_kind,
            year,
        };
        let requests: Vec<(usize, usize)> = options
            .inject
            .iter()
            .filter_map(|request| {
                let index = kinds.iter().position(|k| k.name() == request.kind)?;
                kinds[index]
                    .return_kind()
                    .is_none_or(|r| r == return_kind)
                    .then_some((index, request.count))
            })
            .collect();
        let (selected, available) = generator.select_sites(&kinds, &requests);
        let mut output = Output::new(return_kind, year, authority.dfe_code);
        let mut placed: HashMap<usize, usize> = HashMap::new();
        // Providers are listed from the clean rows, so injected errors break the lists' rules.
        let mut providers =
            (return_kind == ReturnKind::Ssda903).then(ssda903::ofsted::Register::default);
        for (child, parts) in generator.all_parts() {
            if let Some(providers) = providers.as_mut() {
                let rows: Vec<&ssda903::ChildRows> = parts
                    .iter()
                    .filter_map(|part| match part {
                        Some(ChildPart::Ssda903(rows)) => Some(rows),
                        _ => None,
                    })
                    .collect();
                providers.add(&rows);
            }
            for (role, part) in parts.into_iter().enumerate() {
                let Some(mut part) = part else {
                    continue;
                };
                let role_name = ROLES[role];
                let mut plans: Vec<(&dyn Kind, Site)> = Vec::new();
                if let Some(chosen) = selected.get(&(child, role)) {
                    let mut sites_by_kind: HashMap<usize, Vec<Site>> = HashMap::new();
                    for &(kind, site_index) in chosen {
                        let sites = sites_by_kind
                            .entry(kind)
                            .or_insert_with(|| kinds[kind].sites(part.as_part()));
                        plans.push((kinds[kind].as_ref(), sites[site_index]));
                    }
                }
                let mut rng = Rng::derive(
                    options.seed,
                    &format!("{return_kind}/inject/{role_name}"),
                    child as u64,
                );
                let by_rate = injection::plan_rate(
                    part.as_part(),
                    options.structural_error_rate,
                    &structural,
                    &mut rng,
                );
                // Requested injections first, so the per-cell rate never takes their places.
                let mut touched = Touched::default();
                let mut done = Vec::new();
                injection::apply(part.as_part_mut(), plans, &mut rng, &mut touched, &mut done);
                for injected in &done {
                    if let Some(index) = kinds.iter().position(|k| k.name() == injected.kind) {
                        *placed.entry(index).or_default() += 1;
                    }
                }
                injection::apply(
                    part.as_part_mut(),
                    by_rate,
                    &mut rng,
                    &mut touched,
                    &mut done,
                );
                output.write(role, part, done, &mut manifest.injections);
            }
        }
        // COUNT applies to each return that has places for the kind; a kind that fits no
        // return at all is reported once below.
        for (r, &(kind, requested)) in requests.iter().enumerate() {
            let injected = placed.get(&kind).copied().unwrap_or(0);
            if available[r] > 0 {
                fitted.insert(kind);
            }
            if available[r] > 0 && injected < requested {
                manifest.shortfalls.push(Shortfall {
                    kind: kinds[kind].name().to_string(),
                    return_kind: return_kind.as_str().into(),
                    requested,
                    injected,
                });
            }
        }
        output.save(&options.out, &mut manifest.files, &mut manifest.injections)?;
        if let Some(providers) = providers {
            providers.save(&options.out, year, &context, &mut manifest.files)?;
        }
    }
    for request in &options.inject {
        let kind = kinds.iter().position(|k| k.name() == request.kind);
        if kind.is_some_and(|k| !fitted.contains(&k)) && request.count > 0 {
            manifest.shortfalls.push(Shortfall {
                kind: request.kind.clone(),
                return_kind: "none".into(),
                requested: request.count,
                injected: 0,
            });
        }
    }
    let json = serde_json::to_string_pretty(&manifest).expect("the manifest serialises");
    let path = options.out.join("synth-manifest.json");
    fsutil::write_atomic(&path, format!("{json}\n").as_bytes())
        .map_err(|source| SynthError::Write { path, source })?;
    Ok(manifest)
}

/// A child's part of one year's return, in either format.
enum ChildPart {
    Ssda903(ssda903::ChildRows),
    Cin(cin::ChildXml),
}

impl ChildPart {
    fn as_part(&self) -> &dyn Part {
        match self {
            ChildPart::Ssda903(rows) => rows,
            ChildPart::Cin(xml) => xml,
        }
    }
    fn as_part_mut(&mut self) -> &mut dyn Part {
        match self {
            ChildPart::Ssda903(rows) => rows,
            ChildPart::Cin(xml) => xml,
        }
    }
}

/// Chosen sites: (child, role) → [(kind, site index within that part)].
type Selection = HashMap<(usize, usize), Vec<(usize, usize)>>;

struct Generator<'a> {
    options: &'a Options,
    context: &'a ssda903::history::Context<'a>,
    return_kind: ReturnKind,
    year: u16,
}

impl Generator<'_> {
    /// Child `index`'s parts of the return for each role (this year, last year), cut from one
    /// history generated from the child's own streams.
    fn parts(&self, index: usize) -> Vec<Option<ChildPart>> {
        let seed = self.options.seed;
        let years = (0..ROLES.len()).map(|role| role_year(self.year, role));
        match self.return_kind {
            ReturnKind::Ssda903 => {
                let mut rng = Rng::derive(seed, "ssda903/child", index as u64);
                let child = ssda903::history::generate(self.context, &mut rng, index);
                years
                    .map(|year| {
                        let mut rng =
                            Rng::derive(seed, &format!("ssda903/cut/{year}"), index as u64);
                        ssda903::cut(&child, year, self.context.gazetteer, &mut rng).map(
                            |mut rows| {
                                rows.this_year = year == self.year;
                                ChildPart::Ssda903(rows)
                            },
                        )
                    })
                    .collect()
            }
            ReturnKind::Cin => {
                let mut rng = Rng::derive(seed, "cin/child", index as u64);
                let la = self.context.gazetteer.authorities[self.context.home].dfe_code;
                let child = cin::generate(
                    &mut rng,
                    index,
                    la,
                    self.context.window_start,
                    self.context.horizon,
                );
                years
                    .map(|year| {
                        cin::cut(&child, year).map(|mut xml| {
                            xml.this_year = year == self.year;
                            ChildPart::Cin(xml)
                        })
                    })
                    .collect()
            }
        }
    }

    /// Every child's parts in child order. Children are generated in parallel, a chunk at a
    /// time; each draws only from its own streams, so the result does not depend on threads.
    fn all_parts(&self) -> impl Iterator<Item = (usize, Vec<Option<ChildPart>>)> + '_ {
        use rayon::prelude::*;
        const CHUNK: usize = 2048;
        (0..self.options.children)
            .step_by(CHUNK)
            .flat_map(move |first| {
                let last = (first + CHUNK).min(self.options.children);
                let parts: Vec<Vec<Option<ChildPart>>> = (first..last)
                    .into_par_iter()
                    .map(|i| self.parts(i))
                    .collect();
                (first..last).zip(parts)
            })
    }

    /// For `--inject KIND=COUNT`: finds every site of each requested kind in the whole data set
    /// and draws COUNT of them, returning (child, role) → [(kind, site index in that part)].
    fn select_sites(
        &self,
        kinds: &[Box<dyn Kind>],
        requests: &[(usize, usize)],
    ) -> (Selection, Vec<usize>) {
        let mut selected = Selection::new();
        let mut available = vec![0; requests.len()];
        if requests.is_empty() {
            return (selected, available);
        }
        // Site counts per (child, role) for each request.
        let mut counts: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); requests.len()];
        for (child, parts) in self.all_parts() {
            for (role, part) in parts.into_iter().enumerate() {
                let Some(part) = part else {
                    continue;
                };
                for (r, &(kind, _)) in requests.iter().enumerate() {
                    let n = kinds[kind].sites(part.as_part()).len();
                    if n > 0 {
                        counts[r].push((child, role, n));
                    }
                }
            }
        }
        for (r, &(kind, count)) in requests.iter().enumerate() {
            available[r] = counts[r].iter().map(|c| c.2).sum();
            // A part given to a kind that needs it to itself takes no other kind, and such a
            // kind takes no part another kind has.
            let alone = kinds[kind].needs_part_to_itself();
            let pool: Vec<(usize, usize, usize)> = counts[r]
                .iter()
                .copied()
                .filter(|&(child, role, _)| match selected.get(&(child, role)) {
                    None => true,
                    Some(chosen) => {
                        !alone
                            && chosen
                                .iter()
                                .all(|&(k, _)| !kinds[k].needs_part_to_itself())
                    }
                })
                .collect();
            let total: usize = pool.iter().map(|c| c.2).sum();
            // Named by the kind and how often it was requested before, not by the request's
            // position, so that adding a kind to the list leaves the others' draws alone.
            let repeat = requests[..r].iter().filter(|&&(k, _)| k == kind).count();
            let mut rng = Rng::derive(
                self.options.seed,
                &format!(
                    "{}/select/{}/{repeat}",
                    self.return_kind,
                    kinds[kind].name()
                ),
                0,
            );
            let chosen = sample(&mut rng, total, count.min(total));
            let mut offset = 0;
            let mut next = chosen.iter().peekable();
            for &(child, role, n) in &pool {
                while let Some(&&global) = next.peek() {
                    if global >= offset + n {
                        break;
                    }
                    selected
                        .entry((child, role))
                        .or_default()
                        .push((kind, global - offset));
                    next.next();
                }
                offset += n;
            }
        }
        (selected, available)
    }
}

/// `count` distinct numbers below `total`, in increasing order (Floyd's algorithm).
fn sample(rng: &mut Rng, total: usize, count: usize) -> Vec<usize> {
    let mut chosen = std::collections::BTreeSet::new();
    for j in total - count..total {
        let t = rng.below(j as u64 + 1) as usize;
        if !chosen.insert(t) {
            chosen.insert(j);
        }
    }
    chosen.into_iter().collect()
}

/// The files of one return being written: 903 tables per year, or the CIN XML per year.
struct Output {
    return_kind: ReturnKind,
    year: u16,
    /// [role][table] (903).
    csv: Vec<Vec<CsvFile>>,
    /// [role] (CIN).
    xml: Vec<XmlFile>,
}

/// A 903 CSV being written.
struct CsvFile {
    text: String,
    /// Data rows so far.
    rows: usize,
    /// Rows injections added, written after every other row when the file is saved.
    appended: Vec<Appended>,
}

/// A row an injection added: its values and the manifest entries that locate it.
struct Appended {
    values: Vec<String>,
    entries: Vec<usize>,
}

/// A CIN census XML being written.
struct XmlFile {
    text: String,
    /// Lines so far, including the declaration and header.
    lines: usize,
    children: usize,
    /// Rows so far per flat table.
    rows: [usize; cin::TABLES.len()],
}

impl Output {
    fn new(return_kind: ReturnKind, year: u16, lea: &str) -> Self {
        let mut csv = Vec::new();
        let mut xml = Vec::new();
        for role in 0..ROLES.len() {
            let role_year = role_year(year, role);
            csv.push(
                ssda903::tables_for(role_year)
                    .map(|(_, table)| CsvFile {
                        text: format!("{}\n", table.columns.join(",")),
                        rows: 0,
                        appended: Vec::new(),
                    })
                    .collect(),
            );
            let mut text = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
            let header = cin::header_lines(role_year, lea);
            for line in &header {
                text.push_str(line);
                text.push('\n');
            }
            xml.push(XmlFile {
                text,
                lines: 1 + header.len(),
                children: 0,
                rows: [0; cin::TABLES.len()],
            });
        }
        Self {
            return_kind,
            year,
            csv,
            xml,
        }
    }

    fn file(&self, role: usize, table: usize) -> String {
        let folder = year_folder(role_year(self.year, role));
        match self.return_kind {
            ReturnKind::Ssda903 => format!("ssda903/{folder}/{}", ssda903::TABLES[table].file),
            ReturnKind::Cin => format!("cin/cin_{folder}.xml"),
        }
    }

    fn write(
        &mut self,
        role: usize,
        part: ChildPart,
        done: Vec<Injected>,
        entries: &mut Vec<InjectionEntry>,
    ) {
        let role_year = role_year(self.year, role);
        let mut rows_of: HashMap<(usize, usize), usize> = HashMap::new();
        let child_id = part.as_part().child_id().to_string();
        // Added rows by (table, row): their place in the file's list of appended rows.
        let mut appended: HashMap<(usize, usize), usize> = HashMap::new();
        match &part {
            ChildPart::Ssda903(rows) => {
                for (table, table_rows) in rows.tables.iter().enumerate() {
                    let file = &mut self.csv[role][table];
                    for (row, values) in table_rows.iter().enumerate() {
                        if rows.added.contains(&(table, row)) {
                            appended.insert((table, row), file.appended.len());
                            file.appended.push(Appended {
                                values: values.clone(),
                                entries: Vec::new(),
                            });
                            continue;
                        }
                        file.rows += 1;
                        // Excel numbers the header 1.
                        rows_of.insert((table, row), file.rows + 1);
                        file.text.push_str(&values.join(","));
                        file.text.push('\n');
                    }
                }
            }
            ChildPart::Cin(xml) => {
                let file = &mut self.xml[role];
                let text = &mut file.text;
                file.children += 1;
                for line in &xml.lines {
                    file.lines += 1;
                    if let Some((table, row)) = line.row {
                        rows_of.insert((table, row), file.lines);
                        file.rows[table] += 1;
                    }
                    for _ in 0..line.depth {
                        text.push_str("  ");
                    }
                    match &line.body {
                        cin::Body::Open => text.push_str(&format!("<{}>", line.name)),
                        cin::Body::Close => text.push_str(&format!("</{}>", line.name)),
                        cin::Body::Text(value) if value.is_empty() => {
                            text.push_str(&format!("<{}/>", line.name))
                        }
                        cin::Body::Text(value) => {
                            text.push_str(&format!("<{0}>{1}</{0}>", line.name, escape(value)))
                        }
                    }
                    text.push('\n');
                }
            }
        }
        let part = part.as_part();
        for injected in done {
            let at = (injected.table, injected.row);
            // An added row's number is known once every child's rows are written (`save`).
            let row = match appended.get(&at) {
                Some(&index) => {
                    self.csv[role][injected.table].appended[index]
                        .entries
                        .push(entries.len());
                    0
                }
                None => rows_of[&at],
            };
            entries.push(InjectionEntry {
                return_kind: self.return_kind.as_str().into(),
                collection_year: role_year,
                role: ROLES[role].into(),
                file: self.file(role, injected.table),
                table: part.table_name(injected.table).into(),
                row,
                column: injected
                    .change
                    .column()
                    .map(|c| part.column_name(injected.table, c).to_string()),
                added_row: injected.change == Change::Added,
                check: injected.check,
                kind: injected.kind,
                value: injected.value,
                child_id: child_id.clone(),
            });
        }
    }

    /// Writes the files, added rows last, and gives the manifest entries of added rows their row.
    fn save(
        mut self,
        out: &Path,
        files: &mut Vec<FileEntry>,
        entries: &mut [InjectionEntry],
    ) -> Result<(), SynthError> {
        for file in self.csv.iter_mut().flatten() {
            for row in std::mem::take(&mut file.appended) {
                file.rows += 1;
                file.text.push_str(&row.values.join(","));
                file.text.push('\n');
                for entry in row.entries {
                    // Excel numbers the header 1.
                    entries[entry].row = file.rows + 1;
                }
            }
        }
        for (role, role_name) in ROLES.iter().enumerate() {
            let role_year = role_year(self.year, role);
            let folder = year_folder(role_year);
            let base = match self.return_kind {
                ReturnKind::Ssda903 => out.join("ssda903").join(&folder),
                ReturnKind::Cin => out.join("cin"),
            };
            fsutil::create_private_dir_all(&base).map_err(|source| SynthError::Write {
                path: base.clone(),
                source,
            })?;
            match self.return_kind {
                ReturnKind::Ssda903 => {
                    for ((_, table), file) in ssda903::tables_for(role_year).zip(&self.csv[role]) {
                        let path = base.join(table.file);
                        fsutil::write_atomic(&path, file.text.as_bytes())
                            .map_err(|source| SynthError::Write { path, source })?;
                        files.push(FileEntry {
                            path: format!("ssda903/{folder}/{}", table.file),
                            return_kind: "ssda903".into(),
                            collection_year: role_year,
                            role: (*role_name).into(),
                            rows: file.rows,
                            tables: BTreeMap::from([(table.name.to_string(), file.rows)]),
                        });
                    }
                }
                ReturnKind::Cin => {
                    let file = &self.xml[role];
                    let text = format!("{}  </Children>\n</Message>\n", file.text);
                    let name = format!("cin_{folder}.xml");
                    let path = base.join(&name);
                    fsutil::write_atomic(&path, text.as_bytes())
                        .map_err(|source| SynthError::Write { path, source })?;
                    files.push(FileEntry {
                        path: format!("cin/{name}"),
                        return_kind: "cin".into(),
                        collection_year: role_year,
                        role: (*role_name).into(),
                        rows: file.children,
                        tables: cin::TABLES
                            .iter()
                            .zip(&file.rows)
                            .map(|((name, _), n)| (name.to_string(), *n))
                            .collect(),
                    });
                }
            }
        }
        Ok(())
    }
}

fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
