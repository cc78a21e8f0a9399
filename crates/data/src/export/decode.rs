//! [`Decoding`]: turning an export's bytes into text when they are not (all) UTF-8.
//!
//! Valid UTF-8 is kept. Each byte that is not part of valid UTF-8 is read through a legacy
//! single-byte table (Windows-1252 by default), and so is each C1 control character
//! (U+0080–U+009F) in valid UTF-8: those never occur in real text and are what Windows-1252
//! bytes become when a file is converted as if it were Latin-1. A mapping may override the
//! table for single bytes (e.g. `0x9C` → `£`, the pound sign of the DOS code page 850).

/// How bytes that are not UTF-8 are read. See the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoding {
    /// The character for each byte 0x80..=0xFF.
    table: [char; 128],
}

/// Windows-1252 for 0x80..=0x9F; its five undefined bytes keep their C1 code points.
const WINDOWS_1252_C1: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

impl Default for Decoding {
    fn default() -> Self {
        Decoding::windows_1252()
    }
}

impl Decoding {
    /// `fallback` is `windows-1252` or `replace` (U+FFFD for every byte that is not UTF-8 and
    /// for every C1 character).
    pub fn new(fallback: &str) -> Result<Self, String> {
        match fallback {
            "windows-1252" => Ok(Decoding::windows_1252()),
            "replace" => Ok(Decoding {
                table: ['\u{FFFD}'; 128],
            }),
            other => Err(format!(
                "unknown fallback `{other}`; use `windows-1252` or `replace`"
            )),
        }
    }

    fn windows_1252() -> Self {
        let mut table = ['\u{FFFD}'; 128];
        for (c, byte) in table.iter_mut().zip(0x80..=0xFF_u8) {
            *c = match WINDOWS_1252_C1.get(usize::from(byte - 0x80)) {
                Some(&c) => c,
                // 0xA0..=0xFF are Latin-1: the code point of the byte.
                None => char::from(byte),
            };
        }
        Decoding { table }
    }

    /// Reads byte `byte` (0x80..=0xFF) as `to` instead.
    pub fn set(&mut self, byte: u8, to: char) -> Result<(), String> {
        match byte.checked_sub(0x80) {
            Some(i) => {
                self.table[usize::from(i)] = to;
                Ok(())
            }
            None => Err(format!(
                "byte {byte:02X} is ASCII and always read as itself; only 80..FF can be mapped"
            )),
        }
    }

    /// The text, and how many characters were read through the table.
    pub fn decode(&self, bytes: &[u8]) -> (String, u64) {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut text = String::with_capacity(bytes.len());
        let mut recoded = 0;
        for chunk in bytes.utf8_chunks() {
            for c in chunk.valid().chars() {
                match u32::from(c) {
                    0x80..=0x9F => {
                        text.push(self.legacy(u8::try_from(u32::from(c)).unwrap_or(0x80)));
                        recoded += 1;
                    }
                    _ => text.push(c),
                }
            }
            for &b in chunk.invalid() {
                text.push(self.legacy(b));
                recoded += 1;
            }
        }
        (text, recoded)
    }

    fn legacy(&self, byte: u8) -> char {
        match byte.checked_sub(0x80) {
            Some(i) => self.table[usize::from(i)],
            None => char::from(byte),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_kept_and_legacy_bytes_are_mapped() {
        let d = Decoding::default();
        let (text, n) = d.decode("£5k ÆØÅ".as_bytes());
        assert_eq!((text.as_str(), n), ("£5k ÆØÅ", 0));
        let (text, n) = d.decode(b"\xEF\xBB\xBFCAF\xC9 \xA35k \x92s \x96");
        assert_eq!((text.as_str(), n), ("CAFÉ £5k ’s –", 4));
    }

    #[test]
    fn c1_characters_in_utf8_are_read_as_their_byte() {
        let d = Decoding::default();
        assert_eq!(d.decode("a \u{96} b".as_bytes()).0, "a – b");
    }

    #[test]
    fn overrides_apply_to_bytes_and_c1_characters() {
        let mut d = Decoding::default();
        d.set(0x9C, '£').unwrap();
        assert_eq!(d.decode(b"less than \x9C5k").0, "less than £5k");
        assert_eq!(d.decode("less than \u{9C}5k".as_bytes()).0, "less than £5k");
        assert!(d.set(b'a', 'x').is_err());
    }

    #[test]
    fn replace_marks_bad_bytes() {
        let d = Decoding::new("replace").unwrap();
        assert_eq!(d.decode(b"a\xA3b").0, "a\u{FFFD}b");
        assert!(Decoding::new("latin-9").is_err());
    }
}
