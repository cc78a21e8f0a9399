//! Kontera's JSON invoice: what an ERP integration sends to the coding API.
//!
//! One invoice (`from_json`) or a batch `{"invoices": [ ... ]}` (`batch_from_json`, 1 to 1,000
//! invoices, all or nothing). `crates/intake/README.md` is the reference; in short:
//!
//! ```json
//! {
//!   "id": "erp-778812",                  // optional: the ERP's document id
//!   "number": "INV-1001",                // required, not empty
//!   "type": "invoice",                   // "invoice" (default) or "credit_note"
//!   "issue_date": "2024-03-01",          // required, YYYY-MM-DD
//!   "due_date": "2024-03-31",            // optional
//!   "currency": "DKK",                   // optional, default DKK
//!   "supplier": {"cvr": "12345674", "vat_id": "DK12345674", "name": "Mejeriet A/S",
//!                "creditor_id": "4711", "country": "DK", "bank_account": "1234 5678901234"},
//!   "buyer": {"gln": "5790000000005", "unit_id": "SKOLE-7", "reference": "4410",
//!             "name": "Den Lille Skole"},
//!   "order_reference": "PO-88", "accounting_cost": "5.25.14.1.2.2",
//!   "lines": [{"description": "Mælk 1 l", "quantity": "24", "unit_price": "12.50",
//!              "net_amount": "300.00", "vat_category": "S", "vat_rate": "25",
//!              "item_id": "M-1", "gtin": "5701234567899", "unspsc": "50131700",
//!              "accounting_cost": null}],
//!   "totals": {"net": "300.00", "vat": "75.00", "payable": "375.00"}
//! }
//! ```
//!
//! - Every object refuses unknown fields; the error names the field and lists the allowed ones.
//! - Amounts are strings (`"1250.00"`) or JSON numbers (`1250.00`), read from their text,
//!   never through `f64`; limits are in [`crate::limits`](crate) (`MAX_MAGNITUDE`, decimals).
//! - Line defaults: `quantity` 1; `unit_price` = `net_amount / quantity`; `vat_category` `S`;
//!   `vat_rate` 25 for `S`, 0 otherwise. `description` is required but may be `""`.
//! - `supplier.cvr` must be a valid Danish CVR (modulus 11; `DK` prefix allowed) and
//!   `buyer.gln` a valid GLN (GS1 check digit); neither error echoes the value.
//! - Without `id`, the id is derived: `DK{cvr}/{type}/{number}`, else the VAT id, else
//!   `creditor:{creditor_id}`, else the supplier name, else `unknown`, in place of `DK{cvr}`.
//! - `totals.net` is the sum of line nets as the sender states it (→ `Totals::line_extension`),
//!   `vat` the VAT total (→ `tax`), `payable` the amount due; intake never checks them.
//! - Errors carry the path: `lines[2].net_amount: expected a decimal amount like "1250.00",
//!   got "12,5x"`, `invoices[3].lines[0].net_amount: is required`.

mod build;
mod errors;
mod fields;
mod wire;

use crate::{IntakeError, Received};

/// Reads one invoice.
pub(crate) fn read_one(body: &[u8]) -> Result<Received, IntakeError> {
    let invoice: wire::Invoice = parse(body)?;
    Ok(build::received(invoice))
}

/// Reads `{"invoices": [...]}`.
pub(crate) fn read_batch(body: &[u8]) -> Result<Vec<Received>, IntakeError> {
    let batch: wire::Batch = parse(body)?;
    Ok(batch.invoices.0.into_iter().map(build::received).collect())
}

fn parse<'de, T: serde::Deserialize<'de>>(body: &'de [u8]) -> Result<T, IntakeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(errors::map)?;
    deserializer
        .end()
        .map_err(|error| IntakeError::MalformedJson {
            line: error.line(),
            column: error.column(),
            message: "unexpected characters after the JSON value".to_owned(),
        })?;
    Ok(value)
}
