//! Error injection: deliberately broken synthetic data with a record of every break, so that
//! tests can check that validation finds exactly what was injected.
//!
//! An injection *kind* finds the places in one child's part of a return where it can act
//! ([`Kind::sites`]) and breaks one of them ([`Kind::inject`]). Kinds are named after what they
//! should trigger: the structural check codes of `crate::structural::Check` (`invalid-date`,
//! `missing-value`, …) here, and DfE rule codes (`903-146`, `cin-8500`) for kinds that break a
//! specific validation rule. To add a rule kind, implement [`Kind`] and list it in [`all_kinds`];
//! the command line (`--inject KIND[=COUNT]`), site selection and the manifest need no change.
//! Most kinds change cells; a kind whose rule is about a row the generator never writes adds one
//! ([`Part::add_row`], [`Change::Added`]), which the writer puts after every other row of its file
//! so that the rows of the clean data keep their numbers.
//!
//! A kind must cause its one finding and nothing else of its family: a structural kind never
//! blanks an identifier, never writes a value that happens to be valid, and never makes a row
//! equal to another.

use crate::schema::ReturnKind;
use crate::structural::Check;
use crate::synth::rng::Rng;

/// One cell of a child's part of a return: table, row within the child's rows of that table,
/// column. Indices refer to the return's own table and column lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub table: usize,
    pub row: usize,
    pub column: usize,
}

/// One child's rows in one year of one return, as injection sees them.
pub trait Part {
    fn return_kind(&self) -> ReturnKind;
    fn child_id(&self) -> &str;
    fn table_name(&self, table: usize) -> &'static str;
    fn column_name(&self, table: usize, column: usize) -> &'static str;
    /// Every data cell present, in a fixed order, with its value.
    fn cells(&self) -> Vec<(Cell, &str)>;
    fn value(&self, cell: Cell) -> &str;
    fn set(&mut self, cell: Cell, value: String);
    /// Whether two rows of a table hold the same values.
    fn rows_equal(&self, table: usize, a: usize, b: usize) -> bool;
    fn row_count(&self, table: usize) -> usize;
    fn table_count(&self) -> usize;
    /// Repeats a row right after itself; `None` when the format has no repeatable rows.
    fn duplicate_row(&mut self, table: usize, row: usize) -> Option<usize>;
    /// Adds a row to the end of the child's rows of a table, blank but for the child's
    /// identifier, and returns it; the writer puts it after every other row of the table's file,
    /// so that no row already there moves. `None` when the format cannot add rows.
    fn add_row(&mut self, _table: usize) -> Option<usize> {
        None
    }
    /// The collection year (end year) of the return this part belongs to.
    fn collection_year(&self) -> u16;
    /// Whether this part is of the year asked for, rather than of last year's return written
    /// beside it (rule kinds break only the year that is validated).
    fn is_this_year(&self) -> bool;
    /// The row of table `outer` that a row sits in (a CIN episode's row for its plan, a plan's
    /// for its review); `None` when the row is not inside one or the format does not nest rows.
    fn enclosing_row(&self, _table: usize, _row: usize, _outer: usize) -> Option<usize> {
        None
    }
    /// Writes a field of a row, adding it when the row does not have it (an optional element
    /// the generator left out); `None` when the format cannot add it there.
    fn add_cell(
        &mut self,
        _table: usize,
        _row: usize,
        _column: usize,
        _value: String,
    ) -> Option<Cell> {
        None
    }
}

/// Where a kind can act: a cell, or a whole row (`column` unused) for row-level kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Site {
    pub cell: Cell,
    pub whole_row: bool,
}

/// What one injection did, in the child's local coordinates; the writer turns `row` into the
/// file's row or line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injected {
    pub kind: String,
    /// The structural check code or DfE rule code the injection should trigger.
    pub check: String,
    pub table: usize,
    pub row: usize,
    pub change: Change,
    /// The value written; for an added row, its cells joined by commas.
    pub value: String,
}

