//! Outcome classes and the invariants every target shares: error templates, the shape of an
//! accepted invoice, and "no error message echoes a CPR number from the input".

use std::collections::HashSet;

use kontera_core::cpr;
use kontera_intake::{IntakeError, MAX_DESCRIPTION, MAX_LINES, MAX_MAGNITUDE, Received};
use rust_decimal::Decimal;

/// A message reduced to its template: the text before the first quote (`"`, `` ` ``, `'`:
/// whatever follows may echo the input, and the fuzzer would breed on every new echo), digit
/// runs written `#`, at most 80 characters. Two inputs failing the same way give the same one.
pub(crate) fn template(message: &str) -> String {
    let mut out = String::new();
    for c in message.chars() {
        match c {
            '"' | '`' | '\'' => break,
            c if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            c => out.push(c),
        }
        if out.len() >= 80 {
            break;
        }
    }
    out
}

/// Log-2 bucket of a count: `0`, `1`, `2`, `4` (3–4), `8` (5–8), …
pub(crate) fn bucket(n: usize) -> usize {
    if n <= 2 { n } else { n.next_power_of_two() }
}

/// [`bucket`] up to 16, then `16+`: a class that only a larger input reaches would fill the
/// corpus with large inputs.
pub(crate) fn small_bucket(n: usize) -> String {
    if n > 16 {
        "16+".to_owned()
    } else {
        bucket(n).to_string()
    }
}

/// Panics if `message` holds a CPR number that the input holds: intake's errors must mask
/// every CPR number they echo. Compared as CPR-shaped matches (digits only), not substrings: a
/// CPR-like run inside a longer run of digits is no CPR number, in the input or the message.
pub(crate) fn assert_no_cpr_echo(input: &[u8], message: &str) {
    let digits = |s: &str| s.replace('-', "");
    let mut in_message = cpr::find(message).map(|r| digits(&message[r])).peekable();
    if in_message.peek().is_none() {
        return;
    }
    let text = String::from_utf8_lossy(input);
    let in_input: HashSet<String> = cpr::find(&text).map(|r| digits(&text[r])).collect();
    for number in in_message {
        assert!(
            !in_input.contains(&number),
            "an error message echoes a CPR number from the input: {}",
            cpr::mask(message)
        );
    }
}

/// The features of an intake error: its code, its field's path (indices as `#`) and its
/// message's template. Checks that no CPR number is echoed.
pub(crate) fn intake_error(prefix: &str, input: &[u8], error: &IntakeError, out: &mut Vec<String>) {
    let message = error.to_string();
    assert_no_cpr_echo(input, &message);
    let code = error.code();
    out.push(format!("{prefix}:err:{code}"));
    let mut rest = message.as_str();
    if let IntakeError::UnknownField { .. } = error {
        // The path and the message hold the sender's key (any characters, dots and backticks
        // included): the class is how many fields the object allows, which names the object.
        let expected = rest.rsplit_once(", expected").map_or("", |(_, e)| e);
        let allowed = expected.matches('`').count() / 2;
        out.push(format!("{prefix}:err:{code}:object with {allowed} fields"));
        return;
    }
    if let IntakeError::NotAnInvoice { hint, .. } = error {
        // The message names the root element: the hint is the class.
        out.push(format!("{prefix}:err:{code}:{}", template(hint)));
        return;
    }
    if let Some(field) = error.field() {
        out.push(format!("{prefix}:err:{code}:{}", template(field)));
        rest = rest.strip_prefix(field).unwrap_or(rest);
    }
    out.push(format!("{prefix}:err:{code}:{}", template(rest)));
}

/// Checks what intake promises of an accepted document, and gives its shape as features.
pub(crate) fn received(prefix: &str, r: &Received, out: &mut Vec<String>) {
    let invoice = &r.invoice;
    let lines = invoice.lines.len();
    assert!(
        (1..=MAX_LINES).contains(&lines),
        "an accepted invoice has {lines} lines"
    );
    let max = Decimal::from(MAX_MAGNITUDE);
    for line in &invoice.lines {
        assert!(
            line.net_amount.abs() <= max,
            "line {} has a net amount beyond MAX_MAGNITUDE",
            line.line_no
        );
        let chars = line.description.chars().count();
        assert!(
            chars <= MAX_DESCRIPTION,
            "line {} has a description of {chars} characters",
            line.line_no
        );
        assert!(
            (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&line.vat_rate),
            "line {} has VAT rate {}",
            line.line_no,
            line.vat_rate
        );
    }
    // What the service computes first; saturating and checked, never panicking.
    let _ = invoice.total_net();
    let _ = invoice.checked_total_net();

    let mut push = |feature: String| out.push(format!("{prefix}:ok:{feature}"));
    push(format!("format:{}", r.format));
    push(format!("type:{}", invoice.document_type.as_str()));
    push(format!("lines:{}", small_bucket(lines)));
    for (present, name) in [
        (invoice.supplier_cvr.is_some(), "cvr"),
        (invoice.buyer_gln.is_some(), "gln"),
        (invoice.due_date.is_some(), "due_date"),
        (invoice.buyer_reference.is_some(), "buyer_reference"),
        (invoice.order_reference.is_some(), "order_reference"),
        (invoice.accounting_cost.is_some(), "accounting_cost"),
        (r.supplier.name.is_some(), "supplier_name"),
        (r.supplier.vat_id.is_some(), "vat_id"),
        (r.supplier.bank_account.is_some(), "bank_account"),
        (r.supplier.country.is_some(), "country"),
        (r.totals.payable.is_some(), "payable"),
        (r.totals.tax.is_some(), "tax"),
        (invoice.checked_total_net().is_none(), "total_overflows"),
    ] {
        if present {
            push(name.to_owned());
        }
    }
    for warning in &r.warnings {
        push(format!("warning:{}", template(&warning.to_string())));
    }
    for line in &invoice.lines {
        push(format!("vat:{}", line.vat_category.code()));
        if line.net_amount.is_sign_negative() {
            push("negative_line".to_owned());
        }
        if line.quantity != Decimal::ONE {
            push("quantity".to_owned());
        }
        if line.accounting_cost.is_some() {
            push("line_accounting_cost".to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_drop_values_and_digits() {
        assert_eq!(
            template("lines[12].net_amount: expected a decimal, got \"12,5x\""),
            "lines[#].net_amount: expected a decimal, got "
        );
        assert_eq!(template("line 3, column 14: `x`"), "line #, column #: ");
        assert!(template(&"a".repeat(500)).len() <= 80);
    }

    #[test]
    fn buckets_are_powers_of_two() {
        let b: Vec<usize> = [0, 1, 2, 3, 4, 5, 9, 1000].map(bucket).to_vec();
        assert_eq!(b, [0, 1, 2, 4, 4, 8, 16, 1024]);
        assert_eq!(small_bucket(1000), "16+");
        assert_eq!(small_bucket(16), "16");
    }

    #[test]
    fn a_cpr_echo_is_caught() {
        assert_no_cpr_echo(b"name 010190-1234", "bad name \"XXXXXX-XXXX\"");
        // A longer run of digits is no CPR number, in the input or the message.
        assert_no_cpr_echo(b"key 010190-123401 and 0101901234", "key 010190-123401");
        assert_no_cpr_echo(b"a 01019012345", "cut to \"0101901234\"");
        let caught = std::panic::catch_unwind(|| {
            assert_no_cpr_echo(b"name 010190-1234", "bad name \"0101901234\"");
        });
        assert!(caught.is_err());
    }
}
