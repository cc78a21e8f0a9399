//! The evaluation's analyst figures (curve, areas, worst accounts, confusions) on a hand-made
//! period with hand-computed answers, and the JSON and HTML reports written from them.

use chrono::NaiveDate;
use kontera_core::model::{Field, LineEvidence};
use kontera_train::evaluate::{
    AreaScore, Confusion, Evaluation, LabelPrecision, LineScore, RareLabels, Scored, evaluate,
    evaluate_scored,
};
use kontera_train::example::Example;
use kontera_train::fit::{TrainOptions, train};
use kontera_train::report::{
    AREA_TITLE, CURVE_TITLE, ReportMeta, to_html, to_json, write_html, write_json,
};
use kontera_train::threshold::{Automation, ThresholdChoice};
use serde_json::Value;

/// A test line: truth and the model's and baseline's scores side by side.
#[derive(Debug, Clone)]
struct Line {
    invoice: String,
    area: Option<&'static str>,
    account: &'static str,
    cost_centre: &'static str,
    date: NaiveDate,
    supplier: String,
    unit: String,
    text: String,
    /// The model's (account, cost centre) and confidence.
    predicted: (&'static str, &'static str),
    confidence: f32,
    /// The baseline's confidence and rightness.
    baseline: (f32, bool),
}

impl Example for Line {
    fn invoice(&self) -> &str {
        &self.invoice
    }
    fn date(&self) -> NaiveDate {
        self.date
    }
    fn evidence(&self) -> LineEvidence<'_> {
        LineEvidence {
            supplier: Some(&self.supplier),
            unit: Some(&self.unit),
            text: &self.text,
            amount: 100.0,
            ..LineEvidence::default()
        }
    }
    fn label(&self, field: Field) -> Option<&str> {
        match field {
            Field::Account => Some(self.account),
            Field::CostCentre => Some(self.cost_centre),
            Field::VatCode => None,
        }
    }
    fn area(&self) -> Option<&str> {
        self.area
    }
}

const CHILDREN: &str = "Børn & <unge>";
const ODD_LABEL: &str = "5100 <R&D>";

fn line(
    invoice: &str,
    area: Option<&'static str>,
    truth: (&'static str, &'static str),
    predicted: (&'static str, &'static str),
    confidence: f32,
    baseline: (f32, bool),
) -> Line {
    Line {
        invoice: invoice.to_owned(),
        area,
        account: truth.0,
        cost_centre: truth.1,
        date: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
        supplier: "s".to_owned(),
        unit: "u".to_owned(),
        text: String::new(),
        predicted,
        confidence,
        baseline,
    }
}

/// Seven invoices, 103 lines. Invoice outcomes (confidence = the product of the lines', right =
/// all right; a2's first line is certain, so a2 is its second line's 0.97):
/// a1 0.99 ✓, a2 0.97 ✗ (an account wrong), a3 0.5 ✓ — area "Børn & <unge>";
/// e1 0.99 ✗ (cost centre wrong), e2 0 ✓ — "Ældre" (its second line has no area);
/// u1 0.96 ✓ — no area; z 0 (95 bulk lines, never automated) — "Drift".
fn period() -> Vec<Line> {
    let none = (0.0, false);
    let mut lines = vec![
        line(
            "a1",
            Some(CHILDREN),
            ("4000", "10"),
            ("4000", "10"),
            0.99,
            (0.9, true),
        ),
        line(
            "a2",
            Some(CHILDREN),
            ("4000", "10"),
            ("4000", "10"),
            1.0,
            none,
        ),
        line(
            "a2",
            Some(CHILDREN),
            ("4000", "10"),
            ("4100", "10"),
            0.97,
            none,
        ),
        line(
            "a3",
            Some(CHILDREN),
            ("4000", "10"),
            ("4000", "10"),
            0.5,
            none,
        ),
        line(
            "e1",
            Some("Ældre"),
            ("4000", "20"),
            ("4000", "10"),
            0.99,
            (0.9, false),
        ),
        line(
            "e2",
            Some("Ældre"),
            ("4000", "20"),
            ("4000", "20"),
            0.0,
            none,
        ),
        line("e2", None, ("4000", "20"), ("4000", "20"), 0.9, none),
        line(
            "u1",
            None,
            ("4000", "30"),
            ("4000", "30"),
            0.96,
            (0.8, true),
        ),
    ];
    let bulk = [
        (55, "5000", "5000"),
        (10, ODD_LABEL, "5000"),
        (25, "6000", "6000"),
        (5, "6000", "6100"),
    ];
    for (n, truth, predicted) in bulk {
        for _ in 0..n {
            lines.push(line(
                "z",
                Some("Drift"),
                (truth, "40"),
                (predicted, "40"),
                0.0,
                none,
            ));
        }
    }
    lines
}

