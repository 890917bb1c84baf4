//! Injections that each break one CIN census rule, named `cin-<code>`: the differential test
//! injects them to measure every rule's recall (each injection is flagged where it was made) and
//! precision (nothing else is).
//!
//! Each kind makes the smallest edit that breaks its rule — a date moved across the date it is
//! compared with, a code made invalid, a field added — and records the cell its rule flags. Some
//! edits break neighbouring rules too (a plan moved inside a protection plan is also a review
//! held during a CIN plan); the test lists those cascades but does not count them against a
//! rule. Rules no edit of one child can break are not here: the header's (100), the LA-level
//! ones (2883, 2886Q, 2887Q, 2888Q), and those that need a row removed or repeated (2991Q, 4004,
//! 8590). Kinds that share a value between children (1520, 8510) break their rule only when at
//! least two children of one census get them.

use chrono::{Days, NaiveDate};

use crate::schema::ReturnKind;
use crate::synth::calendar::{date, iso};
use crate::synth::injection::{Cell, Change, Injected, Kind, Part, Site};
use crate::synth::rng::Rng;
use crate::upn::check_letter;

type Sites = fn(&dyn Part) -> Vec<Cell>;
type Edit = fn(&mut dyn Part, Cell, &mut Rng) -> Option<(Cell, String)>;

/// A kind that breaks one rule: where it can act, and the edit, which returns the cell the rule
/// should flag and the value written there.
struct RuleKind {
    name: &'static str,
    code: &'static str,
    sites: Sites,
    edit: Edit,
}

impl Kind for RuleKind {
    fn name(&self) -> &str {
        self.name
    }

    fn return_kind(&self) -> Option<ReturnKind> {
        Some(ReturnKind::Cin)
    }

    fn sites(&self, part: &dyn Part) -> Vec<Site> {
        // Last year's census is written beside this year's but not validated.
        if part.return_kind() != ReturnKind::Cin || !part.is_this_year() {
            return Vec::new();
        }
        (self.sites)(part)
            .into_iter()
            .map(|cell| Site {
                cell,
                whole_row: false,
            })
            .collect()
    }

    fn needs_part_to_itself(&self) -> bool {
        true
    }

    fn inject(&self, part: &mut dyn Part, site: Site, rng: &mut Rng) -> Option<Injected> {
        let (cell, value) = (self.edit)(part, site.cell, rng)?;
        Some(Injected {
            kind: self.name.to_string(),
            check: self.code.to_string(),
            table: cell.table,
            row: cell.row,
            change: Change::Cell(cell.column),
            value,
        })
    }
}

