//! CIN census records: one view per flat table and the census grouped by child — identifiers,
//! characteristics, disabilities, and each referral (CIN episode) with its assessments and their
//! factors, CIN plans, section 47 enquiries and child protection plans with their reviews.
//!
//! Rows are joined as the XML nests them: within a child by CINdetailsID, within an episode by
//! AssessmentID or CPPID (these restart in every child and episode, so they are never joined
//! alone). A child element without an LAchildID still forms its own child, keyed by where it is
//! in the file, so that one missing id never merges two children or stops the run.

use std::collections::HashMap;

use crate::ingest::dataset::Dataset;
use crate::records::{Columns, RowRef, Year};
use crate::source::FileId;
use crate::table::{CellValue, Table};

crate::record! {
    /// The census header: collection, year, ReferenceDate and the LA.
    CinHeader, CinHeaderColumns = "Header" {
        collection: code = "Collection",
        year: integer = "Year",
        reference_date: date = "ReferenceDate",
        source_level: code = "SourceLevel",
        lea: text = "LEA",
        software_code: text = "SoftwareCode",
        release: text = "Release",
        serial_no: text = "SerialNo",
        date_time: text = "DateTime",
    }
}

crate::record! {
    /// Who the child is: ids, UPN, birth (or expected birth), sex, death.
    ChildIdentifiers, ChildIdentifiersColumns = "ChildIdentifiers" {
        la_child_id: text = "LAchildID",
        upn: text = "UPN",
        former_upn: text = "FormerUPN",
        upn_unknown: code = "UPNunknown",
        person_birth_date: date = "PersonBirthDate",
        expected_person_birth_date: date = "ExpectedPersonBirthDate",
        /// 2022/23–2023/24 only.
        gender_current: code = "GenderCurrent",
        /// 2024/25 on.
        sex: code = "Sex",
        person_death_date: date = "PersonDeathDate",
    }
}

crate::record! {
    /// The child's ethnicity.
    ChildCharacteristics, ChildCharacteristicsColumns = "ChildCharacteristics" {
        la_child_id: text = "LAchildID",
        ethnicity: code = "Ethnicity",
    }
}

crate::record! {
    /// One of the child's disabilities (or NONE).
    Disability, DisabilityColumns = "Disabilities" {
        la_child_id: text = "LAchildID",
        disability: code = "Disability",
    }
}

crate::record! {
    /// A referral and the CIN episode it opened: source, need, closure, NFA.
    CinDetails, CinDetailsColumns = "CINdetails" {
        la_child_id: text = "LAchildID",
        cin_details_id: integer = "CINdetailsID",
        cin_referral_date: date = "CINreferralDate",
        referral_source: code = "ReferralSource",
        primary_need_code: code = "PrimaryNeedCode",
        cin_closure_date: date = "CINclosureDate",
        reason_for_closure: code = "ReasonForClosure",
        date_of_initial_cpc: date = "DateOfInitialCPC",
        referral_nfa: boolean = "ReferralNFA",
    }
}

crate::record! {
    /// A children and families assessment; authorisation means completed.
    Assessment, AssessmentColumns = "Assessments" {
        la_child_id: text = "LAchildID",
        cin_details_id: integer = "CINdetailsID",
        assessment_id: integer = "AssessmentID",
        actual_start_date: date = "AssessmentActualStartDate",
        internal_review_date: date = "AssessmentInternalReviewDate",
        authorisation_date: date = "AssessmentAuthorisationDate",
    }
}

crate::record! {
    /// A factor identified at the end of an assessment.
    AssessmentFactor, AssessmentFactorColumns = "AssessmentFactorsList" {
        la_child_id: text = "LAchildID",
        cin_details_id: integer = "CINdetailsID",
        assessment_id: integer = "AssessmentID",
        factor: code = "AssessmentFactor",
    }
}

crate::record! {
    /// A child in need plan.
    CinPlan, CinPlanColumns = "CINplanDates" {
        la_child_id: text = "LAchildID",
        cin_details_id: integer = "CINdetailsID",
        start_date: date = "CINPlanStartDate",
        end_date: date = "CINPlanEndDate",
    }
}

crate::record! {
    /// A section 47 enquiry and its initial child protection conference.
    Section47, Section47Columns = "Section47" {
        la_child_id: text = "LAchildID",
        cin_details_id: integer = "CINdetailsID",
        actual_start_date: date = "S47ActualStartDate",
        initial_cpc_target: date = "InitialCPCtarget",
        date_of_initial_cpc: date = "DateOfInitialCPC",
        icpc_not_required: boolean = "ICPCnotRequired",
    }
}