/// How an injection changed its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A cell was written (and maybe others of the row): the kind's site.
    Cell(usize),
    /// The row is a repeat of the row before it, inserted after it.
    Repeat,
    /// The row is new, added by [`Part::add_row`].
    Added,
}

impl Change {
    /// The column written, for a cell change.
    pub fn column(self) -> Option<usize> {
        match self {
            Change::Cell(column) => Some(column),
            Change::Repeat | Change::Added => None,
        }
    }
}

pub trait Kind: Send + Sync {
    /// The name used on the command line and in the manifest.
    fn name(&self) -> &str;
    fn return_kind(&self) -> Option<ReturnKind>;
    fn sites(&self, part: &dyn Part) -> Vec<Site>;
    fn inject(&self, part: &mut dyn Part, site: Site, rng: &mut Rng) -> Option<Injected>;
    /// Whether the kind's edit relies on cells besides the one it writes (a date moved to the
    /// day before its episode's referral relies on the referral): such a kind is given a child's
    /// part to itself, so that no other injection moves what it relied on.
    fn needs_part_to_itself(&self) -> bool {
        false
    }
}

/// How the schemas type the columns a structural kind may touch. Kept here, not read from the
/// schema files, so that what a kind does is fixed by its name; a test checks it against the
/// embedded schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typing {
    /// Free text or a pattern (UPN): only blanking applies.
    Text,
    Date,
    Code(&'static str),
    Integer,
    Boolean,
}

/// A column structural kinds may break: its type, whether the schema requires it, and (codes)
/// a replacement that is wrong in every collection year yet no longer than the longest valid
/// code, so that it cannot also be "too long".
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub return_kind: ReturnKind,
    pub table: &'static str,
    pub column: &'static str,
    pub typing: Typing,
    pub mandatory: bool,
}

const fn col(
    return_kind: ReturnKind,
    table: &'static str,
    column: &'static str,
    typing: Typing,
    mandatory: bool,
) -> ColumnSpec {
    ColumnSpec {
        return_kind,
        table,
        column,
        typing,
        mandatory,
    }
}

use ReturnKind::{Cin as C, Ssda903 as S};
use Typing::{Boolean as B, Code, Date as D, Integer as I, Text};

