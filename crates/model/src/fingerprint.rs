//! A SHA-256 fingerprint of training data, fed field by field; each text is length-prefixed so
//! that ("ab", "c") and ("a", "bc") differ.

use std::fmt;

use sha2::{Digest, Sha256};

/// Accumulates values into a SHA-256; [`Fingerprint::finish_hex`] gives lowercase hex.
#[derive(Clone, Default)]
pub struct Fingerprint(Sha256);

impl Fingerprint {
    pub fn new() -> Fingerprint {
        Fingerprint::default()
    }

    /// Adds a text: its length in bytes (u64 little-endian), then its UTF-8 bytes.
    pub fn update_str(&mut self, s: &str) {
        self.update_u64(s.len() as u64);
        self.0.update(s.as_bytes());
    }

    /// Adds a number as 8 little-endian bytes.
    pub fn update_u64(&mut self, n: u64) {
        self.0.update(n.to_le_bytes());
    }

    /// The fingerprint as 64 lowercase hex digits.
    pub fn finish_hex(self) -> String {
        hex(&self.0.finalize())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Fingerprint(..)")
    }
}

/// Lowercase hex digits of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(parts: &[&str]) -> String {
        let mut f = Fingerprint::new();
        for p in parts {
            f.update_str(p);
        }
        f.finish_hex()
    }

    #[test]
    fn texts_are_length_prefixed() {
        assert_ne!(of(&["ab", "c"]), of(&["a", "bc"]));
        assert_eq!(of(&["ab", "c"]), of(&["ab", "c"]));
        assert_eq!(of(&[]).len(), 64);
    }

    #[test]
    fn numbers_change_the_fingerprint() {
        let mut a = Fingerprint::new();
        a.update_u64(1);
        let mut b = Fingerprint::new();
        b.update_u64(2);
        assert_ne!(a.finish_hex(), b.finish_hex());
    }

    #[test]
    fn empty_input_is_the_sha256_of_nothing() {
        assert_eq!(
            Fingerprint::new().finish_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