/// Every CIN rule kind, in rule order.
pub fn kinds() -> Vec<Box<dyn Kind>> {
    macro_rules! kind {
        ($code:literal, $sites:expr, $edit:expr) => {
            Box::new(RuleKind {
                name: concat!("cin-", $code),
                code: $code,
                sites: $sites,
                edit: $edit,
            }) as Box<dyn Kind>
        };
    }
    vec![
        kind!(
            "1103",
            |p| dated(p, "Assessments", "AssessmentActualStartDate")
                .into_iter()
                .filter(|c| field(p, c.table, c.row, "AssessmentAuthorisationDate").is_some())
                .filter(|c| referral_of(p, *c).is_some())
                .collect(),
            before_referral
        ),
        kind!(
            "1104",
            |p| dated(p, "Section47", "DateOfInitialCPC")
                .into_iter()
                .filter(|c| referral_of(p, *c).is_some())
                .filter(|c| episode_rows(p, *c, "ChildProtectionPlans").is_empty())
                .collect(),
            before_referral
        ),
        kind!(
            "1105",
            |p| with_referral(p, "ChildProtectionPlans", "CPPstartDate"),
            before_referral
        ),
        kind!("1520", permanent_upns, |p, c, _| {
            // A valid permanent UPN with an LA code no synthetic child is given.
            let rest = "383999999999";
            let upn = format!("{}{rest}", check_letter(rest)?);
            Some(write(p, c, upn))
        }),
        kind!("1530", permanent_upns, |p, c, _| {
            let rest = format!("999{}", &p.value(c)[4..]);
            let upn = format!("{}{rest}", check_letter(&rest)?);
            Some(write(p, c, upn))
        }),
        kind!("1540", permanent_upns, |p, c, _| {
            let upn = p.value(c);
            let upn = format!("{}X{}", &upn[..7], &upn[8..]);
            Some(write(p, c, upn))
        }),
        kind!("1550", permanent_upns, |p, c, _| {
            let upn = format!("{}I", &p.value(c)[..12]);
            Some(write(p, c, upn))
        }),
        kind!("1560Q", permanent_upns, |p, c, _| {
            // A temporary UPN (ending in a letter) is not a valid former UPN.
            let former = format!("{}A", &p.value(c)[..12]);
            add(p, c.table, c.row, "FormerUPN", former)
        }),
        kind!(
            "1570",
            |p| present(p, "ChildIdentifiers", "LAchildID"),
            |p, c, _| {
                let id = format!("{:X<21}", p.value(c));
                Some(write(p, c, id))
            }
        ),
        kind!(
            "1580",
            |p| present(p, "ChildIdentifiers", "LAchildID"),
            |p, c, _| {
                let id = format!("{}-1", p.value(c));
                Some(write(p, c, id))
            }
        ),
        kind!(
            "2884",
            |p| dated(p, "Section47", "DateOfInitialCPC"),
            |p, c, _| {
                let episode = p.enclosing_row(c.table, c.row, table(p, "CINdetails"))?;
                let (conference, details) = (p.value(c).to_string(), table(p, "CINdetails"));
                add(p, details, episode, "DateOfInitialCPC", conference)
            }
        ),
        kind!(
            "2885",
            |p| dated(p, "ChildProtectionPlans", "CPPstartDate")
                .into_iter()
                .filter(|c| in_period(p, date_of(p, *c)))
                .filter(|c| {
                    let start = p.value(*c);
                    episode_rows(p, *c, "Section47").into_iter().any(|s| {
                        field(p, table(p, "Section47"), s, "DateOfInitialCPC").as_deref()
                            == Some(start)
                    })
                })
                .collect(),
            |p, c, _| shift(p, c, 1)
        ),
        kind!(
            "2889",
            |p| with_referral(p, "Section47", "S47ActualStartDate"),
            before_referral
        ),
        kind!(
            "2990",
            |p| present(p, "CINdetails", "ReasonForClosure")
                .into_iter()
                .filter(|c| {
                    ["CINplanDates", "Section47", "ChildProtectionPlans"]
                        .iter()
                        .any(|t| !rows_of_episode(p, c.row, t).is_empty())
                })
                .collect(),
            |p, c, _| Some(write(p, c, "RC8".into()))
        ),
        kind!(
            "4000",
            |p| present(p, "CINdetails", "ReferralNFA")
                .into_iter()
                .filter(|c| !rows_of_episode(p, c.row, "CINplanDates").is_empty())
                .collect(),
            |p, c, _| Some(write(p, c, "1".into()))
        ),
        kind!(
            "4001",
            |p| dated(p, "CINplanDates", "CINPlanEndDate")
                .into_iter()
                .filter(|c| !ended_plans(p, *c).is_empty())
                .collect(),
            |p, c, _| {
                let plan = ended_plans(p, c)[0];
                p.set(plan, String::new());
                Some(write(p, c, String::new()))
            }
        ),
        kind!(
            "4003",
            |p| dated(p, "Reviews", "CPPreviewDate")
                .into_iter()
                .filter(|c| later_plan_start(p, *c).is_some())
                .collect(),
            |p, c, _| {
                let review = p.value(c).to_string();
                let start = later_plan_start(p, c)?;
                Some(write(p, start, review))
            }
        ),
        kind!(
            "4008",
            |p| dated(p, "CINplanDates", "CINPlanStartDate"),
            |p, c, _| {
                let death = date_of(p, c)?.checked_sub_days(Days::new(1))?;
                add_death(p, death)
            }
        ),
        kind!(
            "4009Q",
            |p| dated(p, "CINplanDates", "CINPlanEndDate")
                .into_iter()
                .filter(|c| {
                    let start =
                        field(p, c.table, c.row, "CINPlanStartDate").and_then(|s| parse(&s));
                    start
                        .zip(date_of(p, *c))
                        .is_some_and(|(s, e)| (e - s).num_days() >= 2)
                })
                .collect(),
            |p, c, _| {
                let death = date_of(p, c)?.checked_sub_days(Days::new(1))?;
                add_death(p, death)
            }
        ),
        kind!(
            "4010",
            |p| dated(p, "CINplanDates", "CINPlanStartDate"),
            |p, c, _| { Some(write(p, c, String::new())) }
        ),
        kind!(
            "4011",
            |p| dated(p, "CINplanDates", "CINPlanEndDate"),
            |p, c, _| {
                let start = parse(&field(p, c.table, c.row, "CINPlanStartDate")?)?;
                Some(write(p, c, iso(start.checked_sub_days(Days::new(1))?)))
            }
        ),
        kind!(
            "4012Q",
            |p| dated(p, "CINplanDates", "CINPlanEndDate"),
            |p, c, _| {
                let start = field(p, c.table, c.row, "CINPlanStartDate")?;
                Some(write(p, c, start))
            }
        ),
        kind!(
            "4013",
            |p| dated(p, "CINplanDates", "CINPlanEndDate")
                .into_iter()
                .filter(|c| episode_field(p, *c, "CINclosureDate").is_none())
                .collect(),
            |p, c, _| {
                let (_, end) = period(p);
                Some(write(p, c, iso(end.checked_add_days(Days::new(1))?)))
            }
        ),
        kind!(
            "4014",
            |p| dated(p, "CINplanDates", "CINPlanStartDate")
                .into_iter()
                .filter(|c| earlier_plan_end(p, *c).is_some())
                .collect(),
            |p, c, _| {
                let end = earlier_plan_end(p, c)?;
                Some(write(p, c, iso(end)))
            }
        ),
        kind!(
            "4015",
            |p| with_referral(p, "CINplanDates", "CINPlanStartDate"),
            before_referral
        ),
        kind!(
            "4016",
            |p| dated(p, "CINplanDates", "CINPlanStartDate")
                .into_iter()
                .filter(|c| long_protection_plan(p, *c).is_some())
                .collect(),
            |p, c, _| {
                let start = long_protection_plan(p, c)?;
                Some(write(p, c, iso(start.checked_add_days(Days::new(1))?)))
            }
        ),
        kind!(
            "4017",
            |p| dated(p, "ChildProtectionPlans", "CPPstartDate")
                .into_iter()
                .filter(|c| long_cin_plan(p, *c).is_some())
                .collect(),
            |p, c, _| {
                let start = long_cin_plan(p, c)?;
                Some(write(p, c, iso(start.checked_add_days(Days::new(1))?)))
            }
        ),
        kind!(
            "4180",
            |p| {
                let mut cells = present(p, "ChildIdentifiers", "Sex");
                cells.extend(present(p, "ChildIdentifiers", "GenderCurrent"));
                cells
            },
            |p, c, _| {
                let invalid = if p.column_name(c.table, c.column) == "Sex" {
                    "X"
                } else {
                    "5"
                };
                Some(write(p, c, invalid.into()))
            }
        ),
        kind!(
            "4220",
            |p| present(p, "ChildCharacteristics", "Ethnicity"),
            |p, c, _| { Some(write(p, c, "WXYZ".into())) }
        ),
        kind!(
            "8500",
            |p| present(p, "ChildIdentifiers", "LAchildID"),
            |p, c, _| { Some(write(p, c, String::new())) }
        ),
        kind!(
            "8510",
            |p| present(p, "ChildIdentifiers", "LAchildID"),
            |p, c, _| { Some(write(p, c, "DUPLICATE1".into())) }
        ),
        kind!(
            "8520",
            |p| dated(p, "ChildIdentifiers", "PersonBirthDate"),
            |p, c, _| {
                let (_, end) = period(p);
                Some(write(p, c, iso(end.checked_add_days(Days::new(1))?)))
            }
        ),
        kind!(
            "8525Q",
            |p| dated(p, "ChildIdentifiers", "PersonBirthDate"),
            |p, c, _| {
                let birth = p.value(c).to_string();
                add(p, c.table, c.row, "ExpectedPersonBirthDate", birth)
            }
        ),
        kind!(
            "8530Q",
            |p| dated(p, "ChildIdentifiers", "ExpectedPersonBirthDate"),
            |p, c, _| {
                let (_, end) = period(p);
                Some(write(p, c, iso(end.checked_sub_days(Days::new(31))?)))
            }
        ),
        kind!(
            "8535Q",
            |p| dated(p, "ChildIdentifiers", "PersonBirthDate"),
            |p, c, _| {
                let death = date_of(p, c)?.checked_sub_days(Days::new(1))?;
                add_death(p, death)
            }
        ),
        kind!(
            "8540",
            |p| present(p, "Disabilities", "Disability")
                .into_iter()
                .filter(|_| !dated(p, "ChildIdentifiers", "PersonBirthDate").is_empty())
                .filter(|_| present(p, "CINdetails", "ReferralNFA")
                    .iter()
                    .any(|n| p.value(*n) == "0"))
                .collect(),
            |p, c, _| Some(write(p, c, "XYZ".into()))
        ),
        kind!(
            "8545Q",
            |p| present(p, "ChildIdentifiers", "LAchildID"),
            |p, _, _| {
                let (_, end) = period(p);
                add_death(p, end.checked_add_days(Days::new(1))?)
            }
        ),
        kind!(
            "8555Q",
            |p| dated(p, "CINdetails", "CINreferralDate"),
            |p, c, _| {
                let death = date_of(p, c)?.checked_sub_days(Days::new(1))?;
                add_death(p, death)
            }
        ),
        kind!(
            "8565",
            |p| dated(p, "Assessments", "AssessmentAuthorisationDate")
                .into_iter()
                .filter(|c| episode_field(p, *c, "CINclosureDate").is_some())
                .collect(),
            |p, c, _| {
                let closed = parse(&episode_field(p, c, "CINclosureDate")?)?;
                Some(write(p, c, iso(closed.checked_add_days(Days::new(1))?)))
            }
        ),
        kind!(
            "8568",
            |p| present(p, "CINdetails", "ReferralNFA"),
            |p, c, _| { Some(write(p, c, "yes".into())) }
        ),
        kind!(
            "8569Q",
            |p| present(p, "CINdetails", "ReferralNFA")
                .into_iter()
                .filter(|c| {
                    // Well before the last working day before 1 April, whatever the holidays.
                    let (start, _) = period(p);
                    let referral =
                        field(p, c.table, c.row, "CINreferralDate").and_then(|r| parse(&r));
                    referral.is_some_and(|r| r + Days::new(7) < start)
                })
                .collect(),
            |p, c, _| Some(write(p, c, "1".into()))
        ),
        kind!(
            "8585Q",
            |p| present(p, "CINdetails", "ReasonForClosure"),
            |p, c, _| { Some(write(p, c, "RC2".into())) }
        ),
        kind!(
            "8600",
            |p| dated(p, "CINdetails", "CINreferralDate"),
            |p, c, _| { Some(write(p, c, String::new())) }
        ),
        kind!(
            "8606",
            |p| dated(p, "CINdetails", "CINreferralDate")
                .into_iter()
                .filter(|_| !dated(p, "ChildIdentifiers", "PersonBirthDate").is_empty())
                .collect(),
            |p, c, _| {
                let birth = dated(p, "ChildIdentifiers", "PersonBirthDate")[0];
                let referral = date_of(p, birth)?.checked_sub_days(Days::new(281))?;
                Some(write(p, c, iso(referral)))
            }
        ),
        kind!(
            "8608",
            |p| dated(p, "Assessments", "AssessmentAuthorisationDate"),
            |p, c, _| {
                let start = parse(&field(p, c.table, c.row, "AssessmentActualStartDate")?)?;
                Some(write(p, c, iso(start.checked_sub_days(Days::new(1))?)))
            }
        ),
        kind!(
            "8610",
            |p| present(p, "CINdetails", "PrimaryNeedCode")
                .into_iter()
                .filter(|c| field(p, c.table, c.row, "ReferralNFA").as_deref() == Some("0"))
                .collect(),
            |p, c, _| Some(write(p, c, String::new()))
        ),
    ]
}