pub const COLUMNS: &[ColumnSpec] = &[
    col(S, "Header", "SEX", Code("X"), true),
    col(S, "Header", "DOB", D, true),
    col(S, "Header", "ETHNIC", Code("WXYZ"), true),
    col(S, "Header", "UPN", Text, true),
    col(S, "Header", "MC_DOB", D, false),
    col(S, "Episodes", "DECOM", D, true),
    col(S, "Episodes", "RNE", Code("Q"), true),
    col(S, "Episodes", "LS", Code("C9"), true),
    col(S, "Episodes", "CIN", Code("N9"), true),
    col(S, "Episodes", "PLACE", Code("Q1"), true),
    col(S, "Episodes", "PLACE_PROVIDER", Code("PR9"), false),
    col(S, "Episodes", "DEC", D, false),
    col(S, "Episodes", "REC", Code("E99"), false),
    col(S, "Episodes", "REASON_PLACE_CHANGE", Code("MOVED"), false),
    col(S, "Reviews", "DOB", D, false),
    col(S, "Reviews", "REVIEW", D, false),
    col(S, "Reviews", "REVIEW_CODE", Code("PN9"), false),
    col(S, "UASC", "DOB", D, false),
    col(S, "UASC", "DUC", D, false),
    col(S, "OC2", "DOB", D, false),
    col(S, "OC2", "SDQ_SCORE", I, false),
    col(S, "OC2", "SDQ_REASON", Code("SDQ9"), false),
    col(S, "OC3", "DOB", D, false),
    col(S, "OC3", "IN_TOUCH", Code("NOPE"), false),
    col(S, "OC3", "ACTIV", Code("F9"), false),
    col(S, "OC3", "ACCOM", Code("Q1"), false),
    col(S, "AD1", "DOB", D, false),
    col(S, "AD1", "DATE_INT", D, false),
    col(S, "AD1", "DATE_MATCH", D, false),
    col(S, "AD1", "SEX_ADOPTR", Code("XY"), false),
    col(S, "AD1", "LS_ADOPTR", Code("L9"), false),
    col(S, "PlacedAdoption", "DOB", D, false),
    col(S, "PlacedAdoption", "DATE_PLACED", D, false),
    col(S, "PlacedAdoption", "DATE_PLACED_CEASED", D, false),
    col(
        S,
        "PlacedAdoption",
        "REASON_PLACED_CEASED",
        Code("RD9"),
        false,
    ),
    col(S, "PrevPerm", "DOB", D, false),
    col(S, "PrevPerm", "PREV_PERM", Code("P9"), false),
    col(S, "Missing", "DOB", D, false),
    col(S, "Missing", "MISSING", Code("X"), false),
    col(S, "Missing", "MIS_START", D, false),
    col(S, "Missing", "MIS_END", D, false),
    col(S, "SWEpisodes", "DOB", D, false),
    col(S, "SWEpisodes", "SW_DECOM", D, false),
    col(S, "SWEpisodes", "SW_DEC", D, false),
    col(S, "SWEpisodes", "SW_REASON", Code("UNKNWN"), false),
    col(S, "DoLo", "DOB", D, false),
    col(S, "DoLo", "DOLO_START", D, false),
    col(S, "DoLo", "DOLO_END", D, false),
    col(C, "ChildIdentifiers", "PersonBirthDate", D, false),
    col(C, "ChildIdentifiers", "ExpectedPersonBirthDate", D, false),
    col(C, "ChildIdentifiers", "Sex", Code("X"), true),
    col(C, "ChildIdentifiers", "GenderCurrent", Code("5"), true),
    col(C, "ChildIdentifiers", "UPNunknown", Code("UN9"), false),
    col(C, "ChildIdentifiers", "PersonDeathDate", D, false),
    col(C, "ChildCharacteristics", "Ethnicity", Code("WXYZ"), true),
    col(C, "Disabilities", "Disability", Code("XYZ"), false),
    col(C, "CINdetails", "CINreferralDate", D, true),
    col(C, "CINdetails", "ReferralSource", Code("11"), true),
    col(C, "CINdetails", "PrimaryNeedCode", Code("NX"), false),
    col(C, "CINdetails", "CINclosureDate", D, false),
    col(C, "CINdetails", "ReasonForClosure", Code("RC0"), false),
    col(C, "CINdetails", "DateOfInitialCPC", D, false),
    col(C, "CINdetails", "ReferralNFA", B, true),
    col(C, "Assessments", "AssessmentActualStartDate", D, true),
    col(C, "Assessments", "AssessmentAuthorisationDate", D, false),
    col(
        C,
        "AssessmentFactorsList",
        "AssessmentFactor",
        Code("99Z"),
        false,
    ),
    col(C, "CINplanDates", "CINPlanStartDate", D, true),
    col(C, "CINplanDates", "CINPlanEndDate", D, false),
    col(C, "Section47", "S47ActualStartDate", D, true),
    col(C, "Section47", "InitialCPCtarget", D, false),
    col(C, "Section47", "DateOfInitialCPC", D, false),
    col(C, "Section47", "ICPCnotRequired", B, true),
    col(C, "ChildProtectionPlans", "CPPstartDate", D, true),
    col(C, "ChildProtectionPlans", "CPPendDate", D, false),
    col(
        C,
        "ChildProtectionPlans",
        "InitialCategoryOfAbuse",
        Code("ABC"),
        true,
    ),
    col(
        C,
        "ChildProtectionPlans",
        "LatestCategoryOfAbuse",
        Code("ABC"),
        true,
    ),
    col(C, "ChildProtectionPlans", "NumberOfPreviousCPP", I, true),
    col(C, "Reviews", "CPPreviewDate", D, false),
];

/// Tables whose rows a 903 file may repeat without also repeating a child in a one-row-per-child
/// table (which would add a duplicate-child finding).
const REPEATABLE_903_TABLES: [&str; 6] = [
    "Episodes",
    "Reviews",
    "Missing",
    "PlacedAdoption",
    "SWEpisodes",
    "DoLo",
];

