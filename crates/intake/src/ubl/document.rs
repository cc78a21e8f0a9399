//! The document element: which kind it is, and its header fields.

use kontera_core::{Currency, DocumentType, Invoice};
use roxmltree::{Document, Node};

use super::xml::{CAC, CREDIT_NOTE, INVOICE, cac, cbc, children, text, text_at};
use super::{format, line, party, totals};
use crate::echo::safe_message;
use crate::invoice_id::{self, SupplierKey};
use crate::limits::{MAX_ID, line_count_problem};
use crate::{IntakeError, Received, date};

const SBDH: &str = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader";
const CII: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";

/// UNCL1001 document type codes that make an `Invoice` element a credit note.
const CREDIT_CODES: [&str; 5] = ["81", "83", "381", "396", "532"];

pub(super) fn read(document: &Document<'_>) -> Result<Received, IntakeError> {
    let (root, document_type) = document_element(document.root_element())?;
    let format = format::detect(root);
    let number = text_at(cbc(root, "ID"), "ID", MAX_ID)?
        .map(|id| crate::ident::clean(&id))
        .filter(|id| !id.is_empty())
        .ok_or_else(|| IntakeError::missing("ID"))?;
    let issue_date = required_date(root, "IssueDate")?;
    let due_date = match cbc(root, "DueDate") {
        Some(node) => Some(date_of(node, "DueDate")?),
        None => match children(root, CAC, "PaymentMeans").find_map(|m| cbc(m, "PaymentDueDate")) {
            Some(node) => Some(date_of(node, "PaymentMeans/PaymentDueDate")?),
            None => None,
        },
    };
    let currency_text = cbc(root, "DocumentCurrencyCode")
        .and_then(text)
        .ok_or_else(|| IntakeError::missing("DocumentCurrencyCode"))?;
    let currency = Currency::parse(&currency_text)
        .map_err(|error| IntakeError::invalid("DocumentCurrencyCode", error.to_string()))?;
    let mut warnings = Vec::new();
    let supplier = party::supplier(root, &mut warnings)?;
    let buyer = party::buyer(root, &mut warnings)?;
    let buyer_reference = match text_at(cbc(root, "BuyerReference"), "BuyerReference", MAX_ID)? {
        Some(reference) => Some(reference),
        None => buyer.contact_id.clone(),
    };
    let lines = lines(root)?;
    let id = invoice_id::derive(
        SupplierKey {
            cvr: supplier.cvr,
            vat_id: supplier.supplier.vat_id.as_deref(),
            other: supplier.endpoint.as_deref(),
            name: supplier.supplier.name.as_deref(),
        },
        document_type,
        &number,
    );
    Ok(Received {
        invoice: Invoice {
            id,
            number,
            document_type,
            supplier_cvr: supplier.cvr,
            buyer_gln: buyer.gln,
            buyer_reference,
            order_reference: text_at(
                cac(root, "OrderReference").and_then(|o| cbc(o, "ID")),
                "OrderReference/ID",
                MAX_ID,
            )?,
            issue_date,
            due_date,
            currency,
            lines,
            accounting_cost: text_at(cbc(root, "AccountingCost"), "AccountingCost", MAX_ID)?,
        },
        supplier: supplier.supplier,
        buyer: buyer.buyer,
        totals: totals::read(root, currency, format)?,
        format,
        warnings,
    })
}

/// The `Invoice` or `CreditNote` element (inside a Peppol envelope if there is one).
fn document_element<'a, 'i>(
    root: Node<'a, 'i>,
) -> Result<(Node<'a, 'i>, DocumentType), IntakeError> {
    let tag = root.tag_name();
    if tag.namespace() == Some(SBDH) && tag.name() == "StandardBusinessDocument" {
        let inner = root.children().find(|child| {
            child.is_element()
                && matches!(child.tag_name().namespace(), Some(INVOICE | CREDIT_NOTE))
        });
        if let Some(inner) = inner {
            return document_element(inner);
        }
    }
    match (tag.namespace(), tag.name()) {
        (Some(INVOICE), "Invoice") => {
            let credit = cbc(root, "InvoiceTypeCode")
                .and_then(text)
                .is_some_and(|code| CREDIT_CODES.contains(&code.as_str()));
            let kind = if credit {
                DocumentType::CreditNote
            } else {
                DocumentType::Invoice
            };
            Ok((root, kind))
        }
        (Some(CREDIT_NOTE), "CreditNote") => Ok((root, DocumentType::CreditNote)),
        (namespace, name) => Err(not_an_invoice(namespace, name)),
    }
}

fn not_an_invoice(namespace: Option<&str>, name: &str) -> IntakeError {
    let root = match namespace {
        Some(ns) => format!("{name} in namespace {ns}"),
        None => format!("{name} without a namespace"),
    };
    let hint = if namespace == Some(CII) {
        "this is a UN/CEFACT Cross Industry Invoice (CII); Kontera reads UBL 2.1 only \
         (OIOUBL 2.x, Peppol BIS 3): send the UBL version or convert it"
    } else if matches!(name, "Invoice" | "CreditNote") {
        "the element has the right name but not the UBL 2 namespace \
         (urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 or CreditNote-2); \
         OIOXML and UBL 1.0 invoices are not read"
    } else {
        "expected Invoice (urn:oasis:names:specification:ubl:schema:xsd:Invoice-2) or \
         CreditNote (urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2)"
    };
    IntakeError::NotAnInvoice {
        root: safe_message(&root),
        hint,
    }
}

fn lines(root: Node<'_, '_>) -> Result<Vec<kontera_core::InvoiceLine>, IntakeError> {
    let (name, quantity) = match root.tag_name().name() {
        "CreditNote" => ("CreditNoteLine", "CreditedQuantity"),
        _ => ("InvoiceLine", "InvoicedQuantity"),
    };
    let count = children(root, CAC, name).count();
    if let Some(message) = line_count_problem(count) {
        return Err(IntakeError::invalid(name, message));
    }
    children(root, CAC, name)
        .zip(1..)
        .map(|(node, position)| {
            line::read(node, &format!("{name}[{position}]"), position, quantity)
        })
        .collect()
}

fn required_date(root: Node<'_, '_>, name: &'static str) -> Result<chrono::NaiveDate, IntakeError> {
    let node = cbc(root, name).ok_or_else(|| IntakeError::missing(name))?;
    date_of(node, name)
}

fn date_of(node: Node<'_, '_>, path: &str) -> Result<chrono::NaiveDate, IntakeError> {
    date::parse_xsd(node.text().unwrap_or(""))
        .map_err(|message| IntakeError::invalid(path, message))
}