fn table(part: &dyn Part, name: &str) -> usize {
    (0..part.table_count())
        .find(|&t| part.table_name(t) == name)
        .unwrap_or_else(|| panic!("the CIN part has a table {name}"))
}

fn column(part: &dyn Part, table: usize, name: &str) -> usize {
    (0..)
        .find(|&c| part.column_name(table, c) == name)
        .expect("a column of the table")
}

/// Cells of a column that hold a value.
fn present(part: &dyn Part, table_name: &str, column_name: &str) -> Vec<Cell> {
    let t = table(part, table_name);
    let c = column(part, t, column_name);
    part.cells()
        .into_iter()
        .filter(|(cell, value)| cell.table == t && cell.column == c && !value.is_empty())
        .map(|(cell, _)| cell)
        .collect()
}

/// Cells of a date column that hold a valid date.
fn dated(part: &dyn Part, table_name: &str, column_name: &str) -> Vec<Cell> {
    present(part, table_name, column_name)
        .into_iter()
        .filter(|c| parse(part.value(*c)).is_some())
        .collect()
}

fn parse(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn date_of(part: &dyn Part, cell: Cell) -> Option<NaiveDate> {
    parse(part.value(cell))
}

/// The value of another field of the same row, when present.
fn field(part: &dyn Part, table: usize, row: usize, name: &str) -> Option<String> {
    let c = column(part, table, name);
    part.cells()
        .into_iter()
        .find(|(cell, value)| {
            *cell
                == Cell {
                    table,
                    row,
                    column: c,
                }
                && !value.is_empty()
        })
        .map(|(_, value)| value.to_string())
}

/// A field of the CIN episode a cell's row belongs to.
fn episode_field(part: &dyn Part, cell: Cell, name: &str) -> Option<String> {
    let details = table(part, "CINdetails");
    let episode = part.enclosing_row(cell.table, cell.row, details)?;
    field(part, details, episode, name)
}

fn referral_of(part: &dyn Part, cell: Cell) -> Option<NaiveDate> {
    parse(&episode_field(part, cell, "CINreferralDate")?)
}

/// Rows of `table_name` in the CIN episode `episode`.
fn rows_of_episode(part: &dyn Part, episode: usize, table_name: &str) -> Vec<usize> {
    let (t, details) = (table(part, table_name), table(part, "CINdetails"));
    (0..part.row_count(t))
        .filter(|&row| part.enclosing_row(t, row, details) == Some(episode))
        .collect()
}

/// Rows of `table_name` in the episode of a cell's row.
fn episode_rows(part: &dyn Part, cell: Cell, table_name: &str) -> Vec<usize> {
    part.enclosing_row(cell.table, cell.row, table(part, "CINdetails"))
        .map(|episode| rows_of_episode(part, episode, table_name))
        .unwrap_or_default()
}

fn with_referral(part: &dyn Part, table_name: &str, column_name: &str) -> Vec<Cell> {
    dated(part, table_name, column_name)
        .into_iter()
        .filter(|c| referral_of(part, *c).is_some())
        .collect()
}

fn permanent_upns(part: &dyn Part) -> Vec<Cell> {
    present(part, "ChildIdentifiers", "UPN")
        .into_iter()
        .filter(|c| check_letter(part.value(*c).get(1..).unwrap_or_default()).is_some())
        .collect()
}

/// The census period of the part's collection year: 1 April to 31 March.
fn period(part: &dyn Part) -> (NaiveDate, NaiveDate) {
    let year = i32::from(part.collection_year());
    (date(year - 1, 4, 1), date(year, 3, 31))
}

fn in_period(part: &dyn Part, day: Option<NaiveDate>) -> bool {
    let (start, end) = period(part);
    day.is_some_and(|day| (start..=end).contains(&day))
}

fn write(part: &mut dyn Part, cell: Cell, value: String) -> (Cell, String) {
    part.set(cell, value.clone());
    (cell, value)
}

fn add(
    part: &mut dyn Part,
    table: usize,
    row: usize,
    column_name: &str,
    value: String,
) -> Option<(Cell, String)> {
    let c = column(part, table, column_name);
    let cell = part.add_cell(table, row, c, value.clone())?;
    Some((cell, value))
}

/// Gives the child a date of death.
fn add_death(part: &mut dyn Part, death: NaiveDate) -> Option<(Cell, String)> {
    let identifiers = table(part, "ChildIdentifiers");
    add(part, identifiers, 0, "PersonDeathDate", iso(death))
}

/// Moves a date to the day before its episode's referral.
fn before_referral(part: &mut dyn Part, cell: Cell, _: &mut Rng) -> Option<(Cell, String)> {
    let day = referral_of(part, cell)?.checked_sub_days(Days::new(1))?;
    Some(write(part, cell, iso(day)))
}

/// Moves a date by `days`.
fn shift(part: &mut dyn Part, cell: Cell, days: u64) -> Option<(Cell, String)> {
    let day = date_of(part, cell)?.checked_add_days(Days::new(days))?;
    Some(write(part, cell, iso(day)))
}

/// End dates of the protection plans in the episode of a CIN plan's cell.
fn ended_plans(part: &dyn Part, cell: Cell) -> Vec<Cell> {
    let plans = table(part, "ChildProtectionPlans");
    let end = column(part, plans, "CPPendDate");
    episode_rows(part, cell, "ChildProtectionPlans")
        .into_iter()
        .map(|row| Cell {
            table: plans,
            row,
            column: end,
        })
        .filter(|c| field(part, c.table, c.row, "CPPendDate").is_some())
        .collect()
}

/// For a review, the start of a CIN plan of its episode that ends after the review: moving the
/// plan's start to the review day puts the review inside the plan.
fn later_plan_start(part: &dyn Part, review: Cell) -> Option<Cell> {
    let day = date_of(part, review)?;
    let plans = table(part, "CINplanDates");
    let protection = part.enclosing_row(
        review.table,
        review.row,
        table(part, "ChildProtectionPlans"),
    )?;
    let protection_cell = Cell {
        table: table(part, "ChildProtectionPlans"),
        row: protection,
        column: 0,
    };
    episode_rows(part, protection_cell, "CINplanDates")
        .into_iter()
        .find(|&row| {
            field(part, plans, row, "CINPlanEndDate")
                .and_then(|e| parse(&e))
                .is_some_and(|end| end > day)
        })
        .map(|row| Cell {
            table: plans,
            row,
            column: column(part, plans, "CINPlanStartDate"),
        })
}

/// For a CIN plan's start, the end of the child's plan that started last before it.
fn earlier_plan_end(part: &dyn Part, start: Cell) -> Option<NaiveDate> {
    let day = date_of(part, start)?;
    let plans = table(part, "CINplanDates");
    (0..part.row_count(plans))
        .filter(|&row| row != start.row)
        .filter_map(|row| {
            let s = parse(&field(part, plans, row, "CINPlanStartDate")?)?;
            let e = parse(&field(part, plans, row, "CINPlanEndDate")?)?;
            (s < day && s < e).then_some((s, e))
        })
        .max()
        .map(|(_, end)| end)
}

/// For a CIN plan's start, the start of a protection plan of the child lasting at least two
/// days.
fn long_protection_plan(part: &dyn Part, _plan: Cell) -> Option<NaiveDate> {
    let plans = table(part, "ChildProtectionPlans");
    (0..part.row_count(plans)).find_map(|row| {
        let s = parse(&field(part, plans, row, "CPPstartDate")?)?;
        let e = parse(&field(part, plans, row, "CPPendDate")?)?;
        ((e - s).num_days() >= 2).then_some(s)
    })
}

/// For a protection plan's start, the start of a CIN plan of the child lasting at least two
/// days.
fn long_cin_plan(part: &dyn Part, _plan: Cell) -> Option<NaiveDate> {
    let plans = table(part, "CINplanDates");
    (0..part.row_count(plans)).find_map(|row| {
        let s = parse(&field(part, plans, row, "CINPlanStartDate")?)?;
        let e = parse(&field(part, plans, row, "CINPlanEndDate")?)?;
        ((e - s).num_days() >= 2).then_some(s)
    })
}