fn spec_of(part: &dyn Part, cell: Cell) -> Option<&'static ColumnSpec> {
    let table = part.table_name(cell.table);
    let column = part.column_name(cell.table, cell.column);
    COLUMNS
        .iter()
        .find(|c| c.return_kind == part.return_kind() && c.table == table && c.column == column)
}

/// The structural kinds, one per check code they trigger.
pub struct Structural(pub Check);

pub const STRUCTURAL_CHECKS: [Check; 6] = [
    Check::InvalidDate,
    Check::InvalidCode,
    Check::MissingValue,
    Check::InvalidInteger,
    Check::InvalidBoolean,
    Check::DuplicateRow,
];

impl Structural {
    fn cell_applies(&self, spec: &ColumnSpec, value: &str) -> bool {
        if value.is_empty() {
            return false;
        }
        match self.0 {
            Check::InvalidDate => spec.typing == Typing::Date,
            Check::InvalidCode => matches!(spec.typing, Typing::Code(_)),
            Check::MissingValue => spec.mandatory,
            Check::InvalidInteger => spec.typing == Typing::Integer,
            Check::InvalidBoolean => spec.typing == Typing::Boolean,
            _ => false,
        }
    }

    fn bad_value(&self, spec: &ColumnSpec, rng: &mut Rng) -> String {
        match self.0 {
            // Impossible in every date format, so no lenient reader can take them for a date.
            Check::InvalidDate => {
                let (day, month) = rng.pick(&[
                    ("31", "04"),
                    ("30", "02"),
                    ("00", "05"),
                    ("15", "13"),
                    ("32", "01"),
                ]);
                let year = rng.range(2015, 2026);
                match spec.return_kind {
                    ReturnKind::Ssda903 => format!("{day}/{month}/{year}"),
                    ReturnKind::Cin => format!("{year}-{month}-{day}"),
                }
            }
            Check::InvalidCode => match spec.typing {
                Typing::Code(bad) => bad.to_string(),
                _ => unreachable!("only code columns get invalid codes"),
            },
            Check::MissingValue => String::new(),
            Check::InvalidInteger => rng.pick(&["X", "4a", "ab"]).to_string(),
            Check::InvalidBoolean => rng.pick(&["yes", "Y", "2"]).to_string(),
            _ => unreachable!("row-level or unsupported check"),
        }
    }
}

impl Kind for Structural {
    fn name(&self) -> &str {
        self.0.code()
    }

    fn return_kind(&self) -> Option<ReturnKind> {
        (self.0 == Check::DuplicateRow).then_some(ReturnKind::Ssda903)
    }

    fn sites(&self, part: &dyn Part) -> Vec<Site> {
        if self.0 == Check::DuplicateRow {
            if part.return_kind() != ReturnKind::Ssda903 {
                return Vec::new();
            }
            let mut sites = Vec::new();
            for table in 0..part.table_count() {
                if !REPEATABLE_903_TABLES.contains(&part.table_name(table)) {
                    continue;
                }
                for row in 0..part.row_count(table) {
                    sites.push(Site {
                        cell: Cell {
                            table,
                            row,
                            column: 0,
                        },
                        whole_row: true,
                    });
                }
            }
            return sites;
        }
        part.cells()
            .into_iter()
            .filter(|(cell, value)| {
                spec_of(part, *cell).is_some_and(|spec| self.cell_applies(spec, value))
            })
            .map(|(cell, _)| Site {
                cell,
                whole_row: false,
            })
            .collect()
    }

    fn inject(&self, part: &mut dyn Part, site: Site, rng: &mut Rng) -> Option<Injected> {
        let Cell { table, row, column } = site.cell;
        if site.whole_row {
            let copy = part.duplicate_row(table, row)?;
            return Some(Injected {
                kind: self.name().to_string(),
                check: self.0.code().to_string(),
                table,
                row: copy,
                change: Change::Repeat,
                value: String::new(),
            });
        }
        let spec = spec_of(part, site.cell)?;
        let value = self.bad_value(spec, rng);
        let previous = part.value(site.cell).to_string();
        part.set(site.cell, value.clone());
        let collides = (0..part.row_count(table))
            .any(|other| other != row && part.rows_equal(table, row, other));
        if collides {
            part.set(site.cell, previous);
            return None;
        }
        Some(Injected {
            kind: self.name().to_string(),
            check: self.0.code().to_string(),
            table,
            row,
            change: Change::Cell(column),
            value,
        })
    }
}

