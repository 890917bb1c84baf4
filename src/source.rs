//! Input files as a run sees them: where they are, what they hold and their fingerprint. The hash
//! goes into every issue and the snapshot manifest, so that anyone can tell which exact file a
//! finding came from.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Index of a file in a run's file list.
pub type FileId = u16;

/// Which return-year an input belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ThisYear,
    PreviousYear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Csv,
    Xlsx,
    Xml,
    Parquet,
}

impl SourceFormat {
    /// Guesses the format from the file extension.
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Some(SourceFormat::Csv),
            "xlsx" | "xlsm" => Some(SourceFormat::Xlsx),
            "xml" => Some(SourceFormat::Xml),
            "parquet" => Some(SourceFormat::Parquet),
            _ => None,
        }
    }
}

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub id: FileId,
    pub path: PathBuf,
    pub format: SourceFormat,
    pub role: Role,
    pub size: u64,
    pub sha256: String,
    /// The text encoding the file was read with, once known (`UTF-8`, `UTF-8 with BOM`,
    /// `windows-1252`).
    pub encoding: Option<String>,
}

impl SourceFile {
    /// The file name, as people see it in reports.
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }
}

impl fmt::Display for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())
    }
}

/// Reads a whole file and returns its bytes with their SHA-256, so that the hash always describes
/// exactly the bytes that were parsed.
pub fn read_with_hash(path: &Path) -> std::io::Result<(Vec<u8>, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(file.metadata().map(|m| m.len() as usize).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    let hash = sha256_hex(&bytes);
    Ok((bytes, hash))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Streams a file through SHA-256 without holding it in memory: its size and hash.
pub fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    copy_hashing(&mut std::fs::File::open(path)?, &mut std::io::sink())
}

/// Copies `reader` to `writer`, hashing on the way: the size and SHA-256 of what was copied.
pub fn copy_hashing(
    reader: &mut impl Read,
    writer: &mut impl std::io::Write,
) -> std::io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        writer.write_all(&buffer[..n])?;
        size += n as u64;
    }
    Ok((size, hex(&hasher.finalize())))
}

/// Lower-case hexadecimal, as sha256sum prints it.
fn hex(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest {
        use std::fmt::Write as _;
        write!(hex, "{byte:02x}").expect("writing to a String");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(
            SourceFormat::of_path(Path::new("a/Episodes.CSV")),
            Some(SourceFormat::Csv)
        );
        assert_eq!(
            SourceFormat::of_path(Path::new("cin.xml")),
            Some(SourceFormat::Xml)
        );
        assert_eq!(
            SourceFormat::of_path(Path::new("903.xlsx")),
            Some(SourceFormat::Xlsx)
        );
        assert_eq!(SourceFormat::of_path(Path::new("notes.docx")), None);
    }
}
