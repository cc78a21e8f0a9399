//! Property tests for CVR and GLN check digits and for CPR detection.

use kontera_core::{Cvr, Gln, cpr};
use proptest::prelude::*;

/// The CVR rule computed independently of the library: first digit not 0, weights
/// 2,7,6,5,4,3,2,1, weighted sum divisible by 11.
fn cvr_rule(digits: &str) -> bool {
    let weights = [2, 7, 6, 5, 4, 3, 2, 1];
    let sum: u32 = digits
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    digits.len() == 8 && !digits.starts_with('0') && sum.is_multiple_of(11)
}

/// The GS1 rule computed independently: weights 1,3,1,3,... over all 13 digits, sum % 10 == 0.
fn gln_rule(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    digits.len() == 13 && sum.is_multiple_of(10)
}

/// `s` with the digit at `index` replaced by `digit`.
fn with_digit(s: &str, index: usize, digit: u8) -> String {
    let mut bytes = s.as_bytes().to_vec();
    bytes[index] = b'0' + digit;
    String::from_utf8(bytes).unwrap()
}

/// `s` with the digits at `index` and `index + 1` swapped.
fn swapped(s: &str, index: usize) -> String {
    let mut bytes = s.as_bytes().to_vec();
    bytes.swap(index, index + 1);
    String::from_utf8(bytes).unwrap()
}

fn digit_at(s: &str, index: usize) -> u8 {
    s.as_bytes()[index] - b'0'
}

proptest! {
    #[test]
    fn cvr_from_base_parses_and_passes_the_rule(base in 1_000_000u32..=9_999_999) {
        if let Some(cvr) = Cvr::from_base(base) {
            let text = cvr.to_string();
            prop_assert!(cvr_rule(&text));
            prop_assert_eq!(cvr.value() / 10, base);
            prop_assert_eq!(Cvr::parse(&text), Ok(cvr));
            let prefixed = format!(" DK{text} ");
            prop_assert_eq!(Cvr::parse(&prefixed), Ok(cvr));
        } else {
            // No check digit exists: none of the ten completions passes the rule.
            let none_pass = (0..10).all(|d| !cvr_rule(&format!("{base}{d}")));
            prop_assert!(none_pass);
        }
    }

    #[test]
    fn cvr_any_single_digit_change_is_rejected(
        base in 1_000_000u32..=9_999_999, index in 0usize..8, digit in 0u8..10,
    ) {
        if let Some(cvr) = Cvr::from_base(base) {
            let text = cvr.to_string();
            prop_assume!(digit_at(&text, index) != digit);
            prop_assert!(Cvr::parse(&with_digit(&text, index, digit)).is_err());
        }
    }

    #[test]
    fn cvr_any_adjacent_transposition_is_rejected(
        base in 1_000_000u32..=9_999_999, index in 0usize..7,
    ) {
        // Adjacent weights differ by 1 or 5, never by a multiple of 11.
        if let Some(cvr) = Cvr::from_base(base) {
            let text = cvr.to_string();
            prop_assume!(digit_at(&text, index) != digit_at(&text, index + 1));
            prop_assert!(Cvr::parse(&swapped(&text, index)).is_err());
        }
    }

    #[test]
    fn cvr_random_strings_accepted_iff_rule_passes(digits in "[0-9]{8}") {
        prop_assert_eq!(Cvr::parse(&digits).is_ok(), cvr_rule(&digits));
    }

    #[test]
    fn gln_from_base_parses_and_passes_the_rule(base in 0u64..1_000_000_000_000) {
        let gln = Gln::from_base(base).unwrap();
        let text = gln.to_string();
        prop_assert_eq!(text.len(), 13);
        prop_assert!(gln_rule(&text));
        prop_assert_eq!(gln.value() / 10, base);
        prop_assert_eq!(Gln::parse(&text), Ok(gln));
    }

    #[test]
    fn gln_any_single_digit_change_is_rejected(
        base in 0u64..1_000_000_000_000, index in 0usize..13, digit in 0u8..10,
    ) {
        let text = Gln::from_base(base).unwrap().to_string();
        prop_assume!(digit_at(&text, index) != digit);
        prop_assert!(Gln::parse(&with_digit(&text, index, digit)).is_err());
    }

    #[test]
    fn gln_adjacent_transposition_is_rejected_unless_digits_differ_by_5(
        base in 0u64..1_000_000_000_000, index in 0usize..12,
    ) {
        let text = Gln::from_base(base).unwrap().to_string();
        let (a, b) = (digit_at(&text, index), digit_at(&text, index + 1));
        let result = Gln::parse(&swapped(&text, index));
        if a == b || a.abs_diff(b) == 5 {
            // Weights 1 and 3 differ by 2, so a difference of 5 changes the sum by 10.
            prop_assert!(result.is_ok());
        } else {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn gln_random_strings_accepted_iff_rule_passes(digits in "[0-9]{13}") {
        prop_assert_eq!(Gln::parse(&digits).is_ok(), gln_rule(&digits));
    }

    #[test]
    fn parsers_never_panic(input in any::<String>()) {
        let _ = Cvr::parse(&input);
        let _ = Gln::parse(&input);
        let masked = cpr::mask(&input);
        prop_assert!(!cpr::contains(&masked));
        for range in cpr::find(&input) {
            prop_assert!(input.is_char_boundary(range.start) && input.is_char_boundary(range.end));
        }
    }

    #[test]
    fn parse_errors_never_echo_the_input(input in "[0-9DK -]{0,16}") {
        for message in [Cvr::parse(&input).err(), Gln::parse(&input).err()]
            .into_iter()
            .flatten()
            .map(|e| e.to_string())
        {
            // Messages contain at most two digits in a row (lengths and positions).
            let longest_run = message
                .split(|c: char| !c.is_ascii_digit())
                .map(str::len)
                .max()
                .unwrap_or(0);
            prop_assert!(longest_run <= 2, "{}", message);
        }
    }

    #[test]
    fn cpr_found_in_any_surrounding_text(
        day in 1u32..=28, month in 1u32..=12, year in 0u32..100, serial in 0u32..10_000,
        hyphen in any::<bool>(), before in "[a-zæøå .,:]{0,10}", after in "[a-zæøå .,:]{0,10}",
    ) {
        let number = if hyphen {
            format!("{day:02}{month:02}{year:02}-{serial:04}")
        } else {
            format!("{day:02}{month:02}{year:02}{serial:04}")
        };
        let text = format!("{before}{number}{after}");
        let found: Vec<_> = cpr::find(&text).collect();
        prop_assert_eq!(found, vec![before.len()..before.len() + number.len()]);
        let expected = format!("{before}XXXXXX-XXXX{after}");
        prop_assert_eq!(cpr::mask(&text), expected);
    }
}