crate::record! {
    /// A child protection plan.
    ProtectionPlan, ProtectionPlanColumns = "ChildProtectionPlans" {
        la_child_id: text = "LAchildID",
        cin_details_id: integer = "CINdetailsID",
        cpp_id: integer = "CPPID",
        start_date: date = "CPPstartDate",
        end_date: date = "CPPendDate",
        initial_category_of_abuse: code = "InitialCategoryOfAbuse",
        latest_category_of_abuse: code = "LatestCategoryOfAbuse",
        number_of_previous_cpp: integer = "NumberOfPreviousCPP",
    }
}

crate::record! {
    /// A review of a child protection plan (every `<CPPreviewDate>`, not just the first).
    PlanReview, PlanReviewColumns = "Reviews" {
        la_child_id: text = "LAchildID",
        cin_details_id: integer = "CINdetailsID",
        cpp_id: integer = "CPPID",
        review_date: date = "CPPreviewDate",
    }
}

/// Every table's resolved columns.
struct TableColumns {
    header: CinHeaderColumns,
    identifiers: ChildIdentifiersColumns,
    characteristics: ChildCharacteristicsColumns,
    disabilities: DisabilityColumns,
    details: CinDetailsColumns,
    assessments: AssessmentColumns,
    factors: AssessmentFactorColumns,
    plans: CinPlanColumns,
    section47: Section47Columns,
    protection_plans: ProtectionPlanColumns,
    reviews: PlanReviewColumns,
}

/// Positions of the schema's tables, found once.
#[derive(Clone, Copy)]
struct TableIndex {
    header: Option<usize>,
    identifiers: Option<usize>,
    characteristics: Option<usize>,
    disabilities: Option<usize>,
    details: Option<usize>,
    assessments: Option<usize>,
    factors: Option<usize>,
    plans: Option<usize>,
    section47: Option<usize>,
    protection_plans: Option<usize>,
    reviews: Option<usize>,
}

#[derive(Debug, Default)]
struct AssessmentRows {
    row: usize,
    factors: Vec<usize>,
}

#[derive(Debug, Default)]
struct PlanRows {
    row: usize,
    reviews: Vec<usize>,
}

#[derive(Debug, Default)]
struct EpisodeRows {
    details: Option<usize>,
    assessments: Vec<AssessmentRows>,
    plans: Vec<usize>,
    section47: Vec<usize>,
    protection_plans: Vec<PlanRows>,
    /// Rows that name this episode but arrived without their parent row (never in a file our
    /// reader produced; kept so that nothing is dropped silently).
    orphan_factors: Vec<usize>,
    orphan_reviews: Vec<usize>,
}

#[derive(Debug, Default)]
struct ChildRows {
    identifiers: Vec<usize>,
    characteristics: Vec<usize>,
    disabilities: Vec<usize>,
    /// Episodes in referral-date order.
    episodes: Vec<EpisodeRows>,
}

/// The whole census grouped by child.
pub struct Census<'a> {
    dataset: &'a Dataset,
    tables: TableIndex,
    columns: TableColumns,
    empty: Table,
    /// Child ids (LAchildID, or a description of where an unidentified child is).
    ids: Vec<String>,
    children: Vec<ChildRows>,
    index: HashMap<String, usize>,
}

/// Which `<Child>` element of which file a row came from: the ChildIdentifiers row at or before it.
type Segment = (FileId, usize);

