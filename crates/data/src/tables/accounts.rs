//! `accounts` ⇄ `DataFrame`.

use polars::prelude::DataFrame;

use crate::contract::AccountRow;
use crate::error::DataError;
use crate::from_column::FrameReader;
use crate::spec::{ColumnSpec, Kind, opt, req};
use crate::table::{Table, assemble};
use crate::to_column as col;

impl Table for AccountRow {
    const NAME: &'static str = "accounts";
    const COLUMNS: &'static [ColumnSpec] = &[
        req("account", Kind::Text),
        req("name", Kind::Text),
        req("function", Kind::Text),
        req("dranst", Kind::Text),
        req("art", Kind::Text),
        req("valid_from", Kind::Date),
        opt("valid_to", Kind::Date),
        opt("change", Kind::Text),
        opt("successors", Kind::Text),
    ];

    fn to_frame(rows: &[Self]) -> Result<DataFrame, DataError> {
        let columns = vec![
            col::text("account", rows.iter().map(|r| r.account.as_str())),
            col::text("name", rows.iter().map(|r| r.name.as_str())),
            col::text("function", rows.iter().map(|r| r.function.as_str())),
            col::text("dranst", rows.iter().map(|r| r.dranst.as_str())),
            col::text("art", rows.iter().map(|r| r.art.as_str())),
            col::date("valid_from", rows.iter().map(|r| r.valid_from)),
            col::opt_date("valid_to", rows.iter().map(|r| r.valid_to)),
            col::opt_text("change", rows.iter().map(|r| r.change.as_deref())),
            col::opt_text("successors", rows.iter().map(|r| r.successors.as_deref())),
        ];
        assemble(Self::NAME, rows.len(), columns)
    }

    fn from_frame(df: &DataFrame) -> Result<Vec<Self>, DataError> {
        let f = FrameReader::new(Self::NAME, Self::COLUMNS, df)?;
        let mut account = f.text("account")?.into_iter();
        let mut name = f.text("name")?.into_iter();
        let mut function = f.text("function")?.into_iter();
        let mut dranst = f.text("dranst")?.into_iter();
        let mut art = f.text("art")?.into_iter();
        let mut valid_from = f.date("valid_from")?.into_iter();
        let mut valid_to = f.opt_date("valid_to")?.into_iter();
        let mut change = f.opt_text("change")?.into_iter();
        let mut successors = f.opt_text("successors")?.into_iter();
        // Every vector has `f.height()` values, so `next()` cannot run dry inside this loop.
        let rows = (0..f.height())
            .map(|_| AccountRow {
                account: account.next().unwrap(),
                name: name.next().unwrap(),
                function: function.next().unwrap(),
                dranst: dranst.next().unwrap(),
                art: art.next().unwrap(),
                valid_from: valid_from.next().unwrap(),
                valid_to: valid_to.next().unwrap(),
                change: change.next().unwrap(),
                successors: successors.next().unwrap(),
            })
            .collect();
        Ok(rows)
    }
}
