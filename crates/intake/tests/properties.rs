//! Properties: intake never panics on arbitrary input, and generated valid invoices round-trip.

use kontera_intake::{from_json, from_ubl};
use proptest::prelude::*;
use rust_decimal::Decimal;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn from_json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = from_json(&bytes);
    }

    #[test]
    fn from_json_never_panics_on_json_like_text(text in r#"[\{\}\[\]":,0-9a-z_. -]{0,200}"#) {
        let _ = from_json(text.as_bytes());
    }

    #[test]
    fn from_ubl_never_panics(text in r#"[<>/="a-zA-Z:0-9 .-]{0,300}"#) {
        let _ = from_ubl(text.as_bytes());
    }

    #[test]
    fn generated_invoices_round_trip(
        number in "[A-Za-z0-9-]{1,20}",
        cents in proptest::collection::vec(-10_000_000_000_i64..10_000_000_000, 1..20),
        as_numbers in any::<bool>(),
        quantity in 1_i64..1000,
        credit in any::<bool>(),
    ) {
        let lines: Vec<String> = cents
            .iter()
            .map(|c| {
                let amount = Decimal::new(*c, 2);
                let net = if as_numbers { amount.to_string() } else { format!("\"{amount}\"") };
                format!(r#"{{"description": "line {c}", "quantity": {quantity}, "net_amount": {net}}}"#)
            })
            .collect();
        let kind = if credit { "credit_note" } else { "invoice" };
        let body = format!(
            r#"{{"number": "{number}", "type": "{kind}", "issue_date": "2024-02-29",
                 "supplier": {{"cvr": "12345674"}}, "lines": [{}]}}"#,
            lines.join(",")
        );
        let received = from_json(body.as_bytes()).unwrap();
        let invoice = &received.invoice;
        prop_assert_eq!(&invoice.number, &number);
        prop_assert_eq!(invoice.document_type.as_str(), kind);
        prop_assert_eq!(invoice.id.as_str(), format!("DK12345674/{kind}/{number}"));
        prop_assert_eq!(invoice.lines.len(), cents.len());
        for (line, c) in invoice.lines.iter().zip(&cents) {
            prop_assert_eq!(line.net_amount, Decimal::new(*c, 2));
            prop_assert_eq!(line.quantity, Decimal::from(quantity));
            prop_assert_eq!(&line.description, &format!("line {c}"));
            // The default unit price is net / quantity to 6 decimals.
            let diff = (line.unit_price * Decimal::from(quantity) - line.net_amount).abs();
            prop_assert!(diff <= Decimal::new(5, 7) * Decimal::from(quantity));
        }
        let expected: Decimal = cents.iter().map(|c| Decimal::new(*c, 2)).sum();
        prop_assert_eq!(invoice.total_net(), expected);
    }
}
