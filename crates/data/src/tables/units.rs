//! `units` ⇄ `DataFrame`.

use polars::prelude::DataFrame;

use crate::contract::UnitRow;
use crate::error::DataError;
use crate::from_column::FrameReader;
use crate::spec::{ColumnSpec, Kind, req};
use crate::table::{Table, assemble};
use crate::to_column as col;

impl Table for UnitRow {
    const NAME: &'static str = "units";
    const COLUMNS: &'static [ColumnSpec] = &[
        req("unit_id", Kind::Text),
        req("name", Kind::Text),
        req("gln", Kind::Text),
        req("cost_centre", Kind::Text),
        req("area", Kind::Text),
    ];

    fn to_frame(rows: &[Self]) -> Result<DataFrame, DataError> {
        let columns = vec![
            col::text("unit_id", rows.iter().map(|r| r.unit_id.as_str())),
            col::text("name", rows.iter().map(|r| r.name.as_str())),
            col::text("gln", rows.iter().map(|r| r.gln.as_str())),
            col::text("cost_centre", rows.iter().map(|r| r.cost_centre.as_str())),
            col::text("area", rows.iter().map(|r| r.area.as_str())),
        ];
        assemble(Self::NAME, rows.len(), columns)
    }

    fn from_frame(df: &DataFrame) -> Result<Vec<Self>, DataError> {
        let f = FrameReader::new(Self::NAME, Self::COLUMNS, df)?;
        let mut unit_id = f.text("unit_id")?.into_iter();
        let mut name = f.text("name")?.into_iter();
        let mut gln = f.text("gln")?.into_iter();
        let mut cost_centre = f.text("cost_centre")?.into_iter();
        let mut area = f.text("area")?.into_iter();
        // Every vector has `f.height()` values, so `next()` cannot run dry inside this loop.
        let rows = (0..f.height())
            .map(|_| UnitRow {
                unit_id: unit_id.next().unwrap(),
                name: name.next().unwrap(),
                gln: gln.next().unwrap(),
                cost_centre: cost_centre.next().unwrap(),
                area: area.next().unwrap(),
            })
            .collect();
        Ok(rows)
    }
}
