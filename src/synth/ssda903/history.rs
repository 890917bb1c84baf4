//! A looked-after child's whole care history, simulated forward in time: periods of care made of
//! episodes (legal status, placement and carer changes), reviews, missing episodes, adoption,
//! social worker allocations and deprivation of liberty orders. The returns are cut from it
//! afterwards (`super::cut`), so the two years of a child agree with each other by construction.

use chrono::{Datelike, NaiveDate};

use crate::synth::calendar::{add_years, age_on, date, days};
use crate::synth::upn::permanent_upn;

pub use super::period::Episode;
use super::period::PeriodBuilder;
pub use super::placement::{FosterTerm, Place, Placement, Temporary};
use super::provider::{self, Region};
use crate::synth::places::Gazetteer;
use crate::synth::rng::Rng;

/// What the simulation needs to know about the LA and the two collection years.
pub struct Context<'a> {
    pub gazetteer: &'a Gazetteer,
    pub home: usize,
    /// Neighbouring authorities, nearest first.
    pub near: Vec<usize>,
    /// Every other authority in the sample.
    pub far: Vec<usize>,
    /// 1 April of the previous collection year: the earliest date either return looks at.
    pub window_start: NaiveDate,
    /// 31 March of the current collection year: nothing is known after it.
    pub horizon: NaiveDate,
    /// The data set's seed and size, which make and size the pools of providers (`super::provider`).
    pub seed: u64,
    pub children: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

