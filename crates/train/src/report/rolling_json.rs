//! The rolling-origin evaluation as JSON: dedicated serde structs in a fixed key order, maps
//! sorted by key, every non-finite number written as `null`, and a realised precision of `null`
//! where nothing was automated.
//!
//! ```text
//! { "train_years": 3, "title", "data", "from", "to", "rule", "options": {…},
//!   "origins": [ { "train_from", "train_to", "test_from", "test_to", "train_lines",
//!                  "calibration_from", "train_months_without_lines", "lines", "invoices",
//!                  "joint_accuracy",
//!                  "automation": { "0.95": { "target", "threshold", "rate", "precision",
//!                                            "automated", "right", "invoices", "worst_month",
//!                                            "months": [ … ] },
//!                                  "0.99": { … } },
//!                  "months": [ { "month": "2021-01", "invoices", "automated", "right",
//!                                "automation_rate", "realised_precision" }, … ] } ] }
//! ```
//!
//! `months` is the 0.99 target's (`automation["0.99"].months`); every target's months are under
//! `automation`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::format::target_key;
use super::json::{finite, finite32, realised};
use crate::rolling::{
    MONTHS_TARGET, MonthFigures, OriginFigures, RULE, Rolling, RollingMeta, TargetFigures,
};

#[derive(Debug, Serialize)]
struct Report<'a> {
    train_years: u32,
    title: &'a str,
    data: &'a str,
    from: Option<String>,
    to: Option<String>,
    rule: &'static str,
    options: OptionsJson,
    origins: Vec<OriginJson>,
}

#[derive(Debug, Serialize)]
struct OptionsJson {
    target_precisions: Vec<Option<f64>>,
    min_support: Option<f32>,
    calibration_months: u32,
    /// `null`: all past lines weigh alike.
    half_life_days: Option<f64>,
    ranking_sample: usize,
}

#[derive(Debug, Serialize)]
struct OriginJson {
    train_from: String,
    train_to: String,
    test_from: String,
    test_to: String,
    train_lines: usize,
    calibration_from: String,
    train_months_without_lines: Vec<String>,
    lines: usize,
    invoices: usize,
    joint_accuracy: Option<f64>,
    automation: BTreeMap<String, TargetJson>,
    months: Vec<MonthJson>,
}

#[derive(Debug, Serialize)]
struct TargetJson {
    target: Option<f64>,
    /// Above 1 when nothing clears it.
    threshold: Option<f32>,
    rate: Option<f64>,
    /// `null` when nothing is automated.
    precision: Option<f64>,
    automated: usize,
    right: usize,
    invoices: usize,
    /// The month with the lowest realised precision among months with automated invoices.
    worst_month: Option<MonthJson>,
    months: Vec<MonthJson>,
}

#[derive(Debug, Clone, Serialize)]
struct MonthJson {
    month: String,
    invoices: usize,
    automated: usize,
    right: usize,
    /// `null` when the month has no invoices.
    automation_rate: Option<f64>,
    /// `null` when nothing is automated.
    realised_precision: Option<f64>,
}

/// The report as pretty JSON.
pub fn to_string(r: &Rolling, meta: &RollingMeta) -> serde_json::Result<String> {
    serde_json::to_string_pretty(&report(r, meta))
}

fn report<'a>(r: &'a Rolling, meta: &'a RollingMeta) -> Report<'a> {
    Report {
        train_years: r.train_years,
        title: &meta.title,
        data: &meta.data,
        from: r.period.map(|(from, _)| from.to_string()),
        to: r.period.map(|(_, to)| to.to_string()),
        rule: RULE,
        options: OptionsJson {
            target_precisions: r
                .train
                .target_precisions
                .iter()
                .map(|&t| finite(t))
                .collect(),
            min_support: finite32(r.train.min_support),
            calibration_months: r.train.calibration_months,
            half_life_days: r.train.half_life_days.and_then(finite),
            ranking_sample: r.train.ranking_sample,
        },
        origins: r.origins.iter().map(origin).collect(),
    }
}

fn origin(o: &OriginFigures) -> OriginJson {
    let w = &o.origin;
    OriginJson {
        train_from: w.train_from.to_string(),
        train_to: w.train_to.to_string(),
        test_from: w.test_from.to_string(),
        test_to: w.test_to.to_string(),
        train_lines: o.train_lines,
        calibration_from: o.calibration_from.to_string(),
        train_months_without_lines: o
            .train_months_without_lines
            .iter()
            .map(|m| m.format("%Y-%m").to_string())
            .collect(),
        lines: o.lines,
        invoices: o.invoices,
        joint_accuracy: finite(o.joint_accuracy),
        automation: o
            .targets
            .iter()
            .map(|t| (target_key(t.target), target(t)))
            .collect(),
        months: o
            .target(MONTHS_TARGET)
            .map(|t| t.months.iter().map(month).collect())
            .unwrap_or_default(),
    }
}

fn target(t: &TargetFigures) -> TargetJson {
    let a = &t.automation;
    TargetJson {
        target: finite(t.target),
        threshold: finite32(a.threshold),
        rate: finite(a.rate),
        precision: realised(a),
        automated: a.automated,
        right: t.right(),
        invoices: a.invoices,
        worst_month: t.worst_month().map(month),
        months: t.months.iter().map(month).collect(),
    }
}

fn month(m: &MonthFigures) -> MonthJson {
    MonthJson {
        month: m.label(),
        invoices: m.automation.invoices,
        automated: m.automation.automated,
        right: m.right(),
        automation_rate: (m.automation.invoices > 0)
            .then_some(m.automation.rate)
            .and_then(finite),
        realised_precision: m.precision().and_then(finite),
    }
}
