//! `creditors` ⇄ `DataFrame`.

use polars::prelude::DataFrame;

use crate::contract::CreditorRow;
use crate::error::DataError;
use crate::from_column::FrameReader;
use crate::spec::{ColumnSpec, Kind, opt, req};
use crate::table::{Table, assemble};
use crate::to_column as col;

impl Table for CreditorRow {
    const NAME: &'static str = "creditors";
    const COLUMNS: &'static [ColumnSpec] = &[
        req("creditor_id", Kind::Text),
        opt("cvr", Kind::Text),
        req("name", Kind::Text),
        req("address", Kind::Text),
        req("postal_code", Kind::Text),
        req("city", Kind::Text),
        req("bank_account", Kind::Text),
        opt("bank_account_changed", Kind::Date),
        opt("address_changed", Kind::Date),
        req("blocked", Kind::Flag),
        req("industry_code", Kind::Text),
        opt("first_invoice", Kind::Date),
    ];

    fn to_frame(rows: &[Self]) -> Result<DataFrame, DataError> {
        let columns = vec![
            col::text("creditor_id", rows.iter().map(|r| r.creditor_id.as_str())),
            col::opt_text("cvr", rows.iter().map(|r| r.cvr.as_deref())),
            col::text("name", rows.iter().map(|r| r.name.as_str())),
            col::text("address", rows.iter().map(|r| r.address.as_str())),
            col::text("postal_code", rows.iter().map(|r| r.postal_code.as_str())),
            col::text("city", rows.iter().map(|r| r.city.as_str())),
            col::text("bank_account", rows.iter().map(|r| r.bank_account.as_str())),
            col::opt_date(
                "bank_account_changed",
                rows.iter().map(|r| r.bank_account_changed),
            ),
            col::opt_date("address_changed", rows.iter().map(|r| r.address_changed)),
            col::flag("blocked", rows.iter().map(|r| r.blocked)),
            col::text(
                "industry_code",
                rows.iter().map(|r| r.industry_code.as_str()),
            ),
            col::opt_date("first_invoice", rows.iter().map(|r| r.first_invoice)),
        ];
        assemble(Self::NAME, rows.len(), columns)
    }

    fn from_frame(df: &DataFrame) -> Result<Vec<Self>, DataError> {
        let f = FrameReader::new(Self::NAME, Self::COLUMNS, df)?;
        let mut creditor_id = f.text("creditor_id")?.into_iter();
        let mut cvr = f.opt_text("cvr")?.into_iter();
        let mut name = f.text("name")?.into_iter();
        let mut address = f.text("address")?.into_iter();
        let mut postal_code = f.text("postal_code")?.into_iter();
        let mut city = f.text("city")?.into_iter();
        let mut bank_account = f.text("bank_account")?.into_iter();
        let mut bank_account_changed = f.opt_date("bank_account_changed")?.into_iter();
        let mut address_changed = f.opt_date("address_changed")?.into_iter();
        let mut blocked = f.flag("blocked")?.into_iter();
        let mut industry_code = f.text("industry_code")?.into_iter();
        let mut first_invoice = f.opt_date("first_invoice")?.into_iter();
        // Every vector has `f.height()` values, so `next()` cannot run dry inside this loop.
        let rows = (0..f.height())
            .map(|_| CreditorRow {
                creditor_id: creditor_id.next().unwrap(),
                cvr: cvr.next().unwrap(),
                name: name.next().unwrap(),
                address: address.next().unwrap(),
                postal_code: postal_code.next().unwrap(),
                city: city.next().unwrap(),
                bank_account: bank_account.next().unwrap(),
                bank_account_changed: bank_account_changed.next().unwrap(),
                address_changed: address_changed.next().unwrap(),
                blocked: blocked.next().unwrap(),
                industry_code: industry_code.next().unwrap(),
                first_invoice: first_invoice.next().unwrap(),
            })
            .collect();
        Ok(rows)
    }
}
