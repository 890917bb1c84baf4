//! SSDA903 records: one view per table and the return grouped by child — a child's header, its
//! episodes in start-date order, reviews, missing episodes, adoption and care-leaver rows, social
//! worker episodes and deprivation of liberty orders, with last year's return alongside.

use std::collections::HashMap;

use crate::ingest::dataset::Dataset;
use crate::records::{Columns, RowRef, Year};
use crate::source::SourceFile;
use crate::table::{CellValue, RowSource, Table};

crate::record! {
    /// The child's one Header row: sex, date of birth, ethnicity, UPN, motherhood and, in the XML
    /// return, the UASC flag.
    Header, HeaderColumns = "Header" {
        child: text = "CHILD",
        sex: code = "SEX",
        dob: date = "DOB",
        ethnic: code = "ETHNIC",
        upn: text = "UPN",
        mother: code = "MOTHER",
        mc_dob: date = "MC_DOB",
        uasc: code = "UASC",
    }
}

crate::record! {
    /// An episode of care: a span with one legal status, one placement and one carer.
    Episode, EpisodeColumns = "Episodes" {
        child: text = "CHILD",
        decom: date = "DECOM",
        rne: code = "RNE",
        ls: code = "LS",
        cin: code = "CIN",
        place: code = "PLACE",
        place_provider: code = "PLACE_PROVIDER",
        dec: date = "DEC",
        rec: code = "REC",
        reason_place_change: code = "REASON_PLACE_CHANGE",
        home_post: text = "HOME_POST",
        pl_post: text = "PL_POST",
        urn: text = "URN",
    }
}

crate::record! {
    /// A statutory review and how the child took part.
    Review, ReviewColumns = "Reviews" {
        child: text = "CHILD",
        dob: date = "DOB",
        review: date = "REVIEW",
        review_code: code = "REVIEW_CODE",
    }
}

crate::record! {
    /// Marks an unaccompanied asylum-seeking child; DUC is when that status ceased.
    Uasc, UascColumns = "UASC" {
        child: text = "CHILD",
        sex: code = "SEX",
        dob: date = "DOB",
        duc: date = "DUC",
    }
}

crate::record! {
    /// Outcomes for a child looked after continuously for 12 months at 31 March.
    Oc2, Oc2Columns = "OC2" {
        child: text = "CHILD",
        dob: date = "DOB",
        sdq_score: integer = "SDQ_SCORE",
        sdq_reason: code = "SDQ_REASON",
        convicted: code = "CONVICTED",
        health_check: code = "HEALTH_CHECK",
        immunisations: code = "IMMUNISATIONS",
        teeth_check: code = "TEETH_CHECK",
        health_assessment: code = "HEALTH_ASSESSMENT",
        substance_misuse: code = "SUBSTANCE_MISUSE",
        intervention_received: code = "INTERVENTION_RECEIVED",
        intervention_offered: code = "INTERVENTION_OFFERED",
    }
}

crate::record! {
    /// A care leaver's contact, activity and accommodation around a birthday from 17 to 21.
    Oc3, Oc3Columns = "OC3" {
        child: text = "CHILD",
        dob: date = "DOB",
        in_touch: code = "IN_TOUCH",
        activ: code = "ACTIV",
        accom: code = "ACCOM",
    }
}

crate::record! {
    /// An adoption: decision, match and adopters.
    Ad1, Ad1Columns = "AD1" {
        child: text = "CHILD",
        dob: date = "DOB",
        date_int: date = "DATE_INT",
        date_match: date = "DATE_MATCH",
        foster_care: code = "FOSTER_CARE",
        nb_adoptr: code = "NB_ADOPTR",
        sex_adoptr: code = "SEX_ADOPTR",
        ls_adoptr: code = "LS_ADOPTR",
    }
}

crate::record! {
    /// A decision that the child should be placed for adoption, and its end.
    PlacedAdoption, PlacedAdoptionColumns = "PlacedAdoption" {
        child: text = "CHILD",
        dob: date = "DOB",
        date_placed: date = "DATE_PLACED",
        date_placed_ceased: date = "DATE_PLACED_CEASED",
        reason_placed_ceased: code = "REASON_PLACED_CEASED",
    }
}

