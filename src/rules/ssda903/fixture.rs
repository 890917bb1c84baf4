//! Test fixtures for SSDA903 rules: a return written as small CSV snippets, read through the real
//! ingest, and a helper that runs one rule and lists what it flagged as (table, Excel row, column).

use std::sync::Arc;

use crate::ingest::csv_file;
use crate::ingest::dataset::Dataset;
use crate::ingest::tabular::Origin;
use crate::ingest::xml::XmlText;
use crate::ingest::xml903;
use crate::issue::IssueSink;
use crate::records::{CellRef, Year};
use crate::rules::ssda903::context::testing::{with_postcodes, with_providers};
use crate::rules::ssda903::context::{Context, ProviderLists};
use crate::rules::ssda903::{Rule903, Ssda903};
use crate::rules::{Flag, Flags};
use crate::schema::{ReturnKind, SchemaSet};
use crate::source::{Role, SourceFile, SourceFormat};
use crate::table::Table;
use crate::year::CollectionYear;

/// Builds a dataset of one year from CSV snippets, one per table (headers decide the table).
pub fn dataset(year: u16, role: Role, csvs: &[&str]) -> Dataset {
    let year = CollectionYear::new(year).unwrap();
    let schema = SchemaSet::embedded()
        .unwrap()
        .get(ReturnKind::Ssda903, year)
        .unwrap();
    let files: Vec<Arc<SourceFile>> = (0..csvs.len())
        .map(|i| {
            Arc::new(SourceFile {
                id: i as u16,
                path: format!("fixture{i}.csv").into(),
                format: SourceFormat::Csv,
                role,
                size: csvs[i].len() as u64,
                sha256: String::new(),
                encoding: None,
            })
        })
        .collect();
    let mut sink = IssueSink::new("test".into(), ReturnKind::Ssda903, year);
    let mut tables: Vec<Table> = (0..schema.tables.len())
        .map(|i| Table::new(schema.clone(), i))
        .collect();
    for (file, text) in files.iter().zip(csvs) {
        let origin = Origin {
            file,
            files: &files,
            sheet: None,
        };
        let table = csv_file::read(text, &origin, &schema, &mut sink)
            .expect("fixture CSV is a table of the year");
        let index = schema.table_index(table.name()).unwrap();
        tables[index].append(table);
    }
    Dataset {
        return_kind: ReturnKind::Ssda903,
        year,
        role,
        schema,
        files,
        tables,
    }
}

/// Builds a dataset of one year from the text of a DfE 903 XML return.
pub fn xml_dataset(year: u16, role: Role, xml: &str) -> Dataset {
    let year = CollectionYear::new(year).unwrap();
    let schema = SchemaSet::embedded()
        .unwrap()
        .get(ReturnKind::Ssda903, year)
        .unwrap();
    let files = vec![Arc::new(SourceFile {
        id: 0,
        path: "fixture.xml".into(),
        format: SourceFormat::Xml,
        role,
        size: xml.len() as u64,
        sha256: String::new(),
        encoding: None,
    })];
    let mut sink = IssueSink::new("test".into(), ReturnKind::Ssda903, year);
    let tables = xml903::read(
        &XmlText::decode(xml.as_bytes()),
        &files[0],
        &files,
        &schema,
        &mut sink,
    );
    Dataset {
        return_kind: ReturnKind::Ssda903,
        year,
        role,
        schema,
        files,
        tables,
    }
}

/// The text of a DfE 903 XML return with one child per line from line 2: child `i + 1`, a boy
/// born 01/02/2010, with `fields[i]` added to its header (`"<UASC>1</UASC>"`).
pub fn xml_children(fields: &[&str]) -> String {
    let children: String = fields
        .iter()
        .enumerate()
        .map(|(i, fields)| {
            format!(
                "<CHILD><HEADER><CHILDID>{}</CHILDID><SEX>M</SEX><DOB>01/02/2010</DOB>\
                 <ETHNIC>WBRI</ETHNIC><UPN>UN1</UPN>{fields}</HEADER></CHILD>\n",
                i + 1
            )
        })
        .collect();
    format!("<EXPSSDA903>\n{children}</EXPSSDA903>\n")
}

/// What a rule flagged, as (year, table, Excel row, column) per cell, one inner list per finding;
/// children flagged as a whole appear as ("child", id).
pub type Flagged = Vec<Vec<(Year, String, u32, String)>>;

