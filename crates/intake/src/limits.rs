//! Intake's limits: what is absurd enough to refuse before the engine sees it.
//!
//! | what | limit |
//! |---|---|
//! | lines on one invoice | 1 to [`MAX_LINES`] (10,000) |
//! | invoices in a batch | 1 to [`MAX_BATCH`] (10,000) |
//! | any amount, quantity or price | absolute value at most [`MAX_MAGNITUDE`] (10^12) |
//! | decimals of an amount (net, totals) | at most [`MAX_DECIMALS_AMOUNT`] (4), trailing zeros not counted |
//! | decimals of a quantity or unit price | at most [`MAX_DECIMALS_MEASURE`] (6) |
//! | VAT rate | 0 to 100 percent, at most 4 decimals |
//! | line description | [`MAX_DESCRIPTION`] (2,000) characters |
//! | names | 300 characters; ids, numbers, references and codes: 200 ([`MAX_ID`]) |
//!
//! Negative amounts are allowed (credit lines, corrections): screening judges them.

use crate::echo::echo;

/// At most this many lines on one invoice.
pub const MAX_LINES: usize = 10_000;
/// At most this many invoices in one batch.
pub const MAX_BATCH: usize = 10_000;
/// No amount, quantity or price may exceed this in absolute value.
pub const MAX_MAGNITUDE: i64 = 1_000_000_000_000;
/// Decimals allowed on a money amount.
pub const MAX_DECIMALS_AMOUNT: u32 = 4;
/// Decimals allowed on a quantity or unit price.
pub const MAX_DECIMALS_MEASURE: u32 = 6;
/// Characters allowed in a line description.
pub const MAX_DESCRIPTION: usize = 2_000;
/// Characters allowed in a name (supplier, buyer).
pub(crate) const MAX_NAME: usize = 300;
/// Characters allowed in an id, number, reference or code.
pub(crate) const MAX_ID: usize = 200;

/// The message for a value longer than `max` characters, if it is.
pub(crate) fn length_problem(value: &str, max: usize) -> Option<String> {
    let count = value.chars().count();
    (count > max).then(|| format!("is {count} characters long; at most {max} are allowed"))
}

/// The message for a lines list of the wrong size, if it is.
pub(crate) fn line_count_problem(count: usize) -> Option<String> {
    if count == 0 {
        Some("an invoice needs at least one line".to_owned())
    } else if count > MAX_LINES {
        Some(format!(
            "has more than {MAX_LINES} lines; split the invoice or send it for manual handling"
        ))
    } else {
        None
    }
}

/// The message for an ISO 3166-1 alpha-2 country code that is not two letters, if it is not.
pub(crate) fn country_problem(value: &str) -> Option<String> {
    let ok = value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic());
    (!ok).then(|| {
        format!(
            "expected a two-letter country code (ISO 3166-1, e.g. DK), got {}",
            echo(value)
        )
    })
}