impl<'a> Census<'a> {
    pub fn new(dataset: &'a Dataset) -> Self {
        let position = |name: &str| dataset.schema.table_index(name);
        let tables = TableIndex {
            header: position(CinHeader::TABLE),
            identifiers: position(ChildIdentifiers::TABLE),
            characteristics: position(ChildCharacteristics::TABLE),
            disabilities: position(Disability::TABLE),
            details: position(CinDetails::TABLE),
            assessments: position(Assessment::TABLE),
            factors: position(AssessmentFactor::TABLE),
            plans: position(CinPlan::TABLE),
            section47: position(Section47::TABLE),
            protection_plans: position(ProtectionPlan::TABLE),
            reviews: position(PlanReview::TABLE),
        };
        let empty = Table::new(dataset.schema.clone(), 0);
        let table = |index: Option<usize>| index.map(|i| &dataset.tables[i]).unwrap_or(&empty);
        let columns = TableColumns {
            header: CinHeaderColumns::resolve(table(tables.header)),
            identifiers: ChildIdentifiersColumns::resolve(table(tables.identifiers)),
            characteristics: ChildCharacteristicsColumns::resolve(table(tables.characteristics)),
            disabilities: DisabilityColumns::resolve(table(tables.disabilities)),
            details: CinDetailsColumns::resolve(table(tables.details)),
            assessments: AssessmentColumns::resolve(table(tables.assessments)),
            factors: AssessmentFactorColumns::resolve(table(tables.factors)),
            plans: CinPlanColumns::resolve(table(tables.plans)),
            section47: Section47Columns::resolve(table(tables.section47)),
            protection_plans: ProtectionPlanColumns::resolve(table(tables.protection_plans)),
            reviews: PlanReviewColumns::resolve(table(tables.reviews)),
        };
        let mut census = Census {
            dataset,
            tables,
            columns,
            empty,
            ids: Vec::new(),
            children: Vec::new(),
            index: HashMap::new(),
        };
        census.group();
        census
    }

    fn group(&mut self) {
        let dataset = self.dataset;
        let child_column = dataset.schema.child_column.as_str();
        // Start lines of each child element, per file, from its ChildIdentifiers row.
        let mut starts: HashMap<FileId, Vec<(u32, usize)>> = HashMap::new();
        if let Some(t) = self.tables.identifiers {
            let table = &dataset.tables[t];
            for row in 0..table.len() {
                let source = table.source(row);
                starts
                    .entry(source.file)
                    .or_default()
                    .push((source.line, row));
            }
        }
        for lines in starts.values_mut() {
            lines.sort_unstable();
        }
        let segment_of = |table: &Table, row: usize| -> Option<Segment> {
            let source = table.source(row);
            let lines = starts.get(&source.file)?;
            let at = lines.partition_point(|(line, _)| *line <= source.line);
            at.checked_sub(1).map(|i| (source.file, lines[i].1))
        };
        let identifiers_table = self.tables.identifiers;
        // Child key: the LAchildID, or for a child without one, where its element is.
        let key_of = |table: &Table, row: usize, segment: Option<Segment>| -> String {
            let id = table.column_index(child_column).map(|c| table.cell(c, row));
            match (id, segment) {
                (Some(CellValue::Text(id)), _) => id.to_string(),
                (_, Some((file, identifiers_row))) => {
                    let identifiers =
                        &dataset.tables[identifiers_table.expect("segments come from it")];
                    unidentified(dataset, file, identifiers.source(identifiers_row).line)
                }
                _ => unidentified(dataset, table.source(row).file, table.source(row).line),
            }
        };
        let mut episodes_of: HashMap<(String, Option<Segment>, i64), (usize, usize)> =
            HashMap::new();
        let order = [
            self.tables.identifiers,
            self.tables.characteristics,
            self.tables.disabilities,
            self.tables.details,
            self.tables.assessments,
            self.tables.factors,
            self.tables.plans,
            self.tables.section47,
            self.tables.protection_plans,
            self.tables.reviews,
        ];
        for t in order.into_iter().flatten() {
            let table = &dataset.tables[t];
            let details_id = table.column_index("CINdetailsID");
            for row in 0..table.len() {
                let segment = segment_of(table, row);
                let key = key_of(table, row, segment);
                let child = self.child_index(&key);
                let Some(details_id) = details_id.and_then(|c| table.integer(c, row).ok()) else {
                    let rows = &mut self.children[child];
                    let list = if Some(t) == self.tables.identifiers {
                        &mut rows.identifiers
                    } else if Some(t) == self.tables.characteristics {
                        &mut rows.characteristics
                    } else if Some(t) == self.tables.disabilities {
                        &mut rows.disabilities
                    } else {
                        continue; // an episode row whose generated id failed: nothing to join it to
                    };
                    list.push(row);
                    continue;
                };
                let slot = *episodes_of
                    .entry((key, segment, details_id))
                    .or_insert_with(|| {
                        self.children[child].episodes.push(EpisodeRows::default());
                        (child, self.children[child].episodes.len() - 1)
                    });
                self.place_in_episode(t, table, row, slot);
            }
        }
        self.sort_episodes();
    }

    fn child_index(&mut self, key: &str) -> usize {
        if let Some(&i) = self.index.get(key) {
            return i;
        }
        self.ids.push(key.to_string());
        self.children.push(ChildRows::default());
        self.index.insert(key.to_string(), self.ids.len() - 1);
        self.ids.len() - 1
    }

