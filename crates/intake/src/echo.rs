//! Echoing input in error messages: CPR numbers masked, long values cut.

use kontera_core::cpr;

/// How many characters of an input value an error message may show.
const MAX_ECHO: usize = 40;

/// How long a whole error message may be.
const MAX_MESSAGE: usize = 400;

/// `value` quoted for an error message: CPR-shaped numbers masked, then cut to 40 characters.
pub(crate) fn echo(value: &str) -> String {
    format!("{:?}", cut(&cpr::mask(value), MAX_ECHO))
}

/// A whole message made safe: CPR-shaped numbers masked (before cutting, so a cut never
/// leaves half a CPR number unmasked), then cut to 400 characters.
pub(crate) fn safe_message(message: &str) -> String {
    cut(&cpr::mask(message), MAX_MESSAGE)
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_then_cuts() {
        assert_eq!(echo("12,5x"), "\"12,5x\"");
        assert_eq!(echo("Borger 010190-1234"), "\"Borger XXXXXX-XXXX\"");
        let long = "a".repeat(100);
        assert_eq!(echo(&long), format!("\"{}…\"", "a".repeat(40)));
        // A CPR number straddling the cut is masked first, so no digits survive.
        let straddling = format!("{}0101901234", "x".repeat(35));
        assert!(!echo(&straddling).contains("01019"));
        assert_eq!(safe_message("cpr 0101901234"), "cpr XXXXXX-XXXX");
    }
}
