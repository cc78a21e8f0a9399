//! The comparison as JSON: dedicated serde structs in a fixed key order, the evaluation report's
//! blocks for automation, fields and curves, every non-finite number written as `null`, and the
//! first [`JSON_DIFFERENCES`] invoices decided differently (the HTML page lists fewer), with the
//! count of all. Figures at equal realised precision are under keys that say so
//! (`equal_precision`, `confidence_cut`), apart from each model's own thresholds
//! (`own_threshold`, `automation`): the cuts are chosen on the compared invoices and never served.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    AreaFigures, CompareMeta, Comparison, Decision, Difference, DifferenceKind, EQUAL_PRECISION,
    FINGERPRINT_METHOD, Judgement, LineCodings, ModelFigures, RESAMPLED, Side,
};
use crate::compare::bootstrap::Interval;
use crate::report::format::target_key;
use crate::report::json::{
    AutomationJson, FieldJson, PointJson, automation, automation_block, curve, fields, finite,
    finite32,
};
use crate::threshold::Automation;

/// Invoices decided differently listed in the JSON report (about 2.5 kB each); `count` has them
/// all.
pub const JSON_DIFFERENCES: usize = 10_000;

#[derive(Debug, Serialize)]
struct Report<'a> {
    meta: Meta<'a>,
    verdict: VerdictJson,
    evaluated: Evaluated<'a>,
    fields: Vec<&'static str>,
    champion: ModelJson<'a>,
    challenger: ModelJson<'a>,
    differences: Differences<'a>,
}

#[derive(Debug, Serialize)]
struct Meta<'a> {
    title: &'a str,
    champion: &'a str,
    challenger: &'a str,
    data: &'a str,
    from: String,
    to: String,
}

#[derive(Debug, Serialize)]
struct VerdictJson {
    text: String,
    /// `"champion"`, `"challenger"`, or `null`: the model ahead at equal realised precision at
    /// one target at least (the interval wholly on its side) and clearly behind at none.
    winner: Option<&'static str>,
    /// [`EQUAL_PRECISION`]: what the verdict compares.
    basis: &'static str,
    /// One per target precision, the service's decision target first.
    targets: Vec<JudgementJson>,
    /// One sentence per model and target whose own threshold realised below the target on the
    /// period.
    calibration_warnings: Vec<WarningJson>,
    bootstrap: BootstrapJson,
}

/// The two models compared at one target precision.
#[derive(Debug, Serialize)]
struct JudgementJson {
    target: Option<f64>,
    /// `"champion"`, `"challenger"`, or `null`: the model automating more at this target with
    /// the interval wholly on its side.
    ahead: Option<&'static str>,
    /// At equal realised precision, challenger minus champion, as a share of invoices.
    automation_difference_at_equal_precision: Option<f64>,
    automation_interval_at_equal_precision: IntervalJson,
    /// Each model's operating point at equal realised precision (chosen on the compared
    /// invoices; never served).
    equal_precision: SidesJson<OperatingPointJson>,
    /// Each model at its own threshold for the target: what the service would deliver.
    own_threshold: SidesJson<AutomationJson>,
}

#[derive(Debug, Serialize)]
struct SidesJson<T> {
    champion: T,
    challenger: T,
}

/// An operating point at equal realised precision, chosen on the compared invoices.
#[derive(Debug, Serialize)]
struct OperatingPointJson {
    target: Option<f64>,
    /// Invoices at least this confident are automated; `null` when none reach the target. Cut on
    /// the compared invoices to compare rankings; never served or written to a model.
    confidence_cut: Option<f32>,
    rate: Option<f64>,
    /// `null` when nothing is automated.
    realised_precision: Option<f64>,
    automated: usize,
    invoices: usize,
}

#[derive(Debug, Serialize)]
struct WarningJson {
    side: &'static str,
    target: Option<f64>,
    /// The model's own threshold, chosen on its training window.
    own_threshold: Option<f32>,
    realised_precision: Option<f64>,
    text: String,
}

