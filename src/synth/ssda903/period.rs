//! Episodes and the periods of care they make up: how status and placement changes become
//! episodes with the right RNE, REC and reason for placement change.

use chrono::{Datelike, NaiveDate};

use super::placement::{Place, Placement};
use crate::synth::calendar::days;
use crate::synth::rng::Rng;

#[derive(Debug, Clone)]
pub struct Episode {
    pub decom: NaiveDate,
    pub rne: &'static str,
    pub ls: &'static str,
    pub cin: &'static str,
    pub placement: Placement,
    pub dec: Option<NaiveDate>,
    pub rec: Option<&'static str>,
    pub reason_place_change: Option<&'static str>,
    pub home_post: Option<usize>,
}

/// Accumulates one period's episodes from status and placement changes, choosing RNE, REC and
/// the reason for placement change the way the rules read them (`spec/ssda903.md` §7.1–7.5).
pub(super) struct PeriodBuilder {
    episodes: Vec<Episode>,
}

const PLACEMENT_CHANGE_REASONS: [(&str, u32); 10] = [
    ("CARPL", 40),
    ("CLOSE", 4),
    ("ALLEG", 3),
    ("STAND", 3),
    ("APPRR", 1),
    ("CREQB", 14),
    ("CREQO", 10),
    ("CHILD", 8),
    ("LAREQ", 7),
    ("OTHER", 6),
];

impl PeriodBuilder {
    pub(super) fn new(
        start: NaiveDate,
        ls: &'static str,
        cin: &'static str,
        placement: Placement,
        home_post: Option<usize>,
    ) -> Self {
        Self {
            episodes: vec![Episode {
                decom: start,
                rne: "S",
                ls,
                cin,
                placement,
                dec: None,
                rec: None,
                reason_place_change: None,
                home_post,
            }],
        }
    }

    pub(super) fn current(&self) -> &Episode {
        self.episodes.last().expect("a period has an episode")
    }

    pub(super) fn current_start(&self) -> NaiveDate {
        self.current().decom
    }

    pub(super) fn current_place(&self) -> Place {
        self.current().placement.place
    }

    /// Ends the current episode on `when` (REC X1) and starts the next with the new legal status
    /// and/or placement; `same_carers` says whether a new placement keeps the carers.
    pub(super) fn change(
        &mut self,
        rng: &mut Rng,
        when: NaiveDate,
        ls: Option<&'static str>,
        placement: Option<(Placement, bool)>,
    ) {
        let previous = self.current().clone();
        let ls_changed = ls.is_some_and(|l| l != previous.ls);
        let (placement, same_carers) = match placement {
            Some((p, same)) if p != previous.placement => (p, same),
            _ => (previous.placement.clone(), true),
        };
        let place_changed = placement != previous.placement;
        if !ls_changed && !place_changed {
            return;
        }
        let rne = match (ls_changed, place_changed, same_carers) {
            (true, false, _) => "L",
            (true, true, true) => "U",
            (true, true, false) => "B",
            (false, true, true) => "T",
            (false, true, false) => "P",
            (false, false, _) => unreachable!("returned above"),
        };
        let reason = (place_changed
            && !previous.placement.place.is_temporary()
            && !placement.place.is_temporary())
        .then(|| rng.weighted(&PLACEMENT_CHANGE_REASONS));
        let last = self.episodes.last_mut().expect("a period has an episode");
        last.dec = Some(when);
        last.rec = Some("X1");
        last.reason_place_change = reason;
        self.episodes.push(Episode {
            decom: when,
            rne,
            ls: ls.unwrap_or(previous.ls),
            cin: previous.cin,
            placement,
            dec: None,
            rec: None,
            reason_place_change: None,
            home_post: previous.home_post,
        });
    }

    pub(super) fn finish(mut self, end: Option<(NaiveDate, &'static str)>) -> Vec<Episode> {
        if let Some((when, rec)) = end {
            let last = self.episodes.last_mut().expect("a period has an episode");
            let mut when = when.max(last.decom + days(1));
            // Nobody leaves care on 31 March: whether that counts as leaving "during the year"
            // differs between the rules that define the OC2 cohort.
            if (when.month(), when.day()) == (3, 31) && when - days(1) > last.decom {
                when -= days(1);
            }
            last.dec = Some(when);
            last.rec = Some(rec);
        }
        self.episodes
    }
}