/// CIN rule 1510, "UPN invalid (wrong check letter at character 1)": a permanent UPN whose
/// check letter is replaced by another valid letter, so the LA code, digits and uniqueness rules
/// (1520–1550) still pass.
pub struct WrongUpnCheckLetter;

impl Kind for WrongUpnCheckLetter {
    fn name(&self) -> &str {
        "cin-1510"
    }

    fn return_kind(&self) -> Option<ReturnKind> {
        Some(ReturnKind::Cin)
    }

    fn sites(&self, part: &dyn Part) -> Vec<Site> {
        if part.return_kind() != ReturnKind::Cin {
            return Vec::new();
        }
        part.cells()
            .into_iter()
            .filter(|(cell, value)| {
                part.table_name(cell.table) == "ChildIdentifiers"
                    && part.column_name(cell.table, cell.column) == "UPN"
                    && value.len() == 13
                    && value[1..].bytes().all(|b| b.is_ascii_digit())
            })
            .map(|(cell, _)| Site {
                cell,
                whole_row: false,
            })
            .collect()
    }

    fn inject(&self, part: &mut dyn Part, site: Site, rng: &mut Rng) -> Option<Injected> {
        let upn = part.value(site.cell).to_string();
        let current = upn.as_bytes()[0];
        let others: Vec<u8> = crate::upn::CHECK_LETTERS
            .iter()
            .copied()
            .filter(|l| *l != current)
            .collect();
        let letter = char::from(rng.pick(&others));
        let value = format!("{letter}{}", &upn[1..]);
        part.set(site.cell, value.clone());
        Some(Injected {
            kind: self.name().to_string(),
            check: "1510".into(),
            table: site.cell.table,
            row: site.cell.row,
            change: Change::Cell(site.cell.column),
            value,
        })
    }
}

/// Every kind the command line accepts: the structural kinds, then the DfE rule kinds.
pub fn all_kinds() -> Vec<Box<dyn Kind>> {
    let mut kinds: Vec<Box<dyn Kind>> = STRUCTURAL_CHECKS
        .into_iter()
        .map(|check| Box::new(Structural(check)) as Box<dyn Kind>)
        .collect();
    kinds.push(Box::new(WrongUpnCheckLetter));
    kinds.extend(crate::synth::cin_rules::kinds());
    kinds.extend(crate::synth::rules903::kinds());
    kinds
}

/// `KIND` or `KIND=COUNT` from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub kind: String,
    pub count: usize,
}

impl Request {
    pub fn parse(text: &str) -> Result<Self, String> {
        let (kind, count) = match text.split_once('=') {
            Some((kind, count)) => (
                kind.trim(),
                count.trim().parse::<usize>().map_err(|_| {
                    format!("--inject {text}: the count after = must be a whole number, e.g. --inject invalid-date=5")
                })?,
            ),
            None => (text.trim(), 1),
        };
        if !all_kinds().iter().any(|k| k.name() == kind) {
            let names: Vec<String> = all_kinds().iter().map(|k| k.name().to_string()).collect();
            return Err(format!(
                "--inject {text}: unknown kind {kind:?}; known kinds: {}",
                names.join(", ")
            ));
        }
        Ok(Self {
            kind: kind.to_string(),
            count,
        })
    }
}

/// Cells and rows already broken in a part, so that two injections never meet.
#[derive(Debug, Default)]
pub struct Touched {
    cells: Vec<Cell>,
    /// Rows (table, row) that were repeated, are repeats, or had a cell broken.
    rows: Vec<(usize, usize)>,
    /// Rows that are a repeat or the original of one, or were added: no cell of them may change.
    frozen: Vec<(usize, usize)>,
    /// Repeats inserted so far, (table, row of the copy): later sites in that table move down.
    inserted: Vec<(usize, usize)>,
}

