//! `invoice_lines` ⇄ `DataFrame`.

use polars::prelude::DataFrame;

use crate::contract::InvoiceLineRow;
use crate::error::DataError;
use crate::from_column::FrameReader;
use crate::spec::{ColumnSpec, Kind, MONEY_SCALE, QUANTITY_SCALE, opt, req};
use crate::table::{Table, assemble};
use crate::to_column as col;

const MONEY: Kind = Kind::Decimal(MONEY_SCALE);
const QUANTITY: Kind = Kind::Decimal(QUANTITY_SCALE);

impl Table for InvoiceLineRow {
    const NAME: &'static str = "invoice_lines";
    const COLUMNS: &'static [ColumnSpec] = &[
        req("invoice_id", Kind::Text),
        req("line_no", Kind::Count),
        req("description", Kind::Text),
        opt("item_id", Kind::Text),
        opt("gtin", Kind::Text),
        opt("unspsc", Kind::Text),
        req("quantity", QUANTITY),
        req("unit_price", QUANTITY),
        req("net_amount", MONEY),
        req("vat_category", Kind::Text),
        req("vat_rate", MONEY),
        opt("accounting_cost", Kind::Text),
    ];

    fn to_frame(rows: &[Self]) -> Result<DataFrame, DataError> {
        let t = Self::NAME;
        let columns = vec![
            col::text("invoice_id", rows.iter().map(|r| r.invoice_id.as_str())),
            col::count("line_no", rows.iter().map(|r| r.line_no)),
            col::text("description", rows.iter().map(|r| r.description.as_str())),
            col::opt_text("item_id", rows.iter().map(|r| r.item_id.as_deref())),
            col::opt_text("gtin", rows.iter().map(|r| r.gtin.as_deref())),
            col::opt_text("unspsc", rows.iter().map(|r| r.unspsc.as_deref())),
            col::decimal(
                t,
                "quantity",
                QUANTITY_SCALE,
                rows.iter().map(|r| &r.quantity),
            )?,
            col::decimal(
                t,
                "unit_price",
                QUANTITY_SCALE,
                rows.iter().map(|r| &r.unit_price),
            )?,
            col::decimal(
                t,
                "net_amount",
                MONEY_SCALE,
                rows.iter().map(|r| &r.net_amount),
            )?,
            col::text("vat_category", rows.iter().map(|r| r.vat_category.as_str())),
            col::decimal(t, "vat_rate", MONEY_SCALE, rows.iter().map(|r| &r.vat_rate))?,
            col::opt_text(
                "accounting_cost",
                rows.iter().map(|r| r.accounting_cost.as_deref()),
            ),
        ];
        assemble(t, rows.len(), columns)
    }

    fn from_frame(df: &DataFrame) -> Result<Vec<Self>, DataError> {
        let f = FrameReader::new(Self::NAME, Self::COLUMNS, df)?;
        let mut invoice_id = f.text("invoice_id")?.into_iter();
        let mut line_no = f.count("line_no")?.into_iter();
        let mut description = f.text("description")?.into_iter();
        let mut item_id = f.opt_text("item_id")?.into_iter();
        let mut gtin = f.opt_text("gtin")?.into_iter();
        let mut unspsc = f.opt_text("unspsc")?.into_iter();
        let mut quantity = f.decimal("quantity")?.into_iter();
        let mut unit_price = f.decimal("unit_price")?.into_iter();
        let mut net_amount = f.decimal("net_amount")?.into_iter();
        let mut vat_category = f.text("vat_category")?.into_iter();
        let mut vat_rate = f.decimal("vat_rate")?.into_iter();
        let mut accounting_cost = f.opt_text("accounting_cost")?.into_iter();
        // Every vector has `f.height()` values, so `next()` cannot run dry inside this loop.
        let rows = (0..f.height())
            .map(|_| InvoiceLineRow {
                invoice_id: invoice_id.next().unwrap(),
                line_no: line_no.next().unwrap(),
                description: description.next().unwrap(),
                item_id: item_id.next().unwrap(),
                gtin: gtin.next().unwrap(),
                unspsc: unspsc.next().unwrap(),
                quantity: quantity.next().unwrap(),
                unit_price: unit_price.next().unwrap(),
                net_amount: net_amount.next().unwrap(),
                vat_category: vat_category.next().unwrap(),
                vat_rate: vat_rate.next().unwrap(),
                accounting_cost: accounting_cost.next().unwrap(),
            })
            .collect();
        Ok(rows)
    }
}
