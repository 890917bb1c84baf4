//! Text encodings of exported files. Case systems on Windows write Windows-1252 as often as UTF-8,
//! with or without a byte-order mark; Excel's "Unicode text" is UTF-16. We read all of them and
//! say which one we used.

use std::borrow::Cow;

/// The encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8: read as Windows-1252, the usual encoding of Windows exports.
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "windows-1252",
        }
    }

    /// Whether the encoding was guessed rather than stated by the file.
    pub fn is_guess(self) -> bool {
        self == Encoding::Windows1252
    }
}

/// Tells a file's encoding from its byte-order mark or, without one, from whether it is valid UTF-8.
pub fn detect(bytes: &[u8]) -> Encoding {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        Encoding::Utf8Bom
    } else if bytes.starts_with(b"\xFF\xFE") {
        Encoding::Utf16Le
    } else if bytes.starts_with(b"\xFE\xFF") {
        Encoding::Utf16Be
    } else if std::str::from_utf8(bytes).is_ok() {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    }
}

/// Decodes a whole file in the encoding [`detect`] found.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Cow<'_, str> {
    match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(bytes),
        Encoding::Utf8Bom => String::from_utf8_lossy(&bytes[3..]),
        Encoding::Utf16Le => encoding_rs::UTF_16LE.decode_with_bom_removal(bytes).0,
        Encoding::Utf16Be => encoding_rs::UTF_16BE.decode_with_bom_removal(bytes).0,
        Encoding::Windows1252 => encoding_rs::WINDOWS_1252.decode(bytes).0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_and_decode(bytes: &[u8]) -> (Cow<'_, str>, Encoding) {
        let encoding = detect(bytes);
        (decode(bytes, encoding), encoding)
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            detect_and_decode("Zoë".as_bytes()),
            (Cow::Borrowed("Zoë"), Encoding::Utf8)
        );
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), "Zoë".as_bytes()].concat();
        let (text, encoding) = detect_and_decode(&with_bom);
        assert_eq!((text.as_ref(), encoding), ("Zoë", Encoding::Utf8Bom));
    }

    #[test]
    fn windows_1252_is_recognised_by_invalid_utf8() {
        // "Zoë – £5" in Windows-1252: ë = 0xEB, en dash = 0x96, pound = 0xA3.
        let (text, encoding) = detect_and_decode(b"Zo\xEB \x96 \xA35");
        assert_eq!(
            (text.as_ref(), encoding),
            ("Zoë – £5", Encoding::Windows1252)
        );
        assert!(encoding.is_guess());
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "CHILD,SEX".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let (text, encoding) = detect_and_decode(&bytes);
        assert_eq!((text.as_ref(), encoding), ("CHILD,SEX", Encoding::Utf16Le));
    }
}