    fn place_in_episode(
        &mut self,
        t: usize,
        table: &Table,
        row: usize,
        (child, e): (usize, usize),
    ) {
        let episode = &mut self.children[child].episodes[e];
        let tables = self.tables;
        if Some(t) == tables.details {
            episode.details.get_or_insert(row);
        } else if Some(t) == tables.assessments {
            episode.assessments.push(AssessmentRows {
                row,
                factors: Vec::new(),
            });
        } else if Some(t) == tables.factors {
            let assessments =
                &self.dataset.tables[tables.assessments.expect("factors belong to assessments")];
            let wanted = id_in(table, "AssessmentID", row);
            match episode
                .assessments
                .iter_mut()
                .find(|a| id_in(assessments, "AssessmentID", a.row) == wanted)
            {
                Some(assessment) => assessment.factors.push(row),
                None => episode.orphan_factors.push(row),
            }
        } else if Some(t) == tables.plans {
            episode.plans.push(row);
        } else if Some(t) == tables.section47 {
            episode.section47.push(row);
        } else if Some(t) == tables.protection_plans {
            episode.protection_plans.push(PlanRows {
                row,
                reviews: Vec::new(),
            });
        } else if Some(t) == tables.reviews {
            let plans =
                &self.dataset.tables[tables.protection_plans.expect("reviews belong to plans")];
            let wanted = id_in(table, "CPPID", row);
            match episode
                .protection_plans
                .iter_mut()
                .find(|p| id_in(plans, "CPPID", p.row) == wanted)
            {
                Some(plan) => plan.reviews.push(row),
                None => episode.orphan_reviews.push(row),
            }
        }
    }

    /// Orders each child's episodes by referral date (blank or invalid dates last, in file order).
    fn sort_episodes(&mut self) {
        let Some(t) = self.tables.details else { return };
        let table = &self.dataset.tables[t];
        let Some(c) = table.column_index("CINreferralDate") else {
            return;
        };
        for child in &mut self.children {
            child.episodes.sort_by_key(|e| {
                let date = e.details.and_then(|row| table.date(c, row).ok());
                (date.is_none(), date, e.details)
            });
        }
    }

    pub fn dataset(&self) -> &'a Dataset {
        self.dataset
    }

    /// The census header (the first, if repeated).
    pub fn header(&self) -> Option<CinHeader<'_>> {
        let t = self.tables.header?;
        let table = &self.dataset.tables[t];
        (!table.is_empty()).then(|| {
            CinHeader::new(
                table,
                &self.columns.header,
                RowRef {
                    year: Year::This,
                    table: t,
                    row: 0,
                },
            )
        })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every child, in order of first appearance.
    pub fn children(&self) -> impl Iterator<Item = CinChild<'_>> + '_ {
        (0..self.ids.len()).map(move |index| CinChild {
            census: self,
            index,
        })
    }

    fn table(&self, index: Option<usize>) -> (&Table, usize) {
        match index {
            Some(t) => (&self.dataset.tables[t], t),
            None => (&self.empty, usize::MAX),
        }
    }
}

/// The generated id in `column` of a row, when the table has the column and the id is valid.
fn id_in(table: &Table, column: &str, row: usize) -> Option<i64> {
    table
        .column_index(column)
        .and_then(|c| table.integer(c, row).ok())
}

fn unidentified(dataset: &Dataset, file: FileId, line: u32) -> String {
    let name = dataset
        .files
        .get(usize::from(file))
        .map(|f| f.name())
        .unwrap_or_default();
    format!("(no LAchildID: child at line {line} of {name})")
}

/// One child of the census.
#[derive(Clone, Copy)]
pub struct CinChild<'c> {
    census: &'c Census<'c>,
    index: usize,
}

macro_rules! views {
    ($census:expr, $table:ident, $columns:ident, $view:ident, $rows:expr) => {{
        let (table, t) = $census.table($census.tables.$table);
        $rows
            .iter()
            .map(move |&row| {
                $view::new(
                    table,
                    &$census.columns.$columns,
                    RowRef {
                        year: Year::This,
                        table: t,
                        row,
                    },
                )
            })
            .collect::<Vec<_>>()
    }};
}

