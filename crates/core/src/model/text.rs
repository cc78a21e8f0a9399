//! Line text as the model sees it: CPR numbers masked, lower case, words without digits.

use crate::cpr;

/// Words of at most this many bytes are kept whole; longer ones are cut (on a char boundary).
const MAX_WORD: usize = 24;

/// Calls `f` with each word of `text` that can carry meaning: CPR numbers are masked first, the
/// text is lower-cased, split on anything that is not a letter or digit, and words that contain
/// digits (item numbers, dates, amounts) or are a single letter are dropped. `buf` holds each
/// word in turn (reused across calls, so that a line's words allocate nothing).
pub fn words(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    let masked = cpr::mask(text);
    for raw in masked.split(|c: char| !c.is_alphanumeric()) {
        if raw.chars().count() < 2 || raw.chars().any(|c| c.is_numeric()) {
            continue;
        }
        buf.clear();
        for c in raw.chars().flat_map(char::to_lowercase) {
            if buf.len() + c.len_utf8() > MAX_WORD {
                break;
            }
            buf.push(c);
        }
        f(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_words(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        words(text, &mut String::new(), |w| v.push(w.to_owned()));
        v
    }

    #[test]
    fn words_are_lower_case_without_numbers_or_single_letters() {
        assert_eq!(
            all_words("Minimælk 1 ltr, varenr. 412345 MARTS 2024"),
            ["minimælk", "ltr", "varenr", "marts"]
        );
        assert_eq!(all_words("RENGØR. iht. kontr."), ["rengør", "iht", "kontr"]);
        assert_eq!(all_words("a b c"), Vec::<String>::new());
    }

    #[test]
    fn cpr_numbers_never_become_words() {
        let w = all_words("Ophold cpr 010190-1234 marts");
        assert_eq!(w, ["ophold", "cpr", "xxxxxx", "xxxx", "marts"]);
        assert!(w.iter().all(|w| !w.contains("0101")));
    }

    #[test]
    fn long_words_are_cut_on_a_char_boundary() {
        let w = all_words(&"æ".repeat(40));
        assert_eq!(w[0].len(), 24);
        assert_eq!(w[0].chars().count(), 12);
    }
}