crate::record! {
    /// The permanence order the child had before this period of care.
    PrevPerm, PrevPermColumns = "PrevPerm" {
        child: text = "CHILD",
        dob: date = "DOB",
        prev_perm: code = "PREV_PERM",
        la_perm: code = "LA_PERM",
        date_perm: date = "DATE_PERM",
    }
}

crate::record! {
    /// A period missing (M) or away without authorisation (A).
    Missing, MissingColumns = "Missing" {
        child: text = "CHILD",
        dob: date = "DOB",
        missing: code = "MISSING",
        mis_start: date = "MIS_START",
        mis_end: date = "MIS_END",
    }
}

crate::record! {
    /// A social worker's allocation to the child (2023/24 on).
    SwEpisode, SwEpisodeColumns = "SWEpisodes" {
        child: text = "CHILD",
        dob: date = "DOB",
        sw_id: text = "SW_ID",
        sw_decom: date = "SW_DECOM",
        sw_dec: date = "SW_DEC",
        sw_reason: code = "SW_REASON",
    }
}

crate::record! {
    /// A deprivation of liberty order (2026/27 on).
    Dolo, DoloColumns = "DoLo" {
        child: text = "CHILD",
        dob: date = "DOB",
        dolo_start: date = "DOLO_START",
        dolo_end: date = "DOLO_END",
    }
}

/// The resolved columns of every table of one dataset.
struct TableColumns {
    header: HeaderColumns,
    episodes: EpisodeColumns,
    reviews: ReviewColumns,
    uasc: UascColumns,
    oc2: Oc2Columns,
    oc3: Oc3Columns,
    ad1: Ad1Columns,
    placed_adoption: PlacedAdoptionColumns,
    prev_perm: PrevPermColumns,
    missing: MissingColumns,
    sw_episodes: SwEpisodeColumns,
    dolo: DoloColumns,
}

/// Row numbers of one child in each table, in table order.
#[derive(Debug, Default, Clone)]
struct ChildRows {
    tables: Vec<Vec<usize>>,
}

/// One return-year grouped by child.
pub struct Grouped<'a> {
    dataset: &'a Dataset,
    year: Year,
    columns: TableColumns,
    /// Children in order of first appearance (Header first).
    ids: Vec<&'a str>,
    rows: Vec<ChildRows>,
    index: HashMap<&'a str, usize>,
}

/// Table indices in the schema, found once.
fn table_index(dataset: &Dataset, name: &str) -> Option<usize> {
    dataset.schema.table_index(name)
}

impl<'a> Grouped<'a> {
    pub fn new(dataset: &'a Dataset, year: Year) -> Self {
        let empty = Table::new(dataset.schema.clone(), 0);
        let table = |name: &str| {
            table_index(dataset, name)
                .map(|i| &dataset.tables[i])
                .unwrap_or(&empty)
        };
        let columns = TableColumns {
            header: HeaderColumns::resolve(table(Header::TABLE)),
            episodes: EpisodeColumns::resolve(table(Episode::TABLE)),
            reviews: ReviewColumns::resolve(table(Review::TABLE)),
            uasc: UascColumns::resolve(table(Uasc::TABLE)),
            oc2: Oc2Columns::resolve(table(Oc2::TABLE)),
            oc3: Oc3Columns::resolve(table(Oc3::TABLE)),
            ad1: Ad1Columns::resolve(table(Ad1::TABLE)),
            placed_adoption: PlacedAdoptionColumns::resolve(table(PlacedAdoption::TABLE)),
            prev_perm: PrevPermColumns::resolve(table(PrevPerm::TABLE)),
            missing: MissingColumns::resolve(table(Missing::TABLE)),
            sw_episodes: SwEpisodeColumns::resolve(table(SwEpisode::TABLE)),
            dolo: DoloColumns::resolve(table(Dolo::TABLE)),
        };
        let table_count = dataset.tables.len();
        let mut ids: Vec<&'a str> = Vec::new();
        let mut rows: Vec<ChildRows> = Vec::new();
        let mut index: HashMap<&'a str, usize> = HashMap::new();
        for (t, table) in dataset.tables.iter().enumerate() {
            let Some(child_column) = table.column_index(&dataset.schema.child_column) else {
                continue;
            };
            for row in 0..table.len() {
                // Rows without a child id are reported by the structural checks and belong to no child.
                let CellValue::Text(id) = table.cell(child_column, row) else {
                    continue;
                };
                let child = *index.entry(id).or_insert_with(|| {
                    ids.push(id);
                    rows.push(ChildRows {
                        tables: vec![Vec::new(); table_count],
                    });
                    ids.len() - 1
                });
                rows[child].tables[t].push(row);
            }
        }
        let mut grouped = Grouped {
            dataset,
            year,
            columns,
            ids,
            rows,
            index,
        };
        grouped.sort_by_start_dates();
        grouped
    }

