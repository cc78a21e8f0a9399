//! From the read JSON shapes to a [`Received`]: defaults filled in, the id derived.

use kontera_core::{Currency, DocumentType, Invoice, InvoiceLine, VatCategory};
use rust_decimal::Decimal;

use super::wire;
use crate::invoice_id::{self, SupplierKey};
use crate::vat;
use crate::{Buyer, Format, Received, Supplier, Totals};

/// Builds the received invoice; everything was validated while reading.
pub(super) fn received(invoice: wire::Invoice) -> Received {
    let document_type = match invoice.document_type {
        wire::DocumentType::Invoice => DocumentType::Invoice,
        wire::DocumentType::CreditNote => DocumentType::CreditNote,
    };
    let wire_supplier = invoice.supplier;
    let supplier = Supplier {
        name: wire_supplier.name.map(|t| t.0),
        creditor_id: wire_supplier.creditor_id.map(|t| t.0),
        vat_id: wire_supplier.vat_id.map(|t| t.0),
        country: wire_supplier.country.map(|c| c.0),
        bank_account: wire_supplier.bank_account.map(|t| t.0),
    };
    let supplier_cvr = wire_supplier.cvr.map(|c| c.0);
    let number = invoice.number.0;
    let id = match invoice.id {
        Some(id) => kontera_core::InvoiceId::new(id.0),
        None => {
            let creditor = supplier
                .creditor_id
                .as_ref()
                .map(|c| format!("creditor:{c}"));
            invoice_id::derive(
                SupplierKey {
                    cvr: supplier_cvr,
                    vat_id: supplier.vat_id.as_deref(),
                    other: creditor.as_deref(),
                    name: supplier.name.as_deref(),
                },
                document_type,
                &number,
            )
        }
    };
    let lines = invoice
        .lines
        .0
        .into_iter()
        .zip(1..)
        .map(|(line, line_no)| line_from(line, line_no))
        .collect();
    let totals = invoice.totals.map_or_else(Totals::default, |t| Totals {
        line_extension: t.net.map(|a| a.0),
        tax: t.vat.map(|a| a.0),
        payable: t.payable.map(|a| a.0),
        ..Totals::default()
    });
    Received {
        invoice: Invoice {
            id,
            number,
            document_type,
            supplier_cvr,
            buyer_gln: invoice.buyer.gln.map(|g| g.0),
            buyer_reference: invoice.buyer.reference.map(|t| t.0),
            order_reference: invoice.order_reference.map(|t| t.0),
            issue_date: invoice.issue_date.0,
            due_date: invoice.due_date.map(|d| d.0),
            currency: invoice.currency.map_or(Currency::DKK, |c| c.0),
            lines,
            accounting_cost: invoice.accounting_cost.map(|t| t.0),
        },
        supplier,
        buyer: Buyer {
            unit_id: invoice.buyer.unit_id.map(|t| t.0),
            name: invoice.buyer.name.map(|t| t.0),
        },
        totals,
        format: Format::Json,
        warnings: Vec::new(),
    }
}

fn line_from(line: wire::Line, line_no: u32) -> InvoiceLine {
    let net_amount = line.net_amount.0;
    let quantity = line.quantity.map_or(Decimal::ONE, |q| q.0);
    let unit_price = line.unit_price.map_or_else(
        || crate::number::default_unit_price(net_amount, quantity),
        |p| p.0,
    );
    let vat_category = line.vat_category.map_or(VatCategory::Standard, |c| c.0);
    InvoiceLine {
        line_no,
        description: line.description.0,
        item_id: line.item_id.map(|t| t.0),
        gtin: line.gtin.map(|t| t.0),
        unspsc: line.unspsc.map(|t| t.0),
        quantity,
        unit_price,
        net_amount,
        vat_category,
        vat_rate: line
            .vat_rate
            .map_or_else(|| vat::default_rate(vat_category), |r| r.0),
        accounting_cost: line.accounting_cost.map(|t| t.0),
    }
}
