//! The rows figures read, loaded from a snapshot's Parquet tables, with the history that measures
//! looking back beyond the year need (previous referrals, earlier plans, earlier episodes of care)
//! taken from the current snapshots of earlier years in the same output root.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::frame::ColumnSet;
use crate::snapshot::{SnapshotRef, SnapshotStore};
use crate::year::CollectionYear;

use super::FiguresError;

/// Earlier snapshots used for history.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// (year, snapshot id), newest first.
    pub snapshots: Vec<(CollectionYear, String)>,
}

impl History {
    /// Whether every year from `from` to the year before `year` has a snapshot.
    pub fn covers(&self, from: CollectionYear, year: CollectionYear) -> bool {
        (from.end_year()..year.end_year())
            .all(|y| self.snapshots.iter().any(|(s, _)| s.end_year() == y))
    }

    pub fn ids(&self) -> Option<String> {
        (!self.snapshots.is_empty()).then(|| {
            self.snapshots
                .iter()
                .map(|(_, id)| id.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
    }
}

/// The snapshot, then the current snapshot of each earlier year of the same return, newest first.
fn with_history(
    store: &SnapshotStore,
    snapshot: &SnapshotRef,
) -> Result<(Vec<SnapshotRef>, History), FiguresError> {
    let mut all = vec![snapshot.clone()];
    let mut history = History::default();
    let mut years: Vec<CollectionYear> = store
        .return_years()?
        .into_iter()
        .filter(|(r, y)| *r == snapshot.return_kind && *y < snapshot.year)
        .map(|(_, y)| y)
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    for year in years {
        if let Some(earlier) = store.latest(snapshot.return_kind, year)? {
            history.snapshots.push((year, earlier.id.clone()));
            all.push(earlier);
        }
    }
    Ok((all, history))
}

fn table(snapshot: &SnapshotRef, name: &str) -> Result<ColumnSet, FiguresError> {
    Ok(ColumnSet::read(&snapshot.table_file(name))?)
}

/// A CIN episode (CINdetails): one referral and what followed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Referral {
    pub child: String,
    pub cin_id: Option<i64>,
    pub date: NaiveDate,
    pub closure: Option<NaiveDate>,
    pub closure_reason: Option<String>,
    pub nfa: bool,
    /// An ICPC not following a section 47 enquiry in this episode.
    pub icpc: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub child: String,
    pub cin_id: Option<i64>,
    pub start: Option<NaiveDate>,
    pub authorised: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enquiry {
    pub child: String,
    pub start: Option<NaiveDate>,
    pub icpc: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub child: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub initial_category: Option<String>,
    pub previous_plans: Option<i64>,
}

/// A CIN census snapshot's rows, with referral and plan history.
#[derive(Debug, Clone, Default)]
pub struct CinData {
    pub referrals: Vec<Referral>,
    pub assessments: Vec<Assessment>,
    pub enquiries: Vec<Enquiry>,
    pub plans: Vec<Plan>,
    /// Every referral date known for each child, this year's and earlier years', sorted.
    pub referral_dates: HashMap<String, Vec<NaiveDate>>,
    /// Every plan start known for each child, sorted.
    pub plan_starts: HashMap<String, Vec<NaiveDate>>,
    pub history: History,
}

impl CinData {
    pub fn load(store: &SnapshotStore, snapshot: &SnapshotRef) -> Result<Self, FiguresError> {
        let (snapshots, history) = with_history(store, snapshot)?;
        let mut data = CinData {
            history,
            ..CinData::default()
        };
        for (index, source) in snapshots.iter().enumerate() {
            let referrals = read_referrals(source)?;
            let plans = read_plans(source)?;
            for r in &referrals {
                data.referral_dates
                    .entry(r.child.clone())
                    .or_default()
                    .push(r.date);
            }
            for p in &plans {
                data.plan_starts
                    .entry(p.child.clone())
                    .or_default()
                    .push(p.start);
            }
            if index == 0 {
                data.referrals = referrals;
                data.plans = plans;
                data.assessments = read_assessments(source)?;
                data.enquiries = read_enquiries(source)?;
            }
        }
        for dates in data
            .referral_dates
            .values_mut()
            .chain(data.plan_starts.values_mut())
        {
            dates.sort_unstable();
            dates.dedup();
        }
        Ok(data)
    }
}

fn read_referrals(snapshot: &SnapshotRef) -> Result<Vec<Referral>, FiguresError> {
    let t = table(snapshot, "cin_details")?;
    let (child, id, date, closure, reason, nfa, icpc) = (
        t.texts("LAchildID")?,
        t.integers("CINdetailsID")?,
        t.dates("CINreferralDate")?,
        t.dates("CINclosureDate")?,
        t.texts("ReasonForClosure")?,
        t.booleans("ReferralNFA")?,
        t.dates("DateOfInitialCPC")?,
    );
    Ok((0..t.len())
        .filter_map(|i| {
            Some(Referral {
                child: child[i].clone()?,
                cin_id: id[i],
                date: date[i]?,
                closure: closure[i],
                closure_reason: reason[i].clone(),
                nfa: nfa[i] == Some(true),
                icpc: icpc[i],
            })
        })
        .collect())
}

fn read_assessments(snapshot: &SnapshotRef) -> Result<Vec<Assessment>, FiguresError> {
    let t = table(snapshot, "assessments")?;
    let (child, id, start, authorised) = (
        t.texts("LAchildID")?,
        t.integers("CINdetailsID")?,
        t.dates("AssessmentActualStartDate")?,
        t.dates("AssessmentAuthorisationDate")?,
    );
    Ok((0..t.len())
        .filter_map(|i| {
            Some(Assessment {
                child: child[i].clone()?,
                cin_id: id[i],
                start: start[i],
                authorised: authorised[i],
            })
        })
        .collect())
}

fn read_enquiries(snapshot: &SnapshotRef) -> Result<Vec<Enquiry>, FiguresError> {
    let t = table(snapshot, "section47")?;
    let (child, start, icpc) = (
        t.texts("LAchildID")?,
        t.dates("S47ActualStartDate")?,
        t.dates("DateOfInitialCPC")?,
    );
    Ok((0..t.len())
        .filter_map(|i| {
            Some(Enquiry {
                child: child[i].clone()?,
                start: start[i],
                icpc: icpc[i],
            })
        })
        .collect())
}

fn read_plans(snapshot: &SnapshotRef) -> Result<Vec<Plan>, FiguresError> {
    let t = table(snapshot, "child_protection_plans")?;
    let (child, start, end, category, previous) = (
        t.texts("LAchildID")?,
        t.dates("CPPstartDate")?,
        t.dates("CPPendDate")?,
        t.texts("InitialCategoryOfAbuse")?,
        t.integers("NumberOfPreviousCPP")?,
    );
    Ok((0..t.len())
        .filter_map(|i| {
            Some(Plan {
                child: child[i].clone()?,
                start: start[i]?,
                end: end[i],
                initial_category: category[i].clone(),
                previous_plans: previous[i],
            })
        })
        .collect())
}

/// An SSDA903 episode of care.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    pub decom: NaiveDate,
    pub rne: String,
    pub ls: String,
    pub place: String,
    pub dec: Option<NaiveDate>,
    pub rec: Option<String>,
    pub pl_post: Option<String>,
    /// Derived from the postcodes when the snapshot was written (`IN`/`OUT` the LA), if it was.
    pub pl_location: Option<String>,
    /// Miles from home to placement, derived likewise.
    pub pl_distance: Option<f64>,
}

impl Episode {
    /// LS V3/V4: an agreed series of short breaks, outside most looked-after figures.
    pub fn is_short_break(&self) -> bool {
        matches!(self.ls.as_str(), "V3" | "V4")
    }

    pub fn is_open_on(&self, date: NaiveDate) -> bool {
        self.decom <= date && self.dec.is_none_or(|dec| dec > date)
    }

    /// Ended with a reason other than X1: the child left care.
    pub fn ends_care(&self) -> bool {
        self.dec.is_some() && self.rec.as_deref().is_some_and(|r| r != "X1")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    pub sex: Option<String>,
    pub dob: Option<NaiveDate>,
    pub ethnic: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CareLeaver {
    pub child: String,
    pub dob: NaiveDate,
    pub in_touch: Option<String>,
    pub activity: Option<String>,
    pub accommodation: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AdoptionDecision {
    pub date_match: Option<NaiveDate>,
}

/// An SSDA903 snapshot's rows, each child's episodes merged with earlier years'.
#[derive(Debug, Clone, Default)]
pub struct CareData {
    /// Each child's episodes in DECOM order, short breaks included (figures exclude them).
    pub episodes: BTreeMap<String, Vec<Episode>>,
    pub children: HashMap<String, Child>,
    /// UASC children and the date their status ceased.
    pub uasc: HashMap<String, Option<NaiveDate>>,
    /// This year's care leavers (OC3).
    pub care_leavers: Vec<CareLeaver>,
    pub adoption_decisions: HashMap<String, AdoptionDecision>,
    pub history: History,
    /// Whether the snapshot's episodes carry the fields derived from the postcodes (PL_LOCATION,
    /// PL_DISTANCE): written by runs with the postcode reference, blank where not derivable.
    pub placements_derived: bool,
}

impl CareData {
    pub fn load(store: &SnapshotStore, snapshot: &SnapshotRef) -> Result<Self, FiguresError> {
        let (snapshots, history) = with_history(store, snapshot)?;
        let mut data = CareData {
            history,
            ..CareData::default()
        };
        // Newest first: a later return restates a child's episodes from the one open on 1 April,
        // so an earlier return's episodes are kept only when they ended by the later return's
        // first one (an episode the later return does not restate is superseded by it).
        data.placements_derived = table(snapshot, "episodes")?.has("PL_LOCATION");
        for (index, source) in snapshots.iter().enumerate() {
            for (child, episodes) in read_episodes(source)? {
                let kept = data.episodes.entry(child).or_default();
                let cut = kept.first().map(|e| e.decom);
                kept.extend(episodes.into_iter().filter(|e| {
                    cut.is_none_or(|cut| e.decom < cut && e.dec.is_some_and(|d| d <= cut))
                }));
                kept.sort_by_key(|e| e.decom);
            }
            let header = table(source, "header")?;
            let (child, sex, dob, ethnic, flag) = (
                header.texts("CHILD")?,
                header.texts("SEX")?,
                header.dates("DOB")?,
                header.texts("ETHNIC")?,
                header.texts("UASC")?,
            );
            // The XML return makes a UASC row for `<UASC>0</UASC>` too; its flag (blank in the
            // CSV return) says the child is not UASC.
            let mut not_uasc = HashSet::new();
            for i in 0..header.len() {
                if let Some(id) = &child[i] {
                    data.children.entry(id.clone()).or_insert_with(|| Child {
                        sex: sex[i].clone(),
                        dob: dob[i],
                        ethnic: ethnic[i].clone(),
                    });
                    if flag[i].as_deref() == Some("0") {
                        not_uasc.insert(id.clone());
                    }
                }
            }
            let uasc = table(source, "uasc")?;
            let (child, duc) = (uasc.texts("CHILD")?, uasc.dates("DUC")?);
            for i in 0..uasc.len() {
                if let Some(id) = child[i].as_ref().filter(|id| !not_uasc.contains(*id)) {
                    data.uasc.entry(id.clone()).or_insert(duc[i]);
                }
            }
            let ad1 = table(source, "ad1")?;
            let (child, matched) = (ad1.texts("CHILD")?, ad1.dates("DATE_MATCH")?);
            for i in 0..ad1.len() {
                if let Some(id) = &child[i] {
                    data.adoption_decisions
                        .entry(id.clone())
                        .or_insert(AdoptionDecision {
                            date_match: matched[i],
                        });
                }
            }
            if index == 0 {
                let oc3 = table(source, "oc3")?;
                let (child, dob, in_touch, activity, accommodation) = (
                    oc3.texts("CHILD")?,
                    oc3.dates("DOB")?,
                    oc3.texts("IN_TOUCH")?,
                    oc3.texts("ACTIV")?,
                    oc3.texts("ACCOM")?,
                );
                data.care_leavers = (0..oc3.len())
                    .filter_map(|i| {
                        Some(CareLeaver {
                            child: child[i].clone()?,
                            dob: dob[i]?,
                            in_touch: in_touch[i].clone(),
                            activity: activity[i].clone(),
                            accommodation: accommodation[i].clone(),
                        })
                    })
                    .collect();
            }
        }
        Ok(data)
    }
}

fn read_episodes(snapshot: &SnapshotRef) -> Result<BTreeMap<String, Vec<Episode>>, FiguresError> {
    let t = table(snapshot, "episodes")?;
    let (child, decom, rne, ls, place, dec, rec, pl_post) = (
        t.texts("CHILD")?,
        t.dates("DECOM")?,
        t.texts("RNE")?,
        t.texts("LS")?,
        t.texts("PLACE")?,
        t.dates("DEC")?,
        t.texts("REC")?,
        t.texts("PL_POST")?,
    );
    let (pl_location, pl_distance) = (t.texts("PL_LOCATION")?, t.floats("PL_DISTANCE")?);
    let mut by_child: BTreeMap<String, Vec<Episode>> = BTreeMap::new();
    for i in 0..t.len() {
        let (Some(id), Some(start)) = (&child[i], decom[i]) else {
            continue;
        };
        by_child.entry(id.clone()).or_default().push(Episode {
            decom: start,
            rne: rne[i].clone().unwrap_or_default(),
            ls: ls[i].clone().unwrap_or_default(),
            place: place[i].clone().unwrap_or_default(),
            dec: dec[i],
            rec: rec[i].clone(),
            pl_post: pl_post[i]
                .as_ref()
                .map(|p| p.replace(' ', "").to_ascii_uppercase()),
            pl_location: pl_location[i].clone(),
            pl_distance: pl_distance[i],
        });
    }
    for episodes in by_child.values_mut() {
        episodes.sort_by_key(|e| e.decom);
    }
    Ok(by_child)
}
