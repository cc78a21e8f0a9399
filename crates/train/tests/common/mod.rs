//! Generated data for the training tests: a synthetic municipality, its chart, and its labelled
//! lines for any window.

#![allow(dead_code)]

use chrono::NaiveDate;
use kontera_core::Chart;
use kontera_synth::{GenerateParams, generate};
use kontera_train::{IngestOptions, LabelledLine, labelled_lines};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A generated municipality with its chart of accounts.
pub struct Generated {
    pub dataset: kontera_data::Dataset,
    pub chart: Chart,
    /// The generator's truth: the intended coding of every line, and which postings a clerk got
    /// wrong.
    pub truth: kontera_synth::Truth,
}

/// `years` years of `invoices_per_year` from `first_year`, generated with `seed`.
pub fn generated(years: u32, invoices_per_year: u32, seed: u64, first_year: i32) -> Generated {
    let params = GenerateParams {
        years,
        invoices_per_year,
        seed,
        first_year,
    };
    let g = generate(&params.check().unwrap(), |_, _| {});
    let chart = kontera_data::chart_from_rows(&g.dataset.accounts).unwrap();
    Generated {
        dataset: g.dataset,
        chart,
        truth: g.truth,
    }
}

impl Generated {
    /// The labelled lines issued from `from` to `to` (all when `None`), mapped onto the chart
    /// as of `as_of`.
    pub fn lines(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        as_of: NaiveDate,
    ) -> Vec<LabelledLine> {
        let options = IngestOptions { from, to, as_of };
        labelled_lines(&self.dataset, &self.chart, &options)
            .unwrap()
            .lines
    }
}
