//! What the two XML readers (CIN census, SSDA903) share: decoding the file's text by its BOM or
//! XML declaration, and line numbers counted incrementally as the parser moves.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

use crate::ingest::decode;

/// The file's text as UTF-8 and the encoding it was read in. Decode before building the file's
/// [`SourceFile`] so that its `encoding` can be recorded.
#[derive(Debug)]
pub struct XmlText<'a> {
    text: Cow<'a, str>,
    encoding: &'static str,
    guessed: bool,
}

impl<'a> XmlText<'a> {
    /// UTF-8 with or without BOM, UTF-16 with BOM, or whatever an ASCII-compatible encoding the XML
    /// declaration names (windows-1252, ISO-8859-1). A file that claims nothing else but is not
    /// UTF-8 is read as windows-1252, the usual culprit, and the reader warns about the guess.
    pub fn decode(bytes: &'a [u8]) -> Self {
        let detected = decode::detect(bytes);
        // An XML declaration may name an ASCII-compatible encoding; a byte-order mark wins over it.
        let declared = declared_encoding(bytes).filter(|e| *e != UTF_8 && e.is_ascii_compatible());
        match (detected, declared) {
            (decode::Encoding::Utf8 | decode::Encoding::Windows1252, Some(encoding)) => XmlText {
                text: encoding.decode_without_bom_handling(bytes).0,
                encoding: encoding.name(),
                guessed: false,
            },
            (detected, _) => XmlText {
                text: decode::decode(bytes, detected),
                encoding: detected.label(),
                guessed: detected.is_guess(),
            },
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// For [`SourceFile::encoding`]: `UTF-8`, `UTF-8 with BOM`, `windows-1252`, `UTF-16LE`...
    pub fn encoding(&self) -> &'static str {
        self.encoding
    }

    /// The file was not valid in the encoding it claimed and was read as windows-1252.
    pub fn guessed(&self) -> bool {
        self.guessed
    }
}

/// The encoding named by `<?xml ... encoding="..."?>` at the very start of the file.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let declaration = head.strip_prefix(b"<?xml")?;
    let declaration = &declaration[..find(declaration, b"?>")?];
    let after = &declaration[find(declaration, b"encoding")? + b"encoding".len()..];
    let value = after
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let (&quote, value) = value.split_first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let end = value.iter().position(|&b| b == quote)?;
    Encoding::for_label(&value[..end])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Turns parser byte positions into 1-based line numbers without rescanning the file.
#[derive(Debug)]
pub struct Lines<'s> {
    bytes: &'s [u8],
    position: usize,
    line: u32,
}

impl<'s> Lines<'s> {
    pub fn new(bytes: &'s [u8]) -> Self {
        Lines {
            bytes,
            position: 0,
            line: 1,
        }
    }

    /// The length of the text in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The line of a byte position (positions may move backwards a little).
    pub fn at(&mut self, position: u64) -> u32 {
        let position = (position as usize).min(self.bytes.len());
        if position >= self.position {
            self.line += count_newlines(&self.bytes[self.position..position]);
        } else {
            self.line -= count_newlines(&self.bytes[position..self.position]);
        }
        self.position = position;
        self.line
    }
}

/// Byte counters that fit in a `u8` let the compiler compare 32 bytes at a time; a plain
/// `filter().count()` does 4 and was most of the reader's own time.
fn count_newlines(bytes: &[u8]) -> u32 {
    bytes
        .chunks(255)
        .map(|chunk| {
            let n = chunk.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
            u32::from(n)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_incrementally_both_ways() {
        let text = b"a\nb\n\nc";
        let mut lines = Lines::new(text);
        assert_eq!(lines.at(0), 1);
        assert_eq!(lines.at(2), 2);
        assert_eq!(lines.at(5), 4);
        assert_eq!(
            lines.at(3),
            2,
            "an error may point back into the last event"
        );
        assert_eq!(lines.at(100), 4, "positions past the end are the last line");
    }

    #[test]
    fn the_declared_encoding_is_read_from_the_xml_declaration() {
        let declared = |text: &str| declared_encoding(text.as_bytes()).map(Encoding::name);
        assert_eq!(
            declared("<?xml version=\"1.0\" encoding=\"windows-1252\"?><Message/>"),
            Some("windows-1252")
        );
        assert_eq!(
            declared("<?xml version='1.0' encoding = 'ISO-8859-1' ?>"),
            Some("windows-1252")
        );
        assert_eq!(
            declared("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            Some("UTF-8")
        );
        assert_eq!(
            declared("<?xml version=\"1.0\"?><a encoding=\"latin1\"/>"),
            None
        );
        assert_eq!(
            declared("<?xml version=\"1.0\" encoding=\"klingon\"?>"),
            None
        );
        assert_eq!(declared("<Message/>"), None);
    }

    #[test]
    fn a_declared_utf16_that_reads_as_ascii_is_not_believed() {
        let text = XmlText::decode(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><Message/>");
        assert_eq!(text.encoding(), "UTF-8");
        assert!(text.as_str().ends_with("<Message/>"));
    }
}
