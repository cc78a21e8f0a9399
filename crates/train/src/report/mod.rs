//! Evaluation reports for analysts: a JSON file for tools and a self-contained HTML page (inline
//! CSS and SVG, no scripts, no external assets) for people.

pub(crate) mod format;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod rolling_html;
pub(crate) mod rolling_json;
pub(crate) mod svg;

use std::path::Path;

use chrono::NaiveDate;

use crate::evaluate::Evaluation;

pub use format::target_key;
pub use html::{AREA_TITLE, CURVE_TITLE};

/// What an evaluation was of: shown at the top of both reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportMeta {
    pub title: String,
    /// The model evaluated (a path or a name).
    pub model: String,
    /// The data evaluated on (a path or a name).
    pub data: String,
    /// First day of the evaluated period.
    pub from: NaiveDate,
    /// Last day of the evaluated period.
    pub to: NaiveDate,
}

/// The evaluation as pretty JSON with a fixed key order; non-finite numbers are `null`.
pub fn to_json(evaluation: &Evaluation, meta: &ReportMeta) -> serde_json::Result<String> {
    json::to_string(evaluation, meta)
}

/// The evaluation as one self-contained HTML page.
pub fn to_html(evaluation: &Evaluation, meta: &ReportMeta) -> String {
    html::page(evaluation, meta)
}

/// Writes [`to_json`] to `path`.
pub fn write_json(evaluation: &Evaluation, meta: &ReportMeta, path: &Path) -> std::io::Result<()> {
    let mut text = to_json(evaluation, meta).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(path, text)
}

/// Writes [`to_html`] to `path`.
pub fn write_html(evaluation: &Evaluation, meta: &ReportMeta, path: &Path) -> std::io::Result<()> {
    std::fs::write(path, to_html(evaluation, meta))
}
