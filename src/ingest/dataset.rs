//! A dataset is one return for one collection year (this year's, or last year's for comparison):
//! every input file read, hashed and typed into the year's tables, with structural findings.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::ingest::decode;
use crate::ingest::tabular::Origin;
use crate::ingest::xml::XmlText;
use crate::ingest::{cin_xml, csv_file, xlsx, xml903};
use crate::issue::{IssueSink, Location};
use crate::schema::{ReturnKind, ReturnSchema, SchemaError, SchemaSet};
use crate::source::{FileId, Role, SourceFile, SourceFormat, read_with_hash};
use crate::structural::{self, Check};
use crate::table::Table;
use crate::year::{CollectionYear, YearError, YearSignals};

/// One return-year, typed.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub return_kind: ReturnKind,
    pub year: CollectionYear,
    pub role: Role,
    pub schema: Arc<ReturnSchema>,
    /// Every input file, indexed by [`FileId`].
    pub files: Vec<Arc<SourceFile>>,
    /// One table per schema table, in schema order (empty when no file held it).
    pub tables: Vec<Table>,
}

impl Dataset {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.schema.table_index(name).map(|i| &self.tables[i])
    }

    pub fn row_count(&self) -> usize {
        self.tables.iter().map(Table::len).sum()
    }
}

/// What to load.
#[derive(Debug, Clone)]
pub struct LoadRequest {
    pub return_kind: ReturnKind,
    /// The collection year if the user gave it; otherwise it comes from the files.
    pub year: Option<CollectionYear>,
    pub role: Role,
    /// Files to read (already expanded from folders and patterns).
    pub files: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Year(#[from] YearError),
    #[error(
        "cannot tell the collection year of the {0} input: no file or folder name holds one. Pass --year (e.g. --year 2026 for 2025/26) or set `year:` in the pipeline"
    )]
    NoYear(ReturnKind),
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error("none of the {return_kind} input files could be read ({files}); nothing was loaded")]
    NothingReadable {
        return_kind: ReturnKind,
        files: String,
    },
}

/// A file's bytes once read, before parsing.
struct ReadFile {
    source: Arc<SourceFile>,
    bytes: Vec<u8>,
    /// CSV files: the encoding to decode them with.
    encoding: Option<decode::Encoding>,
    /// CIN XML files: the census date the header names, which fixes the collection year.
    reference_date: Option<chrono::NaiveDate>,
}

/// Reads, hashes and types every file of a request. Unreadable or unrecognised files are findings,
/// not failures; a request whose files are all unreadable is an error, because an empty dataset
/// must never replace a good one.
pub fn load(
    request: &LoadRequest,
    schemas: &SchemaSet,
    run_id: &Arc<str>,
) -> Result<(Dataset, IssueSink), LoadError> {
    let mut unreadable = Vec::new();
    let mut read_files = Vec::new();
    for path in &request.files {
        match read_with_hash(path) {
            Ok((bytes, sha256)) => {
                let format = SourceFormat::of_path(path).unwrap_or(SourceFormat::Csv);
                let (encoding, label, reference_date) = match format {
                    SourceFormat::Csv => {
                        let encoding = decode::detect(&bytes);
                        (Some(encoding), Some(encoding.label()), None)
                    }
                    SourceFormat::Xml => {
                        let text = XmlText::decode(&bytes);
                        (
                            None,
                            Some(text.encoding()),
                            cin_xml::peek_reference_date(&text),
                        )
                    }
                    SourceFormat::Xlsx | SourceFormat::Parquet => (None, None, None),
                };
                let source = SourceFile {
                    id: read_files.len() as FileId,
                    path: path.clone(),
                    format,
                    role: request.role,
                    size: bytes.len() as u64,
                    sha256,
                    encoding: label.map(str::to_string),
                };
                read_files.push(ReadFile {
                    source: Arc::new(source),
                    bytes,
                    encoding,
                    reference_date,
                });
            }
            Err(e) => unreadable.push((path.clone(), e)),
        }
    }
    if read_files.is_empty() {
        let files = unreadable
            .iter()
            .map(|(p, e)| format!("{}: {e}", p.display()))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(LoadError::NothingReadable {
            return_kind: request.return_kind,
            files,
        });
    }

    let mut signals = YearSignals::explicit(request.year);
    for file in &read_files {
        signals.add_path(&file.source.path)?;
        if let Some(date) = file.reference_date {
            signals.add_content(
                CollectionYear::of_date(date)?,
                format!("the ReferenceDate {date} in {}", file.source.name()),
            );
        }
    }
    let year = signals
        .resolve()?
        .ok_or(LoadError::NoYear(request.return_kind))?;
    let schema = schemas.get(request.return_kind, year)?;
    let files: Vec<Arc<SourceFile>> = read_files.iter().map(|f| f.source.clone()).collect();
    let mut sink = IssueSink::new(run_id.clone(), request.return_kind, year);
    for (path, error) in &unreadable {
        let message = format!(
            "{} could not be read: {error}. Its data is not in this run.",
            path.display()
        );
        sink.push(Check::UnreadableFile.finding(message, Location::default(), None));
    }

    let parsed: Vec<(Vec<Table>, IssueSink)> = read_files
        .par_iter()
        .map(|file| parse_file(file, &files, &schema, sink.fork()))
        .collect();
    let mut tables: Vec<Table> = (0..schema.tables.len())
        .map(|i| Table::new(schema.clone(), i))
        .collect();
    for (file_tables, file_sink) in parsed {
        sink.absorb(file_sink);
        for table in file_tables {
            let index = schema
                .table_index(table.name())
                .expect("tables come from this schema");
            tables[index].append(table);
        }
    }
    for table in &tables {
        structural::check_table(table, &files, &mut sink);
    }
    let dataset = Dataset {
        return_kind: request.return_kind,
        year,
        role: request.role,
        schema,
        files,
        tables,
    };
    Ok((dataset, sink))
}

fn parse_file(
    file: &ReadFile,
    files: &[Arc<SourceFile>],
    schema: &Arc<ReturnSchema>,
    mut sink: IssueSink,
) -> (Vec<Table>, IssueSink) {
    let source = &file.source;
    let tables = match source.format {
        SourceFormat::Csv => {
            let encoding = file.encoding.expect("detected for CSV files");
            if encoding.is_guess() {
                let message = format!(
                    "{} is not UTF-8; it was read as Windows-1252. Check accented names look right.",
                    source.name()
                );
                sink.push(Check::EncodingGuessed.finding(message, Location::file(source), None));
            }
            let text = decode::decode(&file.bytes, encoding);
            let origin = Origin {
                file: source,
                files,
                sheet: None,
            };
            csv_file::read(&text, &origin, schema, &mut sink)
                .into_iter()
                .collect()
        }
        SourceFormat::Xlsx => xlsx::read(&file.bytes, source, files, schema, &mut sink),
        SourceFormat::Xml if schema.return_kind == ReturnKind::Cin => {
            cin_xml::read(
                &XmlText::decode(&file.bytes),
                source,
                files,
                schema,
                &mut sink,
            )
            .tables
        }
        SourceFormat::Xml => xml903::read(
            &XmlText::decode(&file.bytes),
            source,
            files,
            schema,
            &mut sink,
        ),
        SourceFormat::Parquet => {
            let message = format!(
                "{} is a {:?} file, which is not a {} input.",
                source.name(),
                source.format,
                schema.return_kind
            );
            sink.push(Check::UnrecognisedFile.finding(message, Location::file(source), None));
            Vec::new()
        }
    };
    (tables, sink)
}
