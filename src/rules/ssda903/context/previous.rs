//! Last year's return read back from its snapshot, so that a nightly run compares with what was
//! submitted (or last validated) a year ago without anyone having to keep last year's files.
//!
//! The tables are rebuilt with the previous year's schema from the snapshot's Parquet files; every
//! row keeps the input file and row it came from (`_source_file`, `_source_row`), so findings on
//! last year's rows point into last year's files. Cells that failed their checks last year were
//! stored as null and come back blank.

use std::collections::HashMap;
use std::sync::Arc;

use crate::frame::{self, FrameError};
use crate::ingest::dataset::Dataset;
use crate::schema::{DateFormat, ReturnKind, SchemaError, SchemaSet};
use crate::snapshot::{SnapshotError, SnapshotRef};
use crate::source::{FileId, Role, SourceFile};
use crate::table::{RowSource, Table};

#[derive(Debug, thiserror::Error)]
pub enum PreviousError {
    #[error("reading last year's snapshot {id}: {source}")]
    Snapshot { id: String, source: SnapshotError },
    #[error("reading last year's snapshot {id}: {source}")]
    Frame { id: String, source: FrameError },
    #[error("reading last year's snapshot {id}: {source}")]
    Schema { id: String, source: SchemaError },
    #[error("snapshot {id} is a {found} snapshot, not an SSDA903 one")]
    WrongReturn { id: String, found: ReturnKind },
}

/// Rebuilds the return held in an SSDA903 snapshot.
pub fn from_snapshot(
    snapshot: &SnapshotRef,
    schemas: &SchemaSet,
) -> Result<Dataset, PreviousError> {
    let id = || snapshot.id.clone();
    let manifest = snapshot
        .manifest()
        .map_err(|source| PreviousError::Snapshot { id: id(), source })?;
    if manifest.return_kind != ReturnKind::Ssda903 {
        return Err(PreviousError::WrongReturn {
            id: id(),
            found: manifest.return_kind,
        });
    }
    let schema = schemas
        .get(ReturnKind::Ssda903, manifest.collection_year)
        .map_err(|source| PreviousError::Schema { id: id(), source })?;
    let mut files: Vec<Arc<SourceFile>> = Vec::new();
    let mut by_name: HashMap<String, FileId> = HashMap::new();
    for input in manifest.inputs.iter().filter(|i| i.role == Role::ThisYear) {
        let file = SourceFile {
            id: files.len() as FileId,
            path: input.path.clone().into(),
            format: input.format,
            role: Role::PreviousYear,
            size: input.size,
            sha256: input.sha256.clone(),
            encoding: input.encoding.clone(),
        };
        by_name.entry(file.name()).or_insert(file.id);
        files.push(Arc::new(file));
    }
    let mut tables = Vec::with_capacity(schema.tables.len());
    for (index, spec) in schema.tables.iter().enumerate() {
        let mut table = Table::new(schema.clone(), index);
        let path = snapshot.table_file(&spec.snapshot_name);
        if path.exists() {
            let frame = frame::read_parquet(&path)
                .map_err(|source| PreviousError::Frame { id: id(), source })?;
            fill(&mut table, &frame, &mut files, &mut by_name)
                .map_err(|source| PreviousError::Frame { id: id(), source })?;
        }
        tables.push(table);
    }
    Ok(Dataset {
        return_kind: ReturnKind::Ssda903,
        year: manifest.collection_year,
        role: Role::PreviousYear,
        schema,
        files,
        tables,
    })
}

fn fill(
    table: &mut Table,
    frame: &frame::DataFrame,
    files: &mut Vec<Arc<SourceFile>>,
    by_name: &mut HashMap<String, FileId>,
) -> Result<(), FrameError> {
    let columns: Vec<Option<Vec<Option<String>>>> = table
        .schema()
        .columns
        .iter()
        .map(|c| frame::column_texts(frame, &c.name, c.format.unwrap_or(DateFormat::Iso)))
        .collect::<Result<_, _>>()?;
    let rows = frame::height(frame);
    let names = frame::column_texts(frame, frame::SOURCE_FILE_COLUMN, DateFormat::Iso)?
        .unwrap_or_else(|| vec![None; rows]);
    let lines = frame::column_texts(frame, frame::SOURCE_ROW_COLUMN, DateFormat::Iso)?
        .unwrap_or_else(|| vec![None; rows]);
    let mut cells: Vec<Option<&str>> = Vec::with_capacity(columns.len());
    for row in 0..rows {
        let name = names[row].clone().unwrap_or_default();
        let file = *by_name.entry(name.clone()).or_insert_with(|| {
            // A row from a file the manifest does not list: keep its name so findings still say
            // where it came from.
            let id = files.len() as FileId;
            files.push(Arc::new(SourceFile {
                id,
                path: name.into(),
                format: crate::source::SourceFormat::Csv,
                role: Role::PreviousYear,
                size: 0,
                sha256: String::new(),
                encoding: None,
            }));
            id
        });
        let line = lines[row]
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        cells.clear();
        cells.extend(columns.iter().map(|c| {
            c.as_ref()
                .map(|values| values[row].as_deref().unwrap_or(""))
        }));
        table.push_row(RowSource { file, line }, &cells, |_, _| {});
    }
    Ok(())
}