fn scored(lines: &[Line]) -> Scored<'static> {
    Scored {
        fields: vec![Field::Account, Field::CostCentre],
        lines: lines
            .iter()
            .map(|l| LineScore {
                labels: vec![Some(l.predicted.0), Some(l.predicted.1)],
                confidence: l.confidence,
            })
            .collect(),
        thresholds: vec![(0.99, 0.97), (0.95, 0.5)],
        baseline: lines.iter().map(|l| l.baseline).collect(),
        baseline_thresholds: vec![(0.99, 1.5), (0.95, 0.8)],
    }
}

fn evaluation() -> Evaluation {
    let lines = period();
    evaluate_scored(&lines, &scored(&lines))
}

fn meta() -> ReportMeta {
    ReportMeta {
        title: "Kontera <test> & \"report\"".to_owned(),
        model: "models/m.bin".to_owned(),
        data: "data/2025".to_owned(),
        from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn auto(threshold: f32, automated: usize, right: usize, invoices: usize) -> Automation {
    Automation {
        threshold,
        rate: automated as f64 / invoices as f64,
        precision: if automated == 0 {
            1.0
        } else {
            right as f64 / automated as f64
        },
        automated,
        invoices,
    }
}

#[test]
fn headline_figures_count_invoices_and_lines() {
    let e = evaluation();
    assert_eq!((e.rows, e.invoices), (103, 7));
    // Lines right in every field: 6 of the 8 small-invoice lines, 80 of the 95 bulk lines.
    assert!(
        close(e.joint_accuracy, 86.0 / 103.0),
        "{}",
        e.joint_accuracy
    );
    assert!(close(e.fields[0].top1_accuracy, 87.0 / 103.0));
    assert!(close(e.fields[1].top1_accuracy, 102.0 / 103.0));
    // At 0.97: a1, a2, e1 (one right); at 0.5 also u1 and a3.
    assert_eq!(
        e.automation,
        vec![(0.99, auto(0.97, 3, 1, 7)), (0.95, auto(0.5, 5, 3, 7))]
    );
    // Plans: nothing clears 1.5; at 0.8 a1, e1 and u1 (two right). Right lines: a1's and u1's.
    assert_eq!(
        e.baseline_automation,
        vec![(0.99, auto(1.5, 0, 0, 7)), (0.95, auto(0.8, 3, 2, 7))]
    );
    assert!(close(e.baseline_top1, 2.0 / 103.0));
}

#[test]
fn the_curve_runs_through_every_positive_invoice_confidence() {
    let e = evaluation();
    let got: Vec<(f32, f64, f64)> = e
        .curve
        .iter()
        .map(|p| (p.threshold, p.rate, p.precision))
        .collect();
    // 0.99: a1 ✓ e1 ✗; 0.97: + a2 ✗; 0.96: + u1 ✓; 0.5: + a3 ✓. e2 and z (0) never.
    let want = [
        (0.99, 2.0 / 7.0, 0.5),
        (0.97, 3.0 / 7.0, 1.0 / 3.0),
        (0.96, 4.0 / 7.0, 0.5),
        (0.5, 5.0 / 7.0, 0.6),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!(
            g.0 == w.0 && close(g.1, w.1) && close(g.2, w.2),
            "{g:?} vs {w:?}"
        );
    }
    let plans: Vec<(f32, f64, f64)> = e
        .baseline_curve
        .iter()
        .map(|p| (p.threshold, p.rate, p.precision))
        .collect();
    assert_eq!(plans.len(), 2);
    assert!(plans[0].0 == 0.9 && close(plans[0].1, 2.0 / 7.0) && close(plans[0].2, 0.5));
    assert!(plans[1].0 == 0.8 && close(plans[1].1, 3.0 / 7.0) && close(plans[1].2, 2.0 / 3.0));
}

#[test]
fn areas_are_scored_at_the_default_threshold_largest_first() {
    let e = evaluation();
    let area = |area: &str, invoices, automated, precision, rate| AreaScore {
        area: area.to_owned(),
        invoices,
        automated,
        precision,
        rate,
    };
    assert_eq!(
        e.per_area,
        vec![
            area(CHILDREN, 3, 2, Some(0.5), 2.0 / 3.0),
            area("Ældre", 2, 1, Some(0.0), 0.5),
            // Equal counts in name order; u1 (0.96) stays under the default 0.97.
            area("Drift", 1, 0, None, 0.0),
            area("unknown", 1, 0, None, 0.0),
        ]
    );
}

#[test]
fn worst_accounts_rare_accounts_and_confusions_are_counted_per_label() {
    let e = evaluation();
    // Predicted ≥ 20 times: 5000 (65, 55 right, 55 true) and 6000 (25, all right, 30 true);
    // 4000 (7), 4100 (1) and 6100 (5) are too rare to judge.
    assert_eq!(
        e.worst_accounts,
        vec![
            LabelPrecision {
                label: "5000".to_owned(),
                predicted: 65,
                right: 55,
                precision: 55.0 / 65.0,
                actual: 55,
            },
            LabelPrecision {
                label: "6000".to_owned(),
                predicted: 25,
                right: 25,
                precision: 1.0,
                actual: 30,
            },
        ]
    );
    // Fewer than 50 true lines: 4000 (8 lines, 7 right), 5100 <R&D> (10, 0), 6000 (30, 25).
    assert_eq!(
        e.rare_accounts,
        RareLabels {
            labels: 3,
            lines: 48,
            right: 32,
            recall: Some(32.0 / 48.0),
        }
    );
    let c = |field, truth: &str, predicted: &str, count| Confusion {
        field,
        truth: truth.to_owned(),
        predicted: predicted.to_owned(),
        count,
    };
    assert_eq!(
        e.confusions,
        vec![
            c(Field::Account, ODD_LABEL, "5000", 10),
            c(Field::Account, "6000", "6100", 5),
            c(Field::Account, "4000", "4100", 1),
            c(Field::CostCentre, "20", "10", 1),
        ]
    );
}

#[test]
fn the_json_report_has_every_key_with_the_evaluated_values() {
    let e = evaluation();
    let text = to_json(&e, &meta()).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let num = |v: &Value| v.as_f64().unwrap();
    assert_eq!(v["rows"], 103);
    assert_eq!(v["invoices"], 7);
    assert!(close(num(&v["joint_accuracy"]), 86.0 / 103.0));
    for field in ["account", "cost_centre"] {
        assert!(v["fields"][field]["top1_accuracy"].is_f64(), "{field}");
        assert!(v["fields"][field]["macro_f1"].is_f64(), "{field}");
    }
    assert!(close(
        num(&v["fields"]["account"]["top1_accuracy"]),
        87.0 / 103.0
    ));
    let a99 = &v["automation"]["0.99"];
    assert!(close(num(&a99["rate"]), 3.0 / 7.0));
    assert!(close(num(&a99["precision"]), 1.0 / 3.0));
    assert_eq!(num(&a99["threshold"]) as f32, 0.97);
    assert_eq!(a99["automated"], 3);
    let a95 = &v["automation"]["0.95"];
    assert!(close(num(&a95["rate"]), 5.0 / 7.0) && close(num(&a95["precision"]), 0.6));
    assert_eq!(a95["automated"], 5);
    let plans = &v["baseline"]["payment_plans"];
    assert!(close(num(&plans["top1_accuracy"]), 2.0 / 103.0));
    // Nothing automated: the threshold as it is, the precision null.
    assert_eq!(num(&plans["automation"]["0.99"]["threshold"]), 1.5);
    assert_eq!(plans["automation"]["0.99"]["automated"], 0);
    assert_eq!(plans["automation"]["0.99"]["rate"], 0.0);
    assert!(plans["automation"]["0.99"]["precision"].is_null());
    assert!(close(
        num(&plans["automation"]["0.95"]["precision"]),
        2.0 / 3.0
    ));
    assert_eq!(plans["curve"].as_array().unwrap().len(), 2);
    let curve = v["curve"].as_array().unwrap();
    assert_eq!(curve.len(), 4);
    assert!(close(num(&curve[3]["rate"]), 5.0 / 7.0) && close(num(&curve[3]["precision"]), 0.6));
    assert_eq!(v["per_area"][0]["area"], CHILDREN);
    assert!(close(num(&v["per_area"][0]["rate"]), 2.0 / 3.0));
    assert!(v["per_area"][3]["precision"].is_null());
    assert_eq!(v["worst_accounts"][0]["label"], "5000");
    assert_eq!(v["worst_accounts"][0]["predicted"], 65);
    assert_eq!(v["rare_accounts"]["lines"], 48);
    assert_eq!(v["confusions"][0]["field"], "account");
    assert_eq!(v["confusions"][0]["truth"], ODD_LABEL);
    assert_eq!(v["confusions"][3]["field"], "cost_centre");
    assert_eq!(v["meta"]["from"], "2025-01-01");
    assert_eq!(v["meta"]["title"], "Kontera <test> & \"report\"");
    // Deterministic: the same evaluation gives the same bytes.
    assert_eq!(to_json(&evaluation(), &meta()).unwrap(), text);
}

#[test]
fn the_json_report_never_holds_nan_or_infinity() {
    // An empty period and figures that are not numbers: every one becomes null.
    let empty: Vec<Line> = Vec::new();
    let mut e = evaluate_scored(&empty, &scored(&empty));
    assert_eq!(e.automation[0].1.automated, 0);
    e.joint_accuracy = f64::NAN;
    e.automation[1].1.threshold = f32::INFINITY;
    e.automation[1].1.rate = f64::NAN;
    let text = to_json(&e, &meta()).unwrap();
    for bad in ["NaN", "nan", "inf"] {
        assert!(!text.contains(bad), "{bad} in {text}");
    }
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["invoices"], 0);
    assert!(v["joint_accuracy"].is_null());
    assert!(v["automation"]["0.99"]["precision"].is_null());
    assert_eq!(
        num_or_panic(&v["automation"]["0.99"]["threshold"]) as f32,
        0.97
    );
    assert!(v["automation"]["0.95"]["threshold"].is_null());
    assert!(v["automation"]["0.95"]["rate"].is_null());
    assert_eq!(v["curve"], Value::Array(Vec::new()));
    assert!(v["rare_accounts"]["recall"].is_null());
}

fn num_or_panic(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn the_html_report_is_self_contained_and_escapes_data() {
    let e = evaluation();
    let html = to_html(&e, &meta());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(CURVE_TITLE) && html.contains(AREA_TITLE));
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(!html.to_lowercase().contains("<script"));
    // No external assets: the only address is the SVG namespace.
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    // Labels, areas and meta come from data: escaped, never raw.
    assert!(html.contains("5100 &lt;R&amp;D&gt;") && !html.contains(ODD_LABEL));
    assert!(html.contains("Børn &amp; &lt;unge&gt;") && !html.contains(CHILDREN));
    assert!(html.contains("Kontera &lt;test&gt; &amp; &quot;report&quot;"));
    // Headline figures: 3 of 7 automated (42.9%) at the 99% target, 33.3% of them right.
    assert!(html.contains("42.9%") && html.contains("33.3%"), "{html}");
    // The worst account with its precision, and the plans' empty block.
    assert!(html.contains("<td>5000</td>") && html.contains("84.6%"));
    assert!(html.contains("none (nothing automated)"));
}

#[test]
fn reports_are_written_to_files() {
    let e = evaluation();
    let dir = std::env::temp_dir().join(format!("kontera-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (json, html) = (dir.join("r.json"), dir.join("r.html"));
    write_json(&e, &meta(), &json).unwrap();
    write_html(&e, &meta(), &html).unwrap();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["invoices"], 7);
    assert_eq!(
        std::fs::read_to_string(&html).unwrap(),
        to_html(&e, &meta())
    );
    // A missing directory is an error, not a panic.
    assert!(write_json(&e, &meta(), &dir.join("missing/r.json")).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A small history for a real fit: per unit, one supplier whose lines always take one coding.
fn history() -> Vec<Line> {
    let mut lines = Vec::new();
    let units = [
        ("u1", "Skole", "4000", "10"),
        ("u2", "Ældre", "5000", "20"),
        ("u3", "Drift", "6000", "30"),
    ];
    for month in 0..30u32 {
        let date = NaiveDate::from_ymd_opt(2023 + (month / 12) as i32, month % 12 + 1, 10).unwrap();
        for (ui, (unit, area, account, cc)) in units.iter().enumerate() {
            for k in 0..3 {
                let mut l = line(
                    &format!("{month}-{ui}-{k}"),
                    Some(area),
                    (account, cc),
                    ("", ""),
                    0.0,
                    (0.0, false),
                );
                l.date = date;
                l.unit = (*unit).to_owned();
                l.supplier = format!("supplier-{ui}-{}", k % 2);
                l.text = format!("ydelse {unit} {k}");
                lines.push(l);
            }
        }
    }
    lines
}

#[test]
fn a_real_fit_evaluates_consistently() {
    let all = history();
    let cutoff = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let (train_lines, test): (Vec<Line>, Vec<Line>) =
        all.into_iter().partition(|l| l.date < cutoff);
    // A few hundred calibration invoices cannot make 99% credible: thresholds where the
    // measured precision reaches the target.
    let options = TrainOptions {
        ranking_sample: 500,
        thresholds: ThresholdChoice::Measured,
        ..TrainOptions::default()
    };
    let trained = train(&train_lines, &options, |_| {}).unwrap();
    let e = evaluate(&trained, &train_lines, &test);
    assert_eq!((e.rows, e.invoices), (54, 54));
    // Each unit's supplier always codes alike: the model automates, and rightly.
    assert!(e.automation[0].1.automated > 0, "{:?}", e.automation);
    assert_eq!(e.automation[0].1.precision, 1.0);
    // Areas partition the invoices and the default automation.
    assert_eq!(e.per_area.len(), 3);
    assert_eq!(e.per_area.iter().map(|a| a.invoices).sum::<usize>(), 54);
    assert_eq!(
        e.per_area.iter().map(|a| a.automated).sum::<usize>(),
        e.automation[0].1.automated
    );
    // The curve falls in threshold and rises in rate; it passes through each operating point.
    assert!(!e.curve.is_empty());
    assert!(
        e.curve
            .windows(2)
            .all(|w| w[0].threshold > w[1].threshold && w[0].rate < w[1].rate)
    );
    for (_, a) in e.automation.iter().filter(|(_, a)| a.automated > 0) {
        let p = e
            .curve
            .iter()
            .rev()
            .find(|p| p.threshold >= a.threshold)
            .unwrap();
        assert!(
            close(p.rate, a.rate) && close(p.precision, a.precision),
            "{p:?} {a:?}"
        );
    }
    // The codings are deterministic per unit, so nothing is confused.
    assert!(e.confusions.is_empty(), "{:?}", e.confusions);
    let v: Value = serde_json::from_str(&to_json(&e, &meta()).unwrap()).unwrap();
    assert!(v["fields"]["account"]["top1_accuracy"].is_f64());
    assert_eq!(v["rows"], 54);
}