impl<'c> CinChild<'c> {
    /// The LAchildID, or where the child is in the file when it has none.
    pub fn id(&self) -> &'c str {
        &self.census.ids[self.index]
    }

    fn rows(&self) -> &'c ChildRows {
        &self.census.children[self.index]
    }

    /// ChildIdentifiers rows (one, unless the child is repeated).
    pub fn identifiers(&self) -> Vec<ChildIdentifiers<'c>> {
        views!(
            self.census,
            identifiers,
            identifiers,
            ChildIdentifiers,
            self.rows().identifiers
        )
    }

    pub fn characteristics(&self) -> Vec<ChildCharacteristics<'c>> {
        views!(
            self.census,
            characteristics,
            characteristics,
            ChildCharacteristics,
            self.rows().characteristics
        )
    }

    pub fn disabilities(&self) -> Vec<Disability<'c>> {
        views!(
            self.census,
            disabilities,
            disabilities,
            Disability,
            self.rows().disabilities
        )
    }

    /// CIN episodes (referrals), in referral-date order.
    pub fn episodes(&self) -> Vec<CinEpisode<'c>> {
        (0..self.rows().episodes.len())
            .map(|e| CinEpisode {
                census: self.census,
                rows: &self.rows().episodes[e],
            })
            .collect()
    }
}

impl std::fmt::Debug for CinChild<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "child {}", self.id())
    }
}

/// One CIN episode with its activity.
#[derive(Clone, Copy)]
pub struct CinEpisode<'c> {
    census: &'c Census<'c>,
    rows: &'c EpisodeRows,
}

impl<'c> CinEpisode<'c> {
    /// The referral row (absent only if the file had activity without a `<CINdetails>` row).
    pub fn details(&self) -> Option<CinDetails<'c>> {
        views!(
            self.census,
            details,
            details,
            CinDetails,
            self.rows.details.as_slice()
        )
        .into_iter()
        .next()
    }

    pub fn assessments(&self) -> Vec<AssessmentWithFactors<'c>> {
        self.rows
            .assessments
            .iter()
            .map(|a| AssessmentWithFactors {
                census: self.census,
                rows: a,
            })
            .collect()
    }

    pub fn cin_plans(&self) -> Vec<CinPlan<'c>> {
        views!(self.census, plans, plans, CinPlan, self.rows.plans)
    }

    pub fn section47s(&self) -> Vec<Section47<'c>> {
        views!(
            self.census,
            section47,
            section47,
            Section47,
            self.rows.section47
        )
    }

    pub fn protection_plans(&self) -> Vec<PlanWithReviews<'c>> {
        self.rows
            .protection_plans
            .iter()
            .map(|p| PlanWithReviews {
                census: self.census,
                rows: p,
            })
            .collect()
    }

    /// Factor rows whose assessment is not in the episode.
    pub fn orphan_factors(&self) -> Vec<AssessmentFactor<'c>> {
        views!(
            self.census,
            factors,
            factors,
            AssessmentFactor,
            self.rows.orphan_factors
        )
    }

    /// Review rows whose plan is not in the episode.
    pub fn orphan_reviews(&self) -> Vec<PlanReview<'c>> {
        views!(
            self.census,
            reviews,
            reviews,
            PlanReview,
            self.rows.orphan_reviews
        )
    }
}

/// An assessment and the factors identified at its end.
#[derive(Clone, Copy)]
pub struct AssessmentWithFactors<'c> {
    census: &'c Census<'c>,
    rows: &'c AssessmentRows,
}

impl<'c> AssessmentWithFactors<'c> {
    pub fn assessment(&self) -> Assessment<'c> {
        views!(
            self.census,
            assessments,
            assessments,
            Assessment,
            [self.rows.row]
        )
        .remove(0)
    }

    pub fn factors(&self) -> Vec<AssessmentFactor<'c>> {
        views!(
            self.census,
            factors,
            factors,
            AssessmentFactor,
            self.rows.factors
        )
    }
}

/// A child protection plan and its reviews in file order.
#[derive(Clone, Copy)]
pub struct PlanWithReviews<'c> {
    census: &'c Census<'c>,
    rows: &'c PlanRows,
}

impl<'c> PlanWithReviews<'c> {
    pub fn plan(&self) -> ProtectionPlan<'c> {
        views!(
            self.census,
            protection_plans,
            protection_plans,
            ProtectionPlan,
            [self.rows.row]
        )
        .remove(0)
    }

    pub fn reviews(&self) -> Vec<PlanReview<'c>> {
        views!(self.census, reviews, reviews, PlanReview, self.rows.reviews)
    }
}
