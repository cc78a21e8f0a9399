//! The stable id of a received document when the sender gives none.

use kontera_core::{Cvr, DocumentType, InvoiceId, cpr};

/// Who the supplier is, best identity first.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SupplierKey<'a> {
    pub cvr: Option<Cvr>,
    pub vat_id: Option<&'a str>,
    /// Another identifier: the ERP's creditor number, or a UBL endpoint `scheme:value`.
    pub other: Option<&'a str>,
    pub name: Option<&'a str>,
}

/// `"{supplier}/{invoice|credit_note}/{number}"`, the supplier being `DK` + CVR, else the VAT id
/// (upper case, no spaces), else the other identifier, else the name, else `unknown`. Anything
/// CPR-shaped is masked.
pub(crate) fn derive(key: SupplierKey<'_>, document_type: DocumentType, number: &str) -> InvoiceId {
    let supplier = match key {
        SupplierKey { cvr: Some(cvr), .. } => format!("DK{cvr}"),
        SupplierKey {
            vat_id: Some(vat), ..
        } => vat
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase(),
        SupplierKey {
            other: Some(other), ..
        } => other.to_owned(),
        SupplierKey {
            name: Some(name), ..
        } => name.trim().to_owned(),
        _ => "unknown".to_owned(),
    };
    let id = format!("{supplier}/{document_type}/{}", number.trim());
    InvoiceId::new(cpr::mask(&id).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_cvr_then_vat_then_other_then_name() {
        let cvr = Cvr::parse("12345674").ok();
        let key = |cvr, vat_id, other, name| SupplierKey {
            cvr,
            vat_id,
            other,
            name,
        };
        let check = |k: SupplierKey<'_>, expected: &str| {
            assert_eq!(
                derive(k, DocumentType::Invoice, " INV-1001 ").as_str(),
                expected
            );
        };
        check(
            key(cvr, Some("x"), Some("y"), Some("z")),
            "DK12345674/invoice/INV-1001",
        );
        check(
            key(None, Some("no 123456785 mva"), None, None),
            "NO123456785MVA/invoice/INV-1001",
        );
        check(
            key(None, None, Some("creditor:4711"), Some("z")),
            "creditor:4711/invoice/INV-1001",
        );
        check(
            key(None, None, None, Some(" Acme ")),
            "Acme/invoice/INV-1001",
        );
        check(key(None, None, None, None), "unknown/invoice/INV-1001");
        check(
            key(None, None, Some("DK:CPR:0101901234"), None),
            "DK:CPR:XXXXXX-XXXX/invoice/INV-1001",
        );
        assert_eq!(
            derive(key(cvr, None, None, None), DocumentType::CreditNote, "7").as_str(),
            "DK12345674/credit_note/7"
        );
    }
}