impl Touched {
    fn allows(&self, site: Site) -> bool {
        let row = (site.cell.table, site.cell.row);
        if site.whole_row {
            !self.rows.contains(&row)
        } else {
            !self.cells.contains(&site.cell) && !self.frozen.contains(&row)
        }
    }

    /// A site found before earlier repeats were inserted, moved to where its row is now.
    fn relocate(&self, mut site: Site) -> Site {
        for &(table, copy) in &self.inserted {
            if site.cell.table == table && site.cell.row >= copy {
                site.cell.row += 1;
            }
        }
        site
    }

    fn record(&mut self, injected: &Injected) {
        let (table, row) = (injected.table, injected.row);
        match injected.change {
            Change::Cell(column) => {
                self.cells.push(Cell { table, row, column });
                self.rows.push((table, row));
            }
            Change::Repeat => {
                let copy = row;
                for row in self.rows.iter_mut().chain(self.frozen.iter_mut()) {
                    if row.0 == table && row.1 >= copy {
                        row.1 += 1;
                    }
                }
                for cell in &mut self.cells {
                    if cell.table == table && cell.row >= copy {
                        cell.row += 1;
                    }
                }
                for row in [(table, copy - 1), (table, copy)] {
                    self.rows.push(row);
                    self.frozen.push(row);
                }
                self.inserted.push((table, copy));
            }
            // Made whole by its kind: no later injection may change or repeat it.
            Change::Added => {
                self.rows.push((table, row));
                self.frozen.push((table, row));
            }
        }
    }
}

/// Applies planned injections in order, adding what was done to `done` (the part's injections
/// so far, whose rows a repeated row moves down). Sites were found on the part before any
/// change; each is moved past earlier repeated rows, and skipped if an earlier injection already
/// broke its cell or row. Returns how many plans were skipped.
pub fn apply(
    part: &mut dyn Part,
    plans: Vec<(&dyn Kind, Site)>,
    rng: &mut Rng,
    touched: &mut Touched,
    done: &mut Vec<Injected>,
) -> usize {
    let mut skipped = 0;
    for (kind, site) in plans {
        let site = touched.relocate(site);
        if !touched.allows(site) {
            skipped += 1;
            continue;
        }
        match kind.inject(part, site, rng) {
            Some(injected) => {
                // Rows that earlier injections changed and that lie below a repeat move down.
                if injected.change == Change::Repeat {
                    for earlier in done.iter_mut() {
                        if earlier.table == injected.table && earlier.row >= injected.row {
                            earlier.row += 1;
                        }
                    }
                }
                touched.record(&injected);
                done.push(injected);
            }
            None => skipped += 1,
        }
    }
    skipped
}

