//! `postings` ⇄ `DataFrame`.

use polars::prelude::DataFrame;

use crate::contract::PostingRow;
use crate::error::DataError;
use crate::from_column::FrameReader;
use crate::spec::{ColumnSpec, Kind, MONEY_SCALE, opt, req};
use crate::table::{Table, assemble};
use crate::to_column as col;

impl Table for PostingRow {
    const NAME: &'static str = "postings";
    const COLUMNS: &'static [ColumnSpec] = &[
        req("posting_id", Kind::Text),
        req("invoice_id", Kind::Text),
        opt("line_no", Kind::Count),
        req("posting_date", Kind::Date),
        req("account", Kind::Text),
        req("cost_centre", Kind::Text),
        req("vat_code", Kind::Text),
        opt("project", Kind::Text),
        req("amount", Kind::Decimal(MONEY_SCALE)),
    ];

    fn to_frame(rows: &[Self]) -> Result<DataFrame, DataError> {
        let t = Self::NAME;
        let columns = vec![
            col::text("posting_id", rows.iter().map(|r| r.posting_id.as_str())),
            col::text("invoice_id", rows.iter().map(|r| r.invoice_id.as_str())),
            col::opt_count("line_no", rows.iter().map(|r| r.line_no)),
            col::date("posting_date", rows.iter().map(|r| r.posting_date)),
            col::text("account", rows.iter().map(|r| r.account.as_str())),
            col::text("cost_centre", rows.iter().map(|r| r.cost_centre.as_str())),
            col::text("vat_code", rows.iter().map(|r| r.vat_code.as_str())),
            col::opt_text("project", rows.iter().map(|r| r.project.as_deref())),
            col::decimal(t, "amount", MONEY_SCALE, rows.iter().map(|r| &r.amount))?,
        ];
        assemble(t, rows.len(), columns)
    }

    fn from_frame(df: &DataFrame) -> Result<Vec<Self>, DataError> {
        let f = FrameReader::new(Self::NAME, Self::COLUMNS, df)?;
        let mut posting_id = f.text("posting_id")?.into_iter();
        let mut invoice_id = f.text("invoice_id")?.into_iter();
        let mut line_no = f.opt_count("line_no")?.into_iter();
        let mut posting_date = f.date("posting_date")?.into_iter();
        let mut account = f.text("account")?.into_iter();
        let mut cost_centre = f.text("cost_centre")?.into_iter();
        let mut vat_code = f.text("vat_code")?.into_iter();
        let mut project = f.opt_text("project")?.into_iter();
        let mut amount = f.decimal("amount")?.into_iter();
        // Every vector has `f.height()` values, so `next()` cannot run dry inside this loop.
        let rows = (0..f.height())
            .map(|_| PostingRow {
                posting_id: posting_id.next().unwrap(),
                invoice_id: invoice_id.next().unwrap(),
                line_no: line_no.next().unwrap(),
                posting_date: posting_date.next().unwrap(),
                account: account.next().unwrap(),
                cost_centre: cost_centre.next().unwrap(),
                vat_code: vat_code.next().unwrap(),
                project: project.next().unwrap(),
                amount: amount.next().unwrap(),
            })
            .collect();
        Ok(rows)
    }
}
