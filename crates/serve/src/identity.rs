//! An invoice's identity: the idempotency key (who sent which document with which number) and
//! the stable decision id derived from it.

use chrono::NaiveDate;
use kontera_intake::Received;
use sha2::{Digest, Sha256};

/// The supplier as the ledger knows it: CVR, else VAT id, else the ERP's creditor number, else
/// the name; `None` when the document names no supplier at all.
pub fn supplier(received: &Received) -> Option<String> {
    let s = &received.supplier;
    received
        .invoice
        .supplier_cvr
        .map(|c| c.to_string())
        .or_else(|| s.vat_id.clone())
        .or_else(|| s.creditor_id.clone())
        .or_else(|| s.name.as_ref().map(|n| n.trim().to_lowercase()))
}

/// The idempotency key: the same supplier, document type, number, date, currency and line
/// amounts is the same invoice, sent again. The same number with other content is another
/// document — screening flags it as a duplicate number, never answers it with the first one's
/// decision. Without a supplier the receiver's document id stands in. Stored as a SHA-256 hex
/// digest, so nothing personal an invoice number might hold is kept in it.
pub fn key(received: &Received) -> String {
    let invoice = &received.invoice;
    let who = supplier(received).unwrap_or_else(|| format!("id:{}", invoice.id));
    // Intake has trimmed the number and taken out invisible characters.
    let number = &invoice.number;
    let amounts: Vec<String> = invoice
        .lines
        .iter()
        .map(|l| l.net_amount.normalize().to_string())
        .collect();
    let readable = format!(
        "{who}/{}/{number}/{}/{}/{}",
        invoice.document_type.as_str(),
        invoice.issue_date,
        invoice.currency,
        amounts.join(";")
    );
    hex(&Sha256::digest(readable.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stable, opaque decision id for `key` of an invoice issued on `issued`: the same invoice
/// always gets the same id, on every instance. A further organisation of a deployment (see
/// [`crate::organisations`]) hashes its name in, so the same invoice sent to two organisations
/// gets two ids.
///
/// The id starts with the issue date's day (four hex digits counted from 2000-01-01) and ends
/// with 64 bits of the hash: invoices arrive near their issue date, so each new id lands beside
/// the ids of its days in every index keyed by it (decisions, their lines, reviews), where a
/// wholly random id touched a page anywhere in each index (`benches/RESULTS.md`, "Decision
/// ids by issue date"). Ids made before (`d-` and 20 hex digits of the hash) stay valid: the
/// store treats an id as an opaque string.
pub fn decision_id(organisation: Option<&str>, key: &str, issued: NaiveDate) -> String {
    let mut hasher = Sha256::new();
    if let Some(name) = organisation {
        hasher.update(name.as_bytes());
        hasher.update(b"\n");
    }
    hasher.update(key.as_bytes());
    format!(
        "d-{:04x}{}",
        day_number(issued),
        hex(&hasher.finalize()[..8])
    )
}

/// Days from 2000-01-01 to `date`, within four hex digits (an earlier date counts as 0, one
/// after 2179 as the last).
fn day_number(date: NaiveDate) -> u16 {
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date");
    let days = date.signed_duration_since(epoch).num_days();
    u16::try_from(days.max(0)).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received(number: &str) -> Received {
        let body = serde_json::json!({
            "number": number, "issue_date": "2026-01-15", "supplier": {"cvr": "53807186"},
            "lines": [{"description": "x", "net_amount": "1"}]
        });
        kontera_intake::from_json(body.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn invisible_characters_do_not_make_another_invoice() {
        let plain = key(&received("1001"));
        assert_eq!(key(&received(" 1001\u{200B}")), plain);
        assert_eq!(key(&received("10\u{FEFF}01")), plain);
        assert_ne!(key(&received("1002")), plain);
        let mut other_amount = received("1001");
        other_amount.invoice.lines[0].net_amount = rust_decimal::Decimal::TWO;
        assert_ne!(
            key(&other_amount),
            plain,
            "other content is another document"
        );
        let mut same_amount = received("1001");
        same_amount.invoice.lines[0].net_amount = "1.00".parse().unwrap();
        assert_eq!(key(&same_amount), plain, "1.00 is 1");
        assert_eq!(plain.len(), 64, "a SHA-256 hex digest");
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn decision_ids_are_stable_and_distinct() {
        let issued = day(2026, 1, 15);
        let a = decision_id(None, "12345674/invoice/1001", issued);
        assert_eq!(a, decision_id(None, "12345674/invoice/1001", issued));
        assert_ne!(a, decision_id(None, "12345674/credit_note/1001", issued));
        let other = decision_id(Some("odense"), "12345674/invoice/1001", issued);
        assert_ne!(a, other);
        assert_eq!(
            other,
            decision_id(Some("odense"), "12345674/invoice/1001", issued)
        );
        assert_eq!(a.len(), 22);
        assert!(a.starts_with("d-"));
    }

    #[test]
    fn decision_ids_start_with_their_issue_day() {
        // 2026-01-15 is day 9,511 from 2000-01-01: 0x2527.
        let a = decision_id(None, "k", day(2026, 1, 15));
        assert!(a.starts_with("d-2527"), "{a}");
        // The same hash part: only the day differs.
        let next = decision_id(None, "k", day(2026, 1, 16));
        assert_eq!(&next[..6], "d-2528");
        assert_eq!(a[6..], next[6..]);
        // Ids of later days sort after those of earlier days, whatever their hash.
        let mut ids: Vec<String> = (0..200u32)
            .map(|i| {
                let issued = day(2025, 12, 1) + chrono::Days::new(u64::from(i % 40));
                decision_id(None, &format!("key {i}"), issued)
            })
            .collect();
        ids.sort();
        let days: Vec<&str> = ids.iter().map(|id| &id[2..6]).collect();
        assert!(days.is_sorted());
        // Dates outside the four digits are clamped, never wrapped.
        assert!(decision_id(None, "k", day(1999, 12, 31)).starts_with("d-0000"));
        assert!(decision_id(None, "k", day(2200, 1, 1)).starts_with("d-ffff"));
    }
}