/// What a rule flagged; see [`Flagged`].
pub fn flagged(
    rule: &Rule903,
    this: &Dataset,
    previous: Option<&Dataset>,
    la_code: Option<&str>,
) -> Flagged {
    flagged_in(rule, &Ssda903::new(this, previous, la_code))
}

/// What a rule flags in a return of `year` made of `this` (CSVs, one per table) after last year's
/// made of `last`, with no LA code or context.
pub fn flagged_after(rule: &Rule903, year: u16, last: &[&str], this: &[&str]) -> Flagged {
    let last = dataset(year - 1, Role::PreviousYear, last);
    let this = dataset(year, Role::ThisYear, this);
    flagged(rule, &this, Some(&last), None)
}

/// What a rule flagged in data prepared with a context; see [`flagged`].
pub fn flagged_in(rule: &Rule903, data: &Ssda903<'_>) -> Flagged {
    let (this, previous) = (
        data.this.dataset(),
        data.previous.as_ref().map(|p| p.dataset()),
    );
    let mut flags = Flags::default();
    (rule.check)(data, &mut flags);
    flags
        .into_flags()
        .into_iter()
        .map(|flag| match flag {
            Flag::Cells(cells) => cells
                .into_iter()
                .map(|cell| describe(cell, this, previous))
                .collect(),
            Flag::Child(id) => vec![(Year::This, "child".to_string(), 0, id)],
            Flag::Return => vec![(Year::This, "return".to_string(), 0, String::new())],
        })
        .collect()
}

/// What a rule flags in a return of `year` whose Episodes are `rows` (lines below the column
/// line), for the responsible LA `la_code`, with the context `context` builds from that return.
pub fn flagged_episodes(
    rule: &Rule903,
    year: u16,
    rows: &str,
    la_code: Option<&str>,
    context: impl FnOnce(&Dataset) -> Context,
) -> Flagged {
    let this = dataset(year, Role::ThisYear, &[&format!("{EPISODES}{rows}")]);
    let context = context(&this);
    flagged_in(
        rule,
        &Ssda903::new(&this, None, la_code).with_context(&context),
    )
}

/// [`flagged_episodes`] with the placement fields derived from the postcodes.
pub fn flagged_with_postcodes(
    rule: &Rule903,
    year: u16,
    rows: &str,
    la_code: Option<&str>,
) -> Flagged {
    flagged_episodes(rule, year, rows, la_code, |this| {
        with_postcodes(this, None, la_code)
    })
}

/// [`flagged_episodes`] with these Ofsted provider lists.
pub fn flagged_with_providers(
    rule: &Rule903,
    year: u16,
    rows: &str,
    la_code: Option<&str>,
    providers: ProviderLists,
) -> Flagged {
    flagged_episodes(rule, year, rows, la_code, |_| with_providers(providers))
}

fn describe(
    cell: CellRef,
    this: &Dataset,
    previous: Option<&Dataset>,
) -> (Year, String, u32, String) {
    let dataset = match cell.row.year {
        Year::This => this,
        Year::Previous => previous.expect("flagged a previous-year row without one"),
    };
    let table = &dataset.tables[cell.row.table];
    (
        cell.row.year,
        table.name().to_string(),
        table.source(cell.row.row).line,
        cell.column.unwrap_or("").to_string(),
    )
}

/// Shorthand for one flagged cell of this year.
pub fn cell(table: &str, row: u32, column: &str) -> Vec<(Year, String, u32, String)> {
    vec![(Year::This, table.to_string(), row, column.to_string())]
}

/// Column lines of each table, for building fixtures: `format!("{EPISODES}1,01/04/2025,...\n")`.
pub const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
pub const EPISODES: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";
pub const REVIEWS: &str = "CHILD,DOB,REVIEW,REVIEW_CODE\n";
pub const UASC: &str = "CHILD,SEX,DOB,DUC\n";
pub const OC2: &str = "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n";
pub const OC3: &str = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n";
pub const AD1: &str = "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n";
pub const PLACED_ADOPTION: &str = "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n";

/// Several cells of one row of this year, flagged together.
pub fn cells(table: &str, row: u32, columns: &[&str]) -> Vec<(Year, String, u32, String)> {
    columns
        .iter()
        .map(|column| (Year::This, table.to_string(), row, column.to_string()))
        .collect()
}