#[derive(Debug, Serialize)]
struct IntervalJson {
    low: Option<f64>,
    high: Option<f64>,
    level: Option<f64>,
}

#[derive(Debug, Serialize)]
struct BootstrapJson {
    resampled: &'static str,
    resamples: usize,
    seed: u64,
    interval: &'static str,
}

#[derive(Debug, Serialize)]
struct Evaluated<'a> {
    invoices: usize,
    lines: usize,
    fingerprint: &'a str,
    fingerprint_method: &'static str,
}

#[derive(Debug, Serialize)]
struct ModelJson<'a> {
    trained_from: String,
    trained_to: String,
    invoices: usize,
    lines: usize,
    fingerprint: &'a str,
    joint_accuracy: Option<f64>,
    fields: BTreeMap<&'static str, FieldJson>,
    /// At the model's own thresholds, chosen on its training window (what it would serve).
    automation: BTreeMap<String, AutomationJson>,
    /// At equal realised precision, by target: cut on the compared invoices, never served.
    equal_precision: BTreeMap<String, OperatingPointJson>,
    per_area: Vec<AreaJson<'a>>,
    curve: Vec<PointJson>,
}

#[derive(Debug, Serialize)]
struct AreaJson<'a> {
    area: &'a str,
    invoices: usize,
    lines: usize,
    joint_accuracy: Option<f64>,
    fields: BTreeMap<&'static str, FieldJson>,
    automation: BTreeMap<String, AutomationJson>,
}

#[derive(Debug, Serialize)]
struct Differences<'a> {
    count: usize,
    only_champion_automates: usize,
    only_challenger_automates: usize,
    coded_differently: usize,
    /// How many are listed in `invoices`: the first [`JSON_DIFFERENCES`].
    listed: usize,
    invoices: Vec<DifferenceJson<'a>>,
}

#[derive(Debug, Serialize)]
struct DifferenceJson<'a> {
    invoice: &'a str,
    area: &'a str,
    kind: &'static str,
    champion: DecisionJson,
    challenger: DecisionJson,
    lines: Vec<LineJson<'a>>,
}

#[derive(Debug, Serialize)]
struct DecisionJson {
    automated: bool,
    confidence: Option<f32>,
    right: bool,
}

#[derive(Debug, Serialize)]
struct LineJson<'a> {
    text: &'a str,
    truth: BTreeMap<&'static str, Option<&'a str>>,
    champion: BTreeMap<&'static str, Option<&'a str>>,
    challenger: BTreeMap<&'static str, Option<&'a str>>,
}

/// The report as pretty JSON.
pub fn to_string(c: &Comparison, meta: &CompareMeta) -> serde_json::Result<String> {
    serde_json::to_string_pretty(&report(c, meta))
}

fn report<'a>(c: &'a Comparison, meta: &'a CompareMeta) -> Report<'a> {
    let v = &c.verdict;
    let names: Vec<&'static str> = c.fields.iter().map(|f| f.as_str()).collect();
    Report {
        meta: Meta {
            title: &meta.title,
            champion: &meta.champion,
            challenger: &meta.challenger,
            data: &meta.data,
            from: meta.from.to_string(),
            to: meta.to.to_string(),
        },
        verdict: VerdictJson {
            text: v.sentence(),
            winner: v.winner.map(Side::as_str),
            basis: EQUAL_PRECISION,
            targets: v.judgements.iter().map(judgement).collect(),
            calibration_warnings: v
                .below_target()
                .into_iter()
                .zip(v.calibration_warnings())
                .map(|((side, target, a), text)| WarningJson {
                    side: side.as_str(),
                    target: finite(target),
                    own_threshold: finite32(a.threshold),
                    realised_precision: finite(a.precision),
                    text,
                })
                .collect(),
            bootstrap: BootstrapJson {
                resampled: RESAMPLED,
                resamples: v.bootstrap.resamples,
                seed: v.bootstrap.seed,
                interval: "percentile (nearest rank) of the resampled differences",
            },
        },
        evaluated: Evaluated {
            invoices: c.invoices,
            lines: c.lines,
            fingerprint: &c.fingerprint,
            fingerprint_method: FINGERPRINT_METHOD,
        },
        champion: model(&c.champion),
        challenger: model(&c.challenger),
        differences: Differences {
            count: c.differences.len(),
            only_champion_automates: c.count(DifferenceKind::OnlyChampionAutomates),
            only_challenger_automates: c.count(DifferenceKind::OnlyChallengerAutomates),
            coded_differently: c.count(DifferenceKind::CodedDifferently),
            listed: c.differences.len().min(JSON_DIFFERENCES),
            invoices: c
                .differences
                .iter()
                .take(JSON_DIFFERENCES)
                .map(|d| difference(d, &names))
                .collect(),
        },
        fields: names,
    }
}