    /// Orders each child's dated rows by their start date; rows whose date is blank or invalid go
    /// last, in file order, so that one bad date moves only its own row.
    fn sort_by_start_dates(&mut self) {
        let starts = [
            (Episode::TABLE, "DECOM"),
            (Review::TABLE, "REVIEW"),
            (Missing::TABLE, "MIS_START"),
            (PlacedAdoption::TABLE, "DATE_PLACED"),
            (SwEpisode::TABLE, "SW_DECOM"),
            (Dolo::TABLE, "DOLO_START"),
        ];
        for (name, column) in starts {
            let Some(t) = table_index(self.dataset, name) else {
                continue;
            };
            let table = &self.dataset.tables[t];
            let Some(c) = table.column_index(column) else {
                continue;
            };
            for child in &mut self.rows {
                child.tables[t].sort_by_key(|&row| {
                    (
                        table.date(c, row).ok().is_none(),
                        table.date(c, row).ok(),
                        row,
                    )
                });
            }
        }
    }

    pub fn dataset(&self) -> &'a Dataset {
        self.dataset
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every child, in order of first appearance.
    pub fn children(&self) -> impl Iterator<Item = Child<'_>> + '_ {
        (0..self.ids.len()).map(move |i| Child {
            grouped: self,
            index: i,
        })
    }

    /// The child with this id, if it is in the return.
    pub fn child(&self, id: &str) -> Option<Child<'_>> {
        self.index.get(id).map(|&i| Child {
            grouped: self,
            index: i,
        })
    }
}

/// One child's rows in every table of one return-year.
#[derive(Clone, Copy)]
pub struct Child<'g> {
    grouped: &'g Grouped<'g>,
    index: usize,
}

macro_rules! child_tables {
    ($( $(#[$meta:meta])* $method:ident -> $view:ident, $field:ident; )*) => {
        impl<'g> Child<'g> {
            $(
                $(#[$meta])*
                pub fn $method(&self) -> Vec<$view<'g>> {
                    let grouped = self.grouped;
                    let Some(t) = table_index(grouped.dataset, $view::TABLE) else { return Vec::new() };
                    let table = &grouped.dataset.tables[t];
                    grouped.rows[self.index].tables[t]
                        .iter()
                        .map(|&row| $view::new(table, &grouped.columns.$field, RowRef { year: grouped.year, table: t, row }))
                        .collect()
                }
            )*
        }
    };
}

child_tables! {
    /// Header rows (one, unless the return repeats the child).
    headers -> Header, header;
    /// Episodes in start-date order.
    episodes -> Episode, episodes;
    /// Reviews in date order.
    reviews -> Review, reviews;
    uasc -> Uasc, uasc;
    oc2 -> Oc2, oc2;
    oc3 -> Oc3, oc3;
    ad1 -> Ad1, ad1;
    /// Decisions to place for adoption, in date order.
    placed_adoptions -> PlacedAdoption, placed_adoption;
    prev_perms -> PrevPerm, prev_perm;
    /// Missing and away-without-authorisation episodes, in start order.
    missing -> Missing, missing;
    /// Social worker episodes, in start order.
    sw_episodes -> SwEpisode, sw_episodes;
    /// Deprivation of liberty orders, in start order.
    dolos -> Dolo, dolo;
}

impl<'g> Child<'g> {
    pub fn id(&self) -> &'g str {
        self.grouped.ids[self.index]
    }

    /// The child's Header row (the first, if repeated).
    pub fn header(&self) -> Option<Header<'g>> {
        self.headers().into_iter().next()
    }

    /// The file one of this child's rows came from.
    pub fn file(&self, source: RowSource) -> Option<&'g SourceFile> {
        let files = &self.grouped.dataset.files;
        files.get(usize::from(source.file)).map(|f| &**f)
    }
}

impl std::fmt::Debug for Child<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "child {}", self.id())
    }
}
