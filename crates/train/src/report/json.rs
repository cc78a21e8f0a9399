//! The JSON report: dedicated serde structs (the domain types stay free of serde), fields in a
//! fixed order, maps sorted by key, and every non-finite number written as `null`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ReportMeta;
use super::format::target_key;
use crate::evaluate::{
    AreaScore, Confusion, CurvePoint, Evaluation, FieldScore, LabelPrecision, RareLabels,
};
use crate::threshold::Automation;

#[derive(Debug, Serialize)]
struct Report<'a> {
    meta: Meta<'a>,
    rows: usize,
    invoices: usize,
    joint_accuracy: Option<f64>,
    fields: BTreeMap<&'static str, FieldJson>,
    automation: BTreeMap<String, AutomationJson>,
    curve: Vec<PointJson>,
    baseline: Baseline,
    per_area: Vec<AreaJson<'a>>,
    worst_accounts: Vec<LabelJson<'a>>,
    rare_accounts: RareJson,
    confusions: Vec<ConfusionJson<'a>>,
}

#[derive(Debug, Serialize)]
struct Meta<'a> {
    title: &'a str,
    model: &'a str,
    data: &'a str,
    from: String,
    to: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct FieldJson {
    top1_accuracy: Option<f64>,
    macro_f1: Option<f64>,
}

#[derive(Debug, Serialize)]
pub(crate) struct AutomationJson {
    target: Option<f64>,
    /// Above 1 when nothing clears it.
    threshold: Option<f32>,
    rate: Option<f64>,
    /// `null` when nothing is automated.
    precision: Option<f64>,
    automated: usize,
    invoices: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct PointJson {
    threshold: Option<f32>,
    rate: Option<f64>,
    precision: Option<f64>,
}

#[derive(Debug, Serialize)]
struct Baseline {
    payment_plans: Plans,
}

#[derive(Debug, Serialize)]
struct Plans {
    top1_accuracy: Option<f64>,
    automation: BTreeMap<String, AutomationJson>,
    curve: Vec<PointJson>,
}

#[derive(Debug, Serialize)]
struct AreaJson<'a> {
    area: &'a str,
    invoices: usize,
    automated: usize,
    rate: Option<f64>,
    precision: Option<f64>,
}

#[derive(Debug, Serialize)]
struct LabelJson<'a> {
    label: &'a str,
    predicted: usize,
    right: usize,
    precision: Option<f64>,
    actual: usize,
}

#[derive(Debug, Serialize)]
struct RareJson {
    max_lines: usize,
    labels: usize,
    lines: usize,
    right: usize,
    recall: Option<f64>,
}

#[derive(Debug, Serialize)]
struct ConfusionJson<'a> {
    field: &'static str,
    truth: &'a str,
    predicted: &'a str,
    count: usize,
}

/// The report as pretty JSON.
pub fn to_string(e: &Evaluation, meta: &ReportMeta) -> serde_json::Result<String> {
    serde_json::to_string_pretty(&report(e, meta))
}

fn report<'a>(e: &'a Evaluation, meta: &'a ReportMeta) -> Report<'a> {
    Report {
        meta: Meta {
            title: &meta.title,
            model: &meta.model,
            data: &meta.data,
            from: meta.from.to_string(),
            to: meta.to.to_string(),
        },
        rows: e.rows,
        invoices: e.invoices,
        joint_accuracy: finite(e.joint_accuracy),
        fields: fields(&e.fields),
        automation: automation(&e.automation),
        curve: curve(&e.curve),
        baseline: Baseline {
            payment_plans: Plans {
                top1_accuracy: finite(e.baseline_top1),
                automation: automation(&e.baseline_automation),
                curve: curve(&e.baseline_curve),
            },
        },
        per_area: e.per_area.iter().map(area).collect(),
        worst_accounts: e.worst_accounts.iter().map(label).collect(),
        rare_accounts: rare(&e.rare_accounts),
        confusions: e.confusions.iter().map(confusion).collect(),
    }
}

/// Per field (by its name): top-1 accuracy and macro-F1.
pub(crate) fn fields(scores: &[FieldScore]) -> BTreeMap<&'static str, FieldJson> {
    scores
        .iter()
        .map(|f| {
            (
                f.field.as_str(),
                FieldJson {
                    top1_accuracy: finite(f.top1_accuracy),
                    macro_f1: finite(f.macro_f1),
                },
            )
        })
        .collect()
}

pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

pub(crate) fn finite32(x: f32) -> Option<f32> {
    x.is_finite().then_some(x)
}

pub(crate) fn automation(blocks: &[(f64, Automation)]) -> BTreeMap<String, AutomationJson> {
    blocks
        .iter()
        .map(|(target, a)| (target_key(*target), automation_block(*target, a)))
        .collect()
}

/// The automation at `target` (at a model's own threshold for it).
pub(crate) fn automation_block(target: f64, a: &Automation) -> AutomationJson {
    AutomationJson {
        target: finite(target),
        threshold: finite32(a.threshold),
        rate: finite(a.rate),
        precision: realised(a),
        automated: a.automated,
        invoices: a.invoices,
    }
}

/// The precision an automation realised; `None` when it automated nothing.
pub(crate) fn realised(a: &Automation) -> Option<f64> {
    if a.automated == 0 {
        None
    } else {
        finite(a.precision)
    }
}

pub(crate) fn curve(points: &[CurvePoint]) -> Vec<PointJson> {
    points
        .iter()
        .map(|p| PointJson {
            threshold: finite32(p.threshold),
            rate: finite(p.rate),
            precision: finite(p.precision),
        })
        .collect()
}

fn area(a: &AreaScore) -> AreaJson<'_> {
    AreaJson {
        area: &a.area,
        invoices: a.invoices,
        automated: a.automated,
        rate: finite(a.rate),
        precision: a.precision.and_then(finite),
    }
}

fn label(l: &LabelPrecision) -> LabelJson<'_> {
    LabelJson {
        label: &l.label,
        predicted: l.predicted,
        right: l.right,
        precision: finite(l.precision),
        actual: l.actual,
    }
}

fn rare(r: &RareLabels) -> RareJson {
    RareJson {
        max_lines: crate::evaluate::RARE_LABEL_LINES - 1,
        labels: r.labels,
        lines: r.lines,
        right: r.right,
        recall: r.recall.and_then(finite),
    }
}

fn confusion(c: &Confusion) -> ConfusionJson<'_> {
    ConfusionJson {
        field: c.field.as_str(),
        truth: &c.truth,
        predicted: &c.predicted,
        count: c.count,
    }
}