/// Plans the structural error rate for one part: each data cell is picked with probability
/// `rate` and broken by one of the cell kinds that fit it (cells that no kind fits, such as
/// identifiers and postcodes, are never broken); each row of a repeatable 903 table is repeated
/// with probability `rate`.
pub fn plan_rate<'k>(
    part: &dyn Part,
    rate: f64,
    kinds: &'k [Structural],
    rng: &mut Rng,
) -> Vec<(&'k dyn Kind, Site)> {
    let mut plans: Vec<(&'k dyn Kind, Site)> = Vec::new();
    if rate <= 0.0 {
        return plans;
    }
    let (repeat, cell_kinds): (Vec<&'k Structural>, Vec<&'k Structural>) =
        kinds.iter().partition(|k| k.0 == Check::DuplicateRow);
    let mut last_row = None;
    for (cell, value) in part.cells() {
        let row = (cell.table, cell.row);
        if last_row != Some(row) {
            last_row = Some(row);
            let repeatable = part.return_kind() == ReturnKind::Ssda903
                && REPEATABLE_903_TABLES.contains(&part.table_name(cell.table));
            if let Some(kind) = repeat.first().filter(|_| repeatable)
                && rng.chance(rate)
            {
                plans.push((
                    *kind as &dyn Kind,
                    Site {
                        cell,
                        whole_row: true,
                    },
                ));
            }
        }
        if !rng.chance(rate) {
            continue;
        }
        let Some(spec) = spec_of(part, cell) else {
            continue;
        };
        let fitting: Vec<&'k Structural> = cell_kinds
            .iter()
            .copied()
            .filter(|kind| kind.cell_applies(spec, value))
            .collect();
        if !fitting.is_empty() {
            let kind = fitting[rng.below(fitting.len() as u64) as usize];
            plans.push((
                kind as &dyn Kind,
                Site {
                    cell,
                    whole_row: false,
                },
            ));
        }
    }
    plans
}

/// The structural kinds, for [`plan_rate`].
pub fn structural_kinds() -> Vec<Structural> {
    STRUCTURAL_CHECKS.into_iter().map(Structural).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ColumnKind, SchemaSet};

    /// The typing here must agree with the return's tables and, once a year's schema is embedded,
    /// with the schema: otherwise a kind would trigger a different check than its name says.
    #[test]
    fn every_breakable_column_exists_and_agrees_with_the_schemas() {
        for spec in COLUMNS {
            let columns: &[&str] = match spec.return_kind {
                ReturnKind::Ssda903 => {
                    let table = crate::synth::ssda903::TABLES
                        .iter()
                        .find(|t| t.name == spec.table);
                    table.expect("903 table").columns
                }
                ReturnKind::Cin => {
                    let table = crate::synth::cin::TABLES.iter().find(|t| t.0 == spec.table);
                    table.expect("CIN table").1
                }
            };
            assert!(
                columns.contains(&spec.column),
                "{}.{}",
                spec.table,
                spec.column
            );
            assert!(
                !matches!(spec.column, "CHILD" | "LAchildID"),
                "identifiers are never broken"
            );
        }
        let schemas = SchemaSet::embedded().expect("embedded schemas load");
        for schema in schemas.iter() {
            for spec in COLUMNS
                .iter()
                .filter(|s| s.return_kind == schema.return_kind)
            {
                let Some(column) = schema.table(spec.table).and_then(|t| t.column(spec.column))
                else {
                    continue;
                };
                let year = schema.collection_year;
                let expected = match spec.typing {
                    Typing::Text => ColumnKind::Text,
                    Typing::Date => ColumnKind::Date,
                    Typing::Code(bad) => {
                        assert!(
                            !schema.is_valid_code(spec.table, spec.column, bad),
                            "{year} {}.{}: {bad} is a valid code",
                            spec.table,
                            spec.column
                        );
                        ColumnKind::Code
                    }
                    Typing::Integer => ColumnKind::Integer,
                    Typing::Boolean => ColumnKind::Boolean,
                };
                assert_eq!(
                    column.kind, expected,
                    "{year} {}.{}",
                    spec.table, spec.column
                );
                if spec.mandatory {
                    assert!(
                        column.mandatory,
                        "{year} {}.{} is not mandatory",
                        spec.table, spec.column
                    );
                }
            }
        }
    }

    #[test]
    fn requests_name_a_kind_and_a_count() {
        assert_eq!(
            Request::parse("missing-value").unwrap(),
            Request {
                kind: "missing-value".into(),
                count: 1
            }
        );
        assert!(
            Request::parse("invalid-date=many")
                .unwrap_err()
                .contains("whole number")
        );
    }

    /// Adds an Episodes row whose DECOM is 01/01/2026.
    struct AddsEpisode;

    impl Kind for AddsEpisode {
        fn name(&self) -> &str {
            "adds-episode"
        }
        fn return_kind(&self) -> Option<ReturnKind> {
            Some(ReturnKind::Ssda903)
        }
        fn sites(&self, part: &dyn Part) -> Vec<Site> {
            vec![Site {
                cell: Cell {
                    table: 1,
                    row: part.row_count(1),
                    column: 0,
                },
                whole_row: true,
            }]
        }
        fn inject(&self, part: &mut dyn Part, site: Site, _rng: &mut Rng) -> Option<Injected> {
            let row = part.add_row(site.cell.table)?;
            part.set(
                Cell {
                    table: 1,
                    row,
                    column: 1,
                },
                "01/01/2026".into(),
            );
            Some(Injected {
                kind: self.name().into(),
                check: "added".into(),
                table: 1,
                row,
                change: Change::Added,
                value: String::new(),
            })
        }
    }

    fn episodes(decoms: &[&str]) -> crate::synth::ssda903::ChildRows {
        let columns = crate::synth::ssda903::TABLES[1].columns.len();
        let mut tables = vec![Vec::new(); crate::synth::ssda903::tables_for(2026).count()];
        for decom in decoms {
            let mut row = vec![String::new(); columns];
            row[0] = "C1".into();
            row[1] = decom.to_string();
            tables[1].push(row);
        }
        crate::synth::ssda903::ChildRows {
            child: "C1".into(),
            tables,
            year: 2026,
            this_year: true,
            added: Vec::new(),
        }
    }

    #[test]
    fn an_added_row_is_blank_but_for_the_child_and_follows_the_childs_rows() {
        let mut part = episodes(&["01/04/2020"]);
        let row = part.add_row(1).unwrap();
        assert_eq!(row, 1);
        assert_eq!(part.tables[1][1][0], "C1");
        assert!(part.tables[1][1][1..].iter().all(String::is_empty));
        assert_eq!(part.added, vec![(1, 1)]);
    }

    /// A repeat inserted above rows that injections changed or added moves them down, in the part
    /// and in what `apply` reports, so that the manifest points at them.
    #[test]
    fn a_repeat_moves_changed_and_added_rows_below_it() {
        let mut part = episodes(&["01/04/2020", "01/05/2020", "01/06/2020"]);
        let repeat = Structural(Check::DuplicateRow);
        let date = Structural(Check::InvalidDate);
        let decom_of_third = Site {
            cell: Cell {
                table: 1,
                row: 2,
                column: 1,
            },
            whole_row: false,
        };
        let first_row = Site {
            cell: Cell {
                table: 1,
                row: 0,
                column: 0,
            },
            whole_row: true,
        };
        let added = AddsEpisode.sites(&part)[0];
        let plans: Vec<(&dyn Kind, Site)> = vec![
            (&date, decom_of_third),
            (&AddsEpisode, added),
            (&repeat, first_row),
        ];
        let (mut rng, mut touched, mut done) = (Rng::new(1), Touched::default(), Vec::new());
        assert_eq!(
            apply(&mut part, plans, &mut rng, &mut touched, &mut done),
            0
        );
        let rows: Vec<(Change, usize)> = done.iter().map(|i| (i.change, i.row)).collect();
        assert_eq!(
            rows,
            vec![
                (Change::Cell(1), 3),
                (Change::Added, 4),
                (Change::Repeat, 1)
            ]
        );
        assert_eq!(part.added, vec![(1, 4)]);
        assert_eq!(part.tables[1][4][1], "01/01/2026");
        assert_eq!(part.tables[1][3][1], done[0].value);
        assert_eq!(part.tables[1][1], part.tables[1][0]);
    }

    /// Rows a kind added take no other injection.
    #[test]
    fn an_added_row_is_not_broken_again() {
        let mut part = episodes(&["01/04/2020"]);
        let (mut rng, mut touched, mut done) = (Rng::new(1), Touched::default(), Vec::new());
        let added = AddsEpisode.sites(&part)[0];
        apply(
            &mut part,
            vec![(&AddsEpisode, added)],
            &mut rng,
            &mut touched,
            &mut done,
        );
        let its_decom = Site {
            cell: Cell {
                table: 1,
                row: 1,
                column: 1,
            },
            whole_row: false,
        };
        let date = Structural(Check::InvalidDate);
        assert_eq!(
            apply(
                &mut part,
                vec![(&date, its_decom)],
                &mut rng,
                &mut touched,
                &mut done
            ),
            1
        );
        assert_eq!(done.len(), 1);
    }
}