fn judgement(j: &Judgement) -> JudgementJson {
    JudgementJson {
        target: finite(j.target),
        ahead: j.ahead().map(Side::as_str),
        automation_difference_at_equal_precision: finite(j.difference),
        automation_interval_at_equal_precision: interval(&j.interval),
        equal_precision: SidesJson {
            champion: operating_point(j.target, &j.champion),
            challenger: operating_point(j.target, &j.challenger),
        },
        own_threshold: SidesJson {
            champion: automation_block(j.target, &j.champion_own),
            challenger: automation_block(j.target, &j.challenger_own),
        },
    }
}

fn interval(i: &Interval) -> IntervalJson {
    IntervalJson {
        low: finite(i.low),
        high: finite(i.high),
        level: finite(i.level),
    }
}

fn operating_point(target: f64, a: &Automation) -> OperatingPointJson {
    let automated = a.automated > 0;
    OperatingPointJson {
        target: finite(target),
        confidence_cut: finite32(a.threshold).filter(|_| automated),
        rate: finite(a.rate),
        realised_precision: finite(a.precision).filter(|_| automated),
        automated: a.automated,
        invoices: a.invoices,
    }
}

fn model(m: &ModelFigures) -> ModelJson<'_> {
    ModelJson {
        trained_from: m.trained_from.to_string(),
        trained_to: m.trained_to.to_string(),
        invoices: m.invoices,
        lines: m.lines,
        fingerprint: &m.fingerprint,
        joint_accuracy: finite(m.joint_accuracy),
        fields: fields(&m.fields),
        automation: automation(&m.automation),
        equal_precision: m
            .equal_precision
            .iter()
            .map(|(target, a)| (target_key(*target), operating_point(*target, a)))
            .collect(),
        per_area: m.per_area.iter().map(area).collect(),
        curve: curve(&m.curve),
    }
}

fn area(a: &AreaFigures) -> AreaJson<'_> {
    AreaJson {
        area: &a.area,
        invoices: a.invoices,
        lines: a.lines,
        joint_accuracy: finite(a.joint_accuracy),
        fields: fields(&a.fields),
        automation: automation(&a.automation),
    }
}

fn difference<'a>(d: &'a Difference, names: &[&'static str]) -> DifferenceJson<'a> {
    DifferenceJson {
        invoice: &d.invoice,
        area: &d.area,
        kind: d.kind.as_str(),
        champion: decision(&d.champion),
        challenger: decision(&d.challenger),
        lines: d.lines.iter().map(|l| line(l, names)).collect(),
    }
}

fn decision(d: &Decision) -> DecisionJson {
    DecisionJson {
        automated: d.automated,
        confidence: finite32(d.confidence),
        right: d.right,
    }
}

fn line<'a>(l: &'a LineCodings, names: &[&'static str]) -> LineJson<'a> {
    let coding = |labels: &'a [Option<String>]| {
        names
            .iter()
            .zip(labels)
            .map(|(&n, l)| (n, l.as_deref()))
            .collect()
    };
    LineJson {
        text: &l.text,
        truth: coding(&l.truth),
        champion: coding(&l.champion),
        challenger: coding(&l.challenger),
    }
}
