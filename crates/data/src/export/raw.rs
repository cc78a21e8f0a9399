//! The mapping file as written: serde structs that reject unknown keys, checked by `mapping.rs`.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMapping {
    pub files: OneOrMany,
    pub delimiter: Option<String>,
    pub encoding: Option<RawEncoding>,
    pub fields: RawFields,
}

/// `files = "*.csv"` or `files = ["a/*.csv", "b/*.csv"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEncoding {
    pub fallback: Option<String>,
    #[serde(default)]
    pub bytes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFields {
    pub invoice_ref: Option<RawColumn>,
    pub supplier_id: Option<RawColumn>,
    pub supplier_name: Option<RawColumn>,
    pub supplier_vat: Option<RawColumn>,
    pub date: Option<RawDate>,
    pub amount: Option<RawAmount>,
    #[serde(default)]
    pub text: Vec<RawColumn>,
    pub unit: Option<RawColumn>,
    pub accounting_cost: Option<RawColumn>,
    pub account: Option<RawColumn>,
    pub cost_centre: Option<RawColumn>,
    pub vat_code: Option<RawColumn>,
    pub project: Option<RawColumn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawColumn {
    pub headers: Vec<String>,
    pub duplicates: Option<String>,
    pub split: Option<RawSplit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDate {
    pub headers: Vec<String>,
    pub duplicates: Option<String>,
    pub split: Option<RawSplit>,
    pub formats: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAmount {
    pub headers: Vec<String>,
    pub duplicates: Option<String>,
    pub split: Option<RawSplit>,
    pub decimal: Option<String>,
    pub thousands: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSplit {
    pub delimiter: Option<String>,
    pub part: Option<usize>,
    pub chars: Option<Vec<usize>>,
}
