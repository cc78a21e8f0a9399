//! `invoices` ⇄ `DataFrame`.

use polars::prelude::DataFrame;

use crate::contract::InvoiceRow;
use crate::error::DataError;
use crate::from_column::FrameReader;
use crate::spec::{ColumnSpec, Kind, MONEY_SCALE, opt, req};
use crate::table::{Table, assemble};
use crate::to_column as col;

const MONEY: Kind = Kind::Decimal(MONEY_SCALE);

impl Table for InvoiceRow {
    const NAME: &'static str = "invoices";
    const COLUMNS: &'static [ColumnSpec] = &[
        req("invoice_id", Kind::Text),
        req("invoice_number", Kind::Text),
        req("document_type", Kind::Text),
        req("creditor_id", Kind::Text),
        opt("supplier_cvr", Kind::Text),
        opt("buyer_gln", Kind::Text),
        opt("buyer_reference", Kind::Text),
        opt("order_reference", Kind::Text),
        req("issue_date", Kind::Date),
        opt("due_date", Kind::Date),
        req("currency", Kind::Text),
        req("total_net", MONEY),
        req("total_vat", MONEY),
        req("total_gross", MONEY),
        opt("accounting_cost", Kind::Text),
        req("format", Kind::Text),
    ];

    fn to_frame(rows: &[Self]) -> Result<DataFrame, DataError> {
        let t = Self::NAME;
        let columns = vec![
            col::text("invoice_id", rows.iter().map(|r| r.invoice_id.as_str())),
            col::text(
                "invoice_number",
                rows.iter().map(|r| r.invoice_number.as_str()),
            ),
            col::text(
                "document_type",
                rows.iter().map(|r| r.document_type.as_str()),
            ),
            col::text("creditor_id", rows.iter().map(|r| r.creditor_id.as_str())),
            col::opt_text(
                "supplier_cvr",
                rows.iter().map(|r| r.supplier_cvr.as_deref()),
            ),
            col::opt_text("buyer_gln", rows.iter().map(|r| r.buyer_gln.as_deref())),
            col::opt_text(
                "buyer_reference",
                rows.iter().map(|r| r.buyer_reference.as_deref()),
            ),
            col::opt_text(
                "order_reference",
                rows.iter().map(|r| r.order_reference.as_deref()),
            ),
            col::date("issue_date", rows.iter().map(|r| r.issue_date)),
            col::opt_date("due_date", rows.iter().map(|r| r.due_date)),
            col::text("currency", rows.iter().map(|r| r.currency.as_str())),
            col::decimal(
                t,
                "total_net",
                MONEY_SCALE,
                rows.iter().map(|r| &r.total_net),
            )?,
            col::decimal(
                t,
                "total_vat",
                MONEY_SCALE,
                rows.iter().map(|r| &r.total_vat),
            )?,
            col::decimal(
                t,
                "total_gross",
                MONEY_SCALE,
                rows.iter().map(|r| &r.total_gross),
            )?,
            col::opt_text(
                "accounting_cost",
                rows.iter().map(|r| r.accounting_cost.as_deref()),
            ),
            col::text("format", rows.iter().map(|r| r.format.as_str())),
        ];
        assemble(t, rows.len(), columns)
    }

    fn from_frame(df: &DataFrame) -> Result<Vec<Self>, DataError> {
        let f = FrameReader::new(Self::NAME, Self::COLUMNS, df)?;
        let mut invoice_id = f.text("invoice_id")?.into_iter();
        let mut invoice_number = f.text("invoice_number")?.into_iter();
        let mut document_type = f.text("document_type")?.into_iter();
        let mut creditor_id = f.text("creditor_id")?.into_iter();
        let mut supplier_cvr = f.opt_text("supplier_cvr")?.into_iter();
        let mut buyer_gln = f.opt_text("buyer_gln")?.into_iter();
        let mut buyer_reference = f.opt_text("buyer_reference")?.into_iter();
        let mut order_reference = f.opt_text("order_reference")?.into_iter();
        let mut issue_date = f.date("issue_date")?.into_iter();
        let mut due_date = f.opt_date("due_date")?.into_iter();
        let mut currency = f.text("currency")?.into_iter();
        let mut total_net = f.decimal("total_net")?.into_iter();
        let mut total_vat = f.decimal("total_vat")?.into_iter();
        let mut total_gross = f.decimal("total_gross")?.into_iter();
        let mut accounting_cost = f.opt_text("accounting_cost")?.into_iter();
        let mut format = f.text("format")?.into_iter();
        // Every vector has `f.height()` values, so `next()` cannot run dry inside this loop.
        let rows = (0..f.height())
            .map(|_| InvoiceRow {
                invoice_id: invoice_id.next().unwrap(),
                invoice_number: invoice_number.next().unwrap(),
                document_type: document_type.next().unwrap(),
                creditor_id: creditor_id.next().unwrap(),
                supplier_cvr: supplier_cvr.next().unwrap(),
                buyer_gln: buyer_gln.next().unwrap(),
                buyer_reference: buyer_reference.next().unwrap(),
                order_reference: order_reference.next().unwrap(),
                issue_date: issue_date.next().unwrap(),
                due_date: due_date.next().unwrap(),
                currency: currency.next().unwrap(),
                total_net: total_net.next().unwrap(),
                total_vat: total_vat.next().unwrap(),
                total_gross: total_gross.next().unwrap(),
                accounting_cost: accounting_cost.next().unwrap(),
                format: format.next().unwrap(),
            })
            .collect();
        Ok(rows)
    }
}