#[derive(Debug, Clone)]
pub struct Missing {
    pub kind: &'static str,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Adoption {
    /// The decision that the child should be placed for adoption (PlacedAdoption.DATE_PLACED,
    /// AD1.DATE_INT).
    pub decision: NaiveDate,
    pub matched: Option<NaiveDate>,
    pub adopted: Option<NaiveDate>,
    /// The decision that the child should no longer be placed for adoption, and its reason
    /// (PlacedAdoption.DATE_PLACED_CEASED, REASON_PLACED_CEASED).
    pub reversed: Option<(NaiveDate, &'static str)>,
    pub by_foster_carers: bool,
    pub adopters: (&'static str, &'static str, &'static str),
}

#[derive(Debug, Clone)]
pub struct PreviousPermanence {
    pub period_start: NaiveDate,
    pub code: &'static str,
    pub la: Option<&'static str>,
    pub date: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SocialWorker {
    pub id: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub reason: &'static str,
}

#[derive(Debug, Clone)]
pub struct Dolo {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Child {
    pub id: String,
    pub sex: Sex,
    pub dob: NaiveDate,
    pub ethnicity: &'static str,
    pub upn: String,
    pub uasc: bool,
    pub first_child_dob: Option<NaiveDate>,
    pub episodes: Vec<Episode>,
    pub reviews: Vec<NaiveDate>,
    pub missing: Vec<Missing>,
    pub adoption: Option<Adoption>,
    pub previous_permanence: Vec<PreviousPermanence>,
    pub social_workers: Vec<SocialWorker>,
    pub dolos: Vec<Dolo>,
}

impl Child {
    /// Whether the child left care as a former relevant child (looked after for at least 13 weeks
    /// after their 14th birthday, some of it after their 16th) and has not come back.
    pub fn care_leaver_since(&self) -> Option<NaiveDate> {
        let last = self.episodes.last()?;
        let left = last.dec?;
        if matches!(last.rec, Some("E11" | "E12" | "E2" | "E3")) || last.ls == "V3" {
            return None;
        }
        let fourteen = add_years(self.dob, 14);
        let sixteen = add_years(self.dob, 16);
        let mut days_after_fourteen = 0;
        let mut after_sixteen = false;
        for episode in &self.episodes {
            let end = episode.dec.unwrap_or(left);
            let from = episode.decom.max(fourteen);
            if end > from {
                days_after_fourteen += (end - from).num_days();
            }
            after_sixteen |= end > sixteen;
        }
        (days_after_fourteen >= 91 && after_sixteen && left > sixteen).then_some(left)
    }
}

const ETHNICITIES: [(&str, u32); 20] = [
    ("WBRI", 560),
    ("WIRI", 6),
    ("WOTH", 45),
    ("WIRT", 4),
    ("WROM", 8),
    ("MWBC", 35),
    ("MWBA", 14),
    ("MWAS", 12),
    ("MOTH", 30),
    ("AIND", 10),
    ("APKN", 30),
    ("ABAN", 10),
    ("AOTH", 20),
    ("BCRB", 15),
    ("BAFR", 45),
    ("BOTH", 15),
    ("CHNE", 2),
    ("OOTH", 25),
    ("REFU", 4),
    ("NOBT", 6),
];

const UASC_ETHNICITIES: [(&str, u32); 5] = [
    ("BAFR", 40),
    ("AOTH", 30),
    ("OOTH", 20),
    ("WOTH", 6),
    ("MOTH", 4),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Archetype {
    LongStay,
    Entrant,
    Returner,
    Adoption,
    ShortBreaks,
    Uasc,
    Remand,
    CareLeaver,
}

const ARCHETYPES: [(Archetype, u32); 8] = [
    (Archetype::LongStay, 34),
    (Archetype::Entrant, 25),
    (Archetype::Returner, 6),
    (Archetype::Adoption, 8),
    (Archetype::ShortBreaks, 3),
    (Archetype::Uasc, 7),
    (Archetype::Remand, 2),
    (Archetype::CareLeaver, 15),
];

/// Days of the year around 1 April on which no synthetic child is born: the validators compute
/// ages at the year boundaries in several slightly different ways (calendar years, 365.2425-day
/// years), and a birthday on the boundary would make the clean data depend on which one is right.
fn awkward_birthday(dob: NaiveDate) -> bool {
    let day = (dob.month(), dob.day());
    ((3, 20)..=(4, 10)).contains(&day) || day == (2, 29)
}

fn draw_dob(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    loop {
        let dob = rng.date(from, to);
        if !awkward_birthday(dob) {
            return dob;
        }
    }
}

struct Sim<'a, 'r> {
    ctx: &'a Context<'a>,
    rng: &'r mut Rng,
    child: Child,
    home_post: Option<usize>,
    /// Social worker allocations are numbered per child so that IDs look like an LA's.
    next_worker: u32,
}

/// Simulates one child's history. `index` makes the child's ID.
pub fn generate(ctx: &Context, rng: &mut Rng, index: usize) -> Child {
    let archetype = rng.weighted(&ARCHETYPES);
    let uasc = archetype == Archetype::Uasc;
    let sex = if uasc {
        if rng.chance(0.9) {
            Sex::Male
        } else {
            Sex::Female
        }
    } else if rng.chance(0.55) {
        Sex::Male
    } else {
        Sex::Female
    };
    let ethnicity = if uasc {
        rng.weighted(&UASC_ETHNICITIES)
    } else {
        rng.weighted(&ETHNICITIES)
    };
    let home = &ctx.gazetteer.authorities[ctx.home];
    let upn = permanent_upn(home.dfe_code, index as u64);
    let child = Child {
        id: format!("{}", 1_000_000 + index),
        sex,
        dob: ctx.window_start,
        ethnicity,
        upn,
        uasc,
        first_child_dob: None,
        episodes: Vec::new(),
        reviews: Vec::new(),
        missing: Vec::new(),
        adoption: None,
        previous_permanence: Vec::new(),
        social_workers: Vec::new(),
        dolos: Vec::new(),
    };
    let mut sim = Sim {
        ctx,
        rng,
        child,
        home_post: None,
        next_worker: 0,
    };
    sim.run(archetype);
    sim.finish()
}

impl Sim<'_, '_> {
    fn run(&mut self, archetype: Archetype) {
        let ws = self.ctx.window_start;
        let horizon = self.ctx.horizon;
        match archetype {
            Archetype::LongStay => {
                let start = self.rng.date(add_years(ws, -8), ws - days(60));
                let age = self.rng.range(0, 13) as i32;
                self.born_aged_at(age, start);
                // Still in care when the window opens; many stay beyond it.
                let end = (ws + days(self.rng.range(30, 1500))).min(self.eighteenth());
                self.standard_period(start, Some((end, "")));
            }
            Archetype::Entrant => {
                let start = self.rng.date(ws - days(90), horizon - days(2));
                let age = self.rng.weighted(&[
                    (0, 12),
                    (1, 6),
                    (3, 8),
                    (6, 10),
                    (10, 14),
                    (13, 20),
                    (15, 14),
                ]);
                let age = age + self.rng.range(0, 2) as i32;
                self.born_aged_at(age.min(16), start);
                self.standard_period(start, None);
            }
            Archetype::Returner => {
                let first = self.rng.date(add_years(ws, -4), ws - days(400));
                let age = self.rng.range(2, 12) as i32;
                self.born_aged_at(age, first);
                let first_end = self.rng.date(first + days(60), first + days(300));
                self.standard_period(first, Some((first_end, "E4A")));
                let second = self.rng.date(ws - days(30), horizon - days(10));
                self.standard_period(second, None);
            }
            Archetype::Adoption => {
                let start = self.rng.date(ws - days(700), ws + days(150));
                let age = if self.rng.chance(0.6) {
                    0
                } else {
                    self.rng.range(1, 3) as i32
                };
                self.born_aged_at(age, start);
                self.adoption_period(start);
            }
            Archetype::ShortBreaks => {
                let age = self.rng.range(5, 15) as i32;
                self.born_aged_at(age, ws);
                self.short_breaks();
            }
            Archetype::Uasc => {
                let start = self.rng.date(ws - days(500), horizon - days(5));
                let age = self.rng.range(14, 17) as i32;
                self.born_aged_at(age, start);
                self.uasc_period(start);
            }
            Archetype::Remand => {
                let start = self.rng.date(ws, horizon - days(20));
                let age = self.rng.range(13, 17) as i32;
                self.born_aged_at(age, start);
                self.remand_period(start);
            }
            Archetype::CareLeaver => {
                // Turns 18 somewhere between three years before the window and a year after it,
                // so the 17th–21st birthdays of the OC3 cohort fall in the returned years.
                let eighteenth = self.rng.date(add_years(ws, -3), add_years(horizon, 1));
                self.child.dob = draw_dob(
                    self.rng,
                    add_years(eighteenth, -18) - days(60),
                    add_years(eighteenth, -18),
                );
                let start = self
                    .rng
                    .date(add_years(self.child.dob, 13), add_years(self.child.dob, 15));
                let leave = if self.rng.chance(0.75) {
                    add_years(self.child.dob, 18)
                } else {
                    self.rng.date(
                        add_years(self.child.dob, 16) + days(200),
                        add_years(self.child.dob, 18) - days(30),
                    )
                };
                self.standard_period(start, Some((leave, "")));
            }
        }
        self.mother();
    }

    fn born_aged_at(&mut self, age: i32, on: NaiveDate) {
        let latest = add_years(on, -age) - days(1);
        let earliest = add_years(on, -age - 1) + days(1);
        self.child.dob = draw_dob(self.rng, earliest, latest);
    }

    fn age_on(&self, day: NaiveDate) -> i32 {
        age_on(self.child.dob, day)
    }

    fn eighteenth(&self) -> NaiveDate {
        add_years(self.child.dob, 18)
    }

    fn home_postcode(&mut self) -> usize {
        let authority = if self.rng.chance(0.9) {
            self.ctx.home
        } else {
            self.ctx.near[0]
        };
        self.rng
            .pick(&self.ctx.gazetteer.authorities[authority].postcodes)
    }

    fn postcode_in(&mut self, authority: usize) -> usize {
        loop {
            let postcode = self
                .rng
                .pick(&self.ctx.gazetteer.authorities[authority].postcodes);
            if Some(postcode) != self.home_post {
                return postcode;
            }
        }
    }

    fn placement(&mut self, place: Place) -> Placement {
        let providers = place.providers();
        let provider = (!providers.is_empty()).then(|| self.rng.pick(providers));
        let region = match provider {
            // Own provision is inside the LA (1015); K3 out of area would need the Ofsted premises
            // list to check (241), so supported accommodation stays local too.
            Some("PR1") => Region::Home,
            _ if place == Place::SupportedAccommodation => Region::Home,
            Some("PR2") => Region::Near(self.rng.below(3) as usize),
            _ => {
                let roll = self.rng.unit();
                if roll < 0.55 {
                    Region::Home
                } else if roll < 0.9 {
                    Region::Near(self.rng.below(4) as usize)
                } else {
                    Region::Far
                }
            }
        };
        let registered = match provider {
            Some(code) if place.has_urn() => {
                if matches!(place, Place::Adoption { .. }) && self.rng.chance(0.15) {
                    None
                } else {
                    Some(provider::draw(
                        self.ctx,
                        self.rng,
                        place,
                        code,
                        region,
                        self.home_post,
                    ))
                }
            }
            _ => None,
        };
        let authority = match (&registered, region) {
            (Some(registered), _) => registered.authority,
            (None, Region::Home) => self.ctx.home,
            (None, Region::Near(i)) => self.ctx.near[i],
            (None, Region::Far) => self.rng.pick(&self.ctx.far),
        };
        let postcode = match (place, self.home_post) {
            (Place::WithParents, Some(home)) => Some(home),
            (Place::WithParents, None) => None,
            _ => match &registered {
                Some(registered) if provider::fixed_setting(place) => Some(registered.postcode),
                _ => Some(self.postcode_in(authority)),
            },
        };
        let urn = place
            .has_urn()
            .then(|| registered.map_or_else(|| "XXXXXXX".to_string(), |registered| registered.urn));
        Placement {
            place,
            provider,
            postcode,
            urn,
        }
    }

    /// A placement type suited to the child's age on `on`.
    fn usual_place(&mut self, on: NaiveDate) -> Place {
        let age = self.age_on(on);
        let relative = self.rng.chance(0.2);
        let foster = Place::Foster {
            relative,
            term: FosterTerm::Other,
        };
        let k3_allowed = on >= date(2024, 4, 1) && age >= 16;
        let roll = self.rng.range(0, 99);
        match age {
            0..=4 => {
                if roll < 92 {
                    foster
                } else {
                    Place::MotherAndBaby
                }
            }
            5..=10 => match roll {
                0..=84 => foster,
                85..=93 => Place::ChildrensHome,
                94..=97 => Place::ResidentialSchool,
                _ => Place::Other(self.rng.below(4) as u8),
            },
            11..=15 => match roll {
                0..=62 => foster,
                63..=89 => Place::ChildrensHome,
                90..=93 => Place::ResidentialSchool,
                94..=96 => Place::ResidentialCareHome,
                _ => Place::Other(self.rng.below(4) as u8),
            },
            _ => match roll {
                0..=49 => foster,
                50..=74 => Place::ChildrensHome,
                75..=92 if k3_allowed => Place::SupportedAccommodation,
                75..=92 => Place::ChildrensHome,
                93..=95 => Place::ResidentialCareHome,
                _ => Place::Other(self.rng.below(4) as u8),
            },
        }
    }

    fn cin_code(&mut self) -> &'static str {
        self.rng.weighted(&[
            ("N1", 62),
            ("N2", 4),
            ("N3", 4),
            ("N4", 8),
            ("N5", 14),
            ("N6", 2),
            ("N7", 1),
            ("N8", 5),
        ])
    }

    /// A period of care with ordinary moves and legal status changes. `planned_end` gives the
    /// end date and reason when the caller decides them (an empty reason: chosen at the end);
    /// otherwise the period runs to a random length or the 18th birthday.
    fn standard_period(
        &mut self,
        start: NaiveDate,
        planned_end: Option<(NaiveDate, &'static str)>,
    ) {
        let start = self.not_on_year_boundary(start);
        // Nobody starts to be looked after at 18 or over (352); a period must also have room to
        // end before the 18th birthday.
        if start + days(60) >= self.eighteenth() {
            return;
        }
        let age = self.age_on(start);
        let cin = self.cin_code();
        self.home_post = Some(self.home_postcode());
        // Legal status path.
        let mut statuses: Vec<(NaiveDate, &'static str)> = Vec::new();
        let emergency = age < 16 && self.rng.chance(0.12);
        let first_ls = if emergency {
            if self.rng.chance(0.5) { "L1" } else { "L2" }
        } else if age >= 16 || self.rng.chance(0.55) {
            "V2"
        } else {
            "C1"
        };
        statuses.push((start, first_ls));
        let mut t = start;
        if emergency {
            t += days(if first_ls == "L1" {
                self.rng.range(1, 2)
            } else {
                self.rng.range(4, 18)
            });
            statuses.push((t, "C1"));
        } else if first_ls == "V2" && age < 15 && self.rng.chance(0.15) {
            t += days(self.rng.range(60, 240));
            statuses.push((t, "C1"));
        }
        if statuses.last().map(|s| s.1) == Some("C1") {
            t += days(self.rng.range(90, 330));
            statuses.push((t, "C2"));
        }
        // End of the period.
        let eighteenth = self.eighteenth();
        let (end, mut rec) = match planned_end {
            Some((end, rec)) => (end, rec),
            None => {
                let length =
                    self.rng
                        .weighted(&[(60, 20), (200, 25), (500, 25), (1200, 20), (4000, 10)]);
                let end = start + days(self.rng.range(length / 3 + 3, length));
                if end >= eighteenth {
                    (eighteenth, "")
                } else {
                    (end, "")
                }
            }
        };
        let end = end.max(start + days(3));
        // Placement moves.
        let first_place = self.usual_place(start);
        let mut placement = self.placement(first_place);
        let mut builder =
            PeriodBuilder::new(start, first_ls, cin, placement.clone(), self.home_post);
        let mut moves: Vec<NaiveDate> = Vec::new();
        let mut m = start;
        loop {
            let stint = self
                .rng
                .weighted(&[(45, 15), (150, 30), (400, 35), (900, 20)]);
            m += days(self.rng.range(stint / 3 + 5, stint));
            if m >= end - days(3) {
                break;
            }
            moves.push(m);
        }
        let mut status_index = 1;
        let mut move_index = 0;
        loop {
            let next_status = statuses
                .get(status_index)
                .map(|s| s.0)
                .filter(|d| *d < end - days(2));
            let next_move = moves.get(move_index).copied();
            let (when, ls_change, place_change) = match (next_status, next_move) {
                (None, None) => break,
                (Some(s), Some(p)) if s == p => (s, true, true),
                (Some(s), Some(p)) if s < p => (s, true, false),
                (Some(s), None) => (s, true, false),
                (_, Some(p)) => (p, false, true),
            };
            if when > self.ctx.horizon {
                break;
            }
            if when <= builder.current_start() {
                if ls_change {
                    status_index += 1;
                }
                if place_change {
                    move_index += 1;
                }
                continue;
            }
            let new_ls = ls_change.then(|| statuses[status_index].1);
            if ls_change {
                status_index += 1;
            }
            if place_change {
                move_index += 1;
            }
            let new_placement = if place_change {
                // A change of type with the same carers: short-term foster carers become the
                // long-term carers.
                if matches!(
                    placement.place,
                    Place::Foster {
                        term: FosterTerm::Other,
                        ..
                    }
                ) && self.rng.chance(0.2)
                {
                    let Place::Foster { relative, .. } = placement.place else {
                        unreachable!()
                    };
                    let mut same = placement.clone();
                    same.place = Place::Foster {
                        relative,
                        term: FosterTerm::LongTerm,
                    };
                    Some((same, true))
                } else {
                    // Placement with parents happens under a care order, never under section
                    // 20 (378).
                    let status = new_ls.unwrap_or(builder.current().ls);
                    let place = if status == "C2" && self.rng.chance(0.12) {
                        Place::WithParents
                    } else {
                        self.usual_place(when)
                    };
                    Some((self.placement(place), false))
                }
            } else {
                None
            };
            builder.change(self.rng, when, new_ls, new_placement.clone());
            if let Some((p, _)) = new_placement {
                placement = p;
            }
            self.maybe_temporary_stay(
                &mut builder,
                &placement,
                end,
                statuses.get(status_index).map(|s| s.0),
                moves.get(move_index).copied(),
            );
        }
        // A final temporary stay must not close the period (381); the builder guarantees the
        // last episode is a real placement because temporary stays always return.
        if rec.is_empty() {
            rec = self.exit_reason(end, &builder);
        }
        let open = end > self.ctx.horizon;
        let episodes = builder.finish(if open { None } else { Some((end, rec)) });
        self.after_period(start, episodes, !emergency);
    }

    /// Inserts, now and then, a temporary placement followed by a return to `placement`.
    fn maybe_temporary_stay(
        &mut self,
        builder: &mut PeriodBuilder,
        placement: &Placement,
        end: NaiveDate,
        next_status: Option<NaiveDate>,
        next_move: Option<NaiveDate>,
    ) {
        if placement.place.is_temporary() || !self.rng.chance(0.12) {
            return;
        }
        let kind = self.rng.weighted(&[
            (Temporary::Short, 5),
            (Temporary::Hospital, 2),
            (Temporary::Holiday, 1),
            (Temporary::CarerHoliday, 2),
        ]);
        if kind == Temporary::CarerHoliday && !placement.place.is_foster() {
            return;
        }
        let from = builder.current_start() + days(self.rng.range(10, 60));
        let back = from + days(self.rng.range(2, kind.max_days()));
        let limit = [Some(end), next_status, next_move, Some(self.ctx.horizon)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(end);
        if back + days(3) >= limit {
            return;
        }
        let authority = if self.rng.chance(0.7) {
            self.ctx.home
        } else {
            self.ctx.near[0]
        };
        let temporary = Placement {
            place: Place::Temporary(kind),
            provider: None,
            postcode: Some(self.postcode_in(authority)),
            urn: None,
        };
        builder.change(self.rng, from, None, Some((temporary, false)));
        builder.change(self.rng, back, None, Some((placement.clone(), false)));
    }

    fn exit_reason(&mut self, end: NaiveDate, builder: &PeriodBuilder) -> &'static str {
        let age = self.age_on(end);
        let place = builder.current_place();
        if end == self.eighteenth() {
            return if place.is_foster() && self.rng.chance(0.5) {
                "E17"
            } else {
                self.rng.pick(&["E5", "E5", "E6", "E8"])
            };
        }
        let mut reasons: Vec<(&'static str, u32)> = vec![
            ("E4A", 40),
            ("E13", 10),
            ("E41", 6),
            ("E8", 8),
            ("E4B", 4),
            ("E3", 3),
            ("E47", 3),
            ("E48", 2),
        ];
        if place.is_foster() {
            reasons.extend([("E45", 7), ("E46", 3)]);
        }
        if age >= 16 {
            reasons.extend([("E5", 8), ("E6", 3), ("E7", 1)]);
        }
        if age >= 12 {
            reasons.push(("E9", 1));
        }
        self.rng.weighted(&reasons)
    }

    /// Children are not entered into care on 1 April or taken out on 31 March: the boundary
    /// conventions of "entered during the year" differ between rule versions.
    fn not_on_year_boundary(&self, start: NaiveDate) -> NaiveDate {
        if (start.month(), start.day()) == (4, 1) {
            start + days(1)
        } else {
            start
        }
    }

    fn adoption_period(&mut self, start: NaiveDate) {
        let start = self.not_on_year_boundary(start);
        self.home_post = Some(self.home_postcode());
        let cin = if self.rng.chance(0.85) { "N1" } else { "N5" };
        let foster = Place::Foster {
            relative: false,
            term: if self.rng.chance(0.3) {
                FosterTerm::ForAdoption
            } else {
                FosterTerm::Other
            },
        };
        let placement = self.placement(foster);
        let mut builder = PeriodBuilder::new(start, "C1", cin, placement.clone(), self.home_post);
        let order = start + days(self.rng.range(150, 360));
        let decision = order - days(self.rng.range(14, 60));
        let matched = order + days(self.rng.range(30, 150));
        let placed = matched + days(self.rng.range(7, 40));
        let adopted = placed + days(self.rng.range(90, 300));
        let by_foster_carers = self.rng.chance(0.15);
        let horizon = self.ctx.horizon;
        let mut adoption = Adoption {
            decision,
            matched: None,
            adopted: None,
            reversed: None,
            by_foster_carers,
            adopters: self.rng.pick(&[
                ("2", "MF", "L11"),
                ("2", "MF", "L11"),
                ("2", "MF", "L3"),
                ("2", "FF", "L12"),
                ("2", "MM", "L4"),
                ("2", "FF", "L2"),
                ("1", "F1", "L0"),
                ("1", "M1", "L0"),
            ]),
        };
        if order > horizon {
            let end = start + days(self.rng.range(400, 900));
            let episodes = builder.finish(if end > horizon {
                None
            } else {
                Some((end, "E4A"))
            });
            self.after_period(start, episodes, true);
            return;
        }
        builder.change(self.rng, order, Some("E1"), None);
        // Now and then the plan for adoption is abandoned before a match: the placement order
        // is revoked (back to a care order) and the child later leaves care to a special
        // guardianship order with the foster carers.
        let reversal = order + days(self.rng.range(60, 240));
        if reversal < placed && reversal <= horizon && self.rng.chance(0.12) {
            adoption.reversed = Some((reversal, self.rng.pick(&["RD1", "RD2", "RD3", "RD4"])));
            builder.change(self.rng, reversal, Some("C2"), None);
            let left = reversal + days(self.rng.range(150, 700));
            self.child.adoption = Some(adoption);
            let episodes = builder.finish((left <= horizon).then_some((left, "E45")));
            self.after_period(start, episodes, true);
            return;
        }
        if placed <= horizon {
            adoption.matched = Some(matched);
            let adoptive = if by_foster_carers {
                let mut same = placement.clone();
                same.place = Place::Adoption {
                    with_foster_carers: true,
                };
                (same, true)
            } else {
                (
                    self.placement(Place::Adoption {
                        with_foster_carers: false,
                    }),
                    false,
                )
            };
            builder.change(self.rng, placed, None, Some(adoptive));
        }
        let end = if placed <= horizon && adopted <= horizon {
            adoption.adopted = Some(adopted);
            Some((adopted, if self.rng.chance(0.8) { "E11" } else { "E12" }))
        } else {
            None
        };
        self.child.adoption = Some(adoption);
        let episodes = builder.finish(end);
        self.after_period(start, episodes, true);
    }

    fn uasc_period(&mut self, start: NaiveDate) {
        let start = self.not_on_year_boundary(start);
        self.home_post = None;
        let eighteenth = self.eighteenth();
        let age = self.age_on(start);
        let place = if age >= 16 && start >= date(2024, 4, 1) && self.rng.chance(0.5) {
            Place::SupportedAccommodation
        } else if self.rng.chance(0.6) {
            Place::Foster {
                relative: false,
                term: FosterTerm::Other,
            }
        } else {
            Place::ChildrensHome
        };
        let placement = self.placement(place);
        let mut builder = PeriodBuilder::new(start, "V2", "N8", placement.clone(), None);
        let move_on = start + days(self.rng.range(120, 500));
        if move_on < eighteenth - days(5) && move_on <= self.ctx.horizon {
            let next_place = if self.age_on(move_on) >= 16 && move_on >= date(2024, 4, 1) {
                Place::SupportedAccommodation
            } else {
                Place::ChildrensHome
            };
            let next = self.placement(next_place);
            if next != placement {
                builder.change(self.rng, move_on, None, Some((next, false)));
            }
        }
        let end = if eighteenth <= self.ctx.horizon {
            let place = builder.current_place();
            Some((
                eighteenth,
                if place.is_foster() && self.rng.chance(0.5) {
                    "E17"
                } else {
                    self.rng.pick(&["E5", "E6", "E8"])
                },
            ))
        } else {
            None
        };
        let episodes = builder.finish(end);
        self.after_period(start, episodes, true);
    }

    fn remand_period(&mut self, start: NaiveDate) {
        let start = self.not_on_year_boundary(start);
        self.home_post = Some(self.home_postcode());
        let place = if self.rng.chance(0.5) {
            Place::ChildrensHome
        } else {
            Place::Foster {
                relative: false,
                term: FosterTerm::Other,
            }
        };
        let placement = self.placement(place);
        let builder = PeriodBuilder::new(start, "J1", "N6", placement, self.home_post);
        let end = start + days(self.rng.range(10, 90));
        let episodes = builder.finish((end <= self.ctx.horizon).then_some((end, "E14")));
        self.after_period(start, episodes, true);
    }

    /// An agreed series of short breaks (LS V3): each break is its own period of care, at most
    /// 17 days (365), no more than 75 days a year (367), no postcodes (398, 420), no temporary or
    /// long-term foster placements (382, 384).
    fn short_breaks(&mut self) {
        let mut t = self.rng.date(
            self.ctx.window_start - days(200),
            self.ctx.window_start + days(120),
        );
        let provider = self.rng.pick(&["PR1", "PR4", "PR5"]);
        let placement = Placement {
            place: Place::ResidentialCareHome,
            provider: Some(provider),
            postcode: None,
            urn: None,
        };
        let series_end = t + days(self.rng.range(300, 1100));
        while t < series_end && t < self.ctx.horizon - days(2) {
            let length = self.rng.range(1, 5);
            let back = t + days(length);
            let builder = PeriodBuilder::new(t, "V3", "N2", placement.clone(), None);
            let end = (back <= self.ctx.horizon).then_some((back, "E4A"));
            let mut episodes = builder.finish(end);
            self.child.episodes.append(&mut episodes);
            t = back + days(self.rng.range(40, 80));
        }
        if self.child.episodes.is_empty() {
            let start = self.ctx.window_start + days(10);
            let builder = PeriodBuilder::new(start, "V3", "N2", placement, None);
            let mut episodes = builder.finish(Some((start + days(3), "E4A")));
            self.child.episodes.append(&mut episodes);
        }
        let start = self.child.episodes[0].decom;
        self.child.previous_permanence.push(PreviousPermanence {
            period_start: start,
            code: "Z1",
            la: None,
            date: None,
        });
    }

    /// Records a finished period and what hangs off it: reviews, missing episodes, previous
    /// permanence, social workers and DoLOs.
    fn after_period(&mut self, start: NaiveDate, episodes: Vec<Episode>, with_prior_worker: bool) {
        let end = episodes.last().and_then(|e| e.dec);
        self.reviews(start, end);
        self.missing(&episodes);
        self.previous_permanence(start);
        self.social_workers(start, end, with_prior_worker);
        self.dolos(&episodes);
        self.child.episodes.extend(episodes);
    }

    fn reviews(&mut self, start: NaiveDate, end: Option<NaiveDate>) {
        let limit = end
            .unwrap_or(self.ctx.horizon + days(1))
            .min(self.ctx.horizon + days(1));
        let fourth = add_years(self.child.dob, 4);
        let mut review = start + days(self.rng.range(14, 27));
        let mut gap = (60, 88);
        while review < limit {
            // Participation codes change at the 4th birthday (440, 441); keep reviews off it.
            let day = if (review - fourth).num_days().abs() <= 5 {
                review + days(6)
            } else {
                review
            };
            if day >= limit {
                break;
            }
            self.child.reviews.push(day);
            review = day + days(self.rng.range(gap.0, gap.1));
            gap = (150, 178);
        }
    }

    fn missing(&mut self, episodes: &[Episode]) {
        let Some(first) = episodes.first() else {
            return;
        };
        if self.age_on(first.decom) < 11 || !self.rng.chance(0.3) {
            return;
        }
        let count = self.rng.range(1, 5);
        let horizon = self.ctx.horizon;
        for _ in 0..count {
            let episode = &episodes[self.rng.below(episodes.len() as u64) as usize];
            if episode.placement.place.is_temporary() || episode.ls == "V3" {
                continue;
            }
            let until = episode.dec.unwrap_or(horizon + days(30));
            if (until - episode.decom).num_days() < 12 {
                continue;
            }
            let start = self.rng.date(episode.decom + days(1), until - days(8));
            let end = start + days(self.rng.range(0, 4));
            if start > horizon {
                continue;
            }
            if self
                .child
                .missing
                .iter()
                .any(|m| m.start <= end + days(1) && start <= m.end.unwrap_or(start) + days(1))
            {
                continue;
            }
            let kind = if self.rng.chance(0.7) { "M" } else { "A" };
            self.child.missing.push(Missing {
                kind,
                start,
                end: Some(end),
            });
        }
        self.child.missing.sort_by_key(|m| m.start);
    }

    fn previous_permanence(&mut self, start: NaiveDate) {
        let (code, with_details) = self.rng.weighted(&[
            (("Z1", false), 80),
            (("P1", true), 3),
            (("P2", true), 8),
            (("P3", true), 6),
            (("P4", true), 3),
        ]);
        let (la, when) = if with_details {
            let authority = if self.rng.chance(0.7) {
                self.ctx.home
            } else {
                self.rng.pick(&self.ctx.near)
            };
            let la = if code == "P4" && self.rng.chance(0.5) {
                "999"
            } else {
                self.ctx.gazetteer.authorities[authority].dfe_code
            };
            let order = self.rng.date(self.child.dob + days(30), start - days(30));
            let text = if self.rng.chance(0.2) {
                format!("ZZ/{}", order.format("%m/%Y"))
            } else {
                crate::synth::calendar::dmy(order)
            };
            (Some(la), Some(text))
        } else {
            (None, None)
        };
        let usable = code == "Z1" || self.child.dob + days(90) < start;
        self.child.previous_permanence.push(PreviousPermanence {
            period_start: start,
            code: if usable { code } else { "Z1" },
            la: if usable { la } else { None },
            date: if usable { when } else { None },
        });
    }

    fn social_workers(
        &mut self,
        start: NaiveDate,
        end: Option<NaiveDate>,
        with_prior_worker: bool,
    ) {
        let mut first_start = if with_prior_worker && self.rng.chance(0.3) {
            start - days(self.rng.range(20, 200))
        } else {
            start
        };
        if let Some(previous_end) = self.child.social_workers.last().and_then(|w| w.end) {
            first_start = first_start.max(previous_end + days(1));
        }
        let mut first = true;
        let limit = end.unwrap_or(self.ctx.horizon + days(1));
        let limit = limit.min(self.ctx.horizon + days(1));
        let mut from = first_start;
        let mut reason = "FCONTA";
        loop {
            self.next_worker += 1;
            let id = format!(
                "SW{}{:03}",
                &self.child.id[self.child.id.len() - 4..],
                self.next_worker
            );
            let to = from + days(self.rng.range(60, 600));
            let to = if first && to <= start {
                start + days(10)
            } else {
                to
            };
            first = false;
            // A change of worker in the last week would leave a stub allocation of a few days,
            // which the rules read as a data error (SW09).
            if to + days(7) >= limit {
                self.child.social_workers.push(SocialWorker {
                    id,
                    start: from,
                    end: end.filter(|e| *e <= self.ctx.horizon),
                    reason,
                });
                break;
            }
            self.child.social_workers.push(SocialWorker {
                id,
                start: from,
                end: Some(to),
                reason,
            });
            from = to;
            reason = self.rng.pick(&[
                "MANAGE", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "OTHERS",
            ]);
        }
    }

    fn dolos(&mut self, episodes: &[Episode]) {
        for episode in episodes {
            if episode.placement.place != Place::ChildrensHome
                || self.age_on(episode.decom) < 12
                || !self.rng.chance(0.15)
            {
                continue;
            }
            let until = episode.dec.unwrap_or(self.ctx.horizon + days(60));
            if (until - episode.decom).num_days() < 40 {
                continue;
            }
            let start = episode.decom + days(self.rng.range(5, 20));
            let end = self.rng.date(start + days(14), until - days(1));
            self.child.dolos.push(Dolo {
                start,
                end: (end <= self.ctx.horizon).then_some(end),
            });
        }
    }

    /// Some girls in care have a child of their own.
    fn mother(&mut self) {
        if self.child.sex != Sex::Female || self.child.uasc || !self.rng.chance(0.12) {
            return;
        }
        let Some(last) = self.child.episodes.last() else {
            return;
        };
        let fifteen = add_years(self.child.dob, 15);
        let from = self
            .child
            .episodes
            .iter()
            .find(|e| e.ls != "V3")
            .map(|e| e.decom)
            .unwrap_or(last.decom)
            .max(fifteen)
            + days(30);
        let to = last.dec.unwrap_or(self.ctx.horizon).min(self.ctx.horizon) - days(10);
        if from < to && last.ls != "V3" {
            self.child.first_child_dob = Some(self.rng.date(from, to));
        }
    }

    fn finish(self) -> Child {
        self.child
    }
}
