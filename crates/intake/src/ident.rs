//! Identifiers as intake keeps them: trimmed, and without invisible characters (controls,
//! zero-width spaces and joiners, byte-order marks), so two invoice numbers that look the same
//! are the same everywhere downstream — idempotency, duplicate checks, storage.

/// `raw` trimmed and without invisible characters.
pub(crate) fn clean(raw: &str) -> String {
    raw.chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn invisible_characters_go() {
        assert_eq!(clean(" 1001\u{200B}"), "1001");
        assert_eq!(clean("10\u{FEFF}01\u{0}"), "1001");
        assert_eq!(clean("A 5"), "A 5");
        assert_eq!(clean("\u{200B}"), "");
    }
}
