//! Rolling-origin evaluation on generated data (seed 7, five years of 2,000 invoices, 2022–2026,
//! every line mapped onto the newest chart as `kontera evaluate` does): with three training years
//! the origins are 2025 and 2026, each trained on exactly the three years before it; the months
//! add up to the year; and every month's automated and right invoices are what a direct
//! evaluation of the same model on that month's lines finds.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use kontera_core::model::fit::FitOptions;
use kontera_core::precedence::RuleSet;
use kontera_train::LabelledLine;
use kontera_train::evaluate::evaluate_with;
use kontera_train::example::Example;
use kontera_train::fit::{TrainOptions, Trained};
use kontera_train::rolling::{
    AUTOMATION_TITLE, OriginFigures, PRECISION_TITLE, Rolling, RollingError, RollingMeta,
    RollingOptions, evaluate_origin, origins, rolling, to_html, to_json,
};

mod common;
use common::{Generated, d, generated};

fn data() -> &'static (Generated, Vec<LabelledLine>) {
    static DATA: OnceLock<(Generated, Vec<LabelledLine>)> = OnceLock::new();
    DATA.get_or_init(|| {
        let g = generated(5, 2_000, 7, 2022);
        let lines = g.lines(None, None, d(2026, 12, 31));
        (g, lines)
    })
}

fn train_options() -> TrainOptions {
    TrainOptions {
        ranking_sample: 6_000,
        fit: FitOptions {
            iterations: 60,
            ..FitOptions::default()
        },
        ..TrainOptions::default()
    }
}

fn options() -> RollingOptions {
    RollingOptions {
        train_years: 3,
        period: None,
        train: train_options(),
    }
}

fn evaluated() -> &'static Rolling {
    static ROLLING: OnceLock<Rolling> = OnceLock::new();
    ROLLING.get_or_init(|| {
        let (g, lines) = data();
        let mut messages = Vec::new();
        let r = rolling(lines, &options(), Some(&g.chart), |m| {
            messages.push(m.to_owned());
        })
        .unwrap();
        let want = [
            "origin 1/2: training 2022-01-01..2024-12-31 (",
            "origin 1/2: evaluating 2025-01-01..2025-12-31 (",
            "origin 2/2: training 2023-01-01..2025-12-31 (",
            "origin 2/2: evaluating 2026-01-01..2026-12-31 (",
        ];
        assert_eq!(messages.len(), want.len(), "{messages:?}");
        for (got, want) in messages.iter().zip(want) {
            assert!(got.starts_with(want), "{got} should start with {want}");
        }
        r
    })
}

/// The first origin trained and measured on its own, with its model.
fn first_origin() -> &'static (Trained, OriginFigures) {
    static FIRST: OnceLock<(Trained, OriginFigures)> = OnceLock::new();
    FIRST.get_or_init(|| {
        let (g, lines) = data();
        let origin = evaluated().origins[0].origin;
        evaluate_origin(lines, &origin, &train_options(), Some(&g.chart), |_| {}).unwrap()
    })
}

fn print(o: &OriginFigures) {
    for t in &o.targets {
        println!(
            "{} at {}: {} of {} invoices automated ({:.4}), precision {:.4}, threshold {:.4}",
            o.origin.test_year,
            t.target,
            t.automation.automated,
            t.automation.invoices,
            t.automation.rate,
            t.automation.precision,
            t.automation.threshold
        );
    }
}

#[test]
fn five_years_give_two_origins_each_trained_on_exactly_the_three_years_before() {
    let (_, lines) = data();
    let r = evaluated();
    let years: Vec<i32> = r.origins.iter().map(|o| o.origin.test_year).collect();
    assert_eq!(years, vec![2025, 2026]);
    for o in &r.origins {
        print(o);
        let w = &o.origin;
        let y = w.test_year;
        assert_eq!(w.train_from, d(y - 3, 1, 1));
        assert_eq!(w.train_to, d(y - 1, 12, 31));
        assert_eq!((w.test_from, w.test_to), (d(y, 1, 1), d(y, 12, 31)));
        assert!(w.train_to < w.test_from, "the windows never overlap");
        // Exactly the window's lines were trained on and exactly the year's evaluated.
        let in_window = lines.iter().filter(|l| w.trains_on(l.date())).count();
        assert_eq!(o.train_lines, in_window);
        assert_eq!(
            o.lines,
            lines.iter().filter(|l| l.date().year() == y).count()
        );
        assert!(o.calibration_from > w.train_from && o.calibration_from <= w.train_to);
        assert!(o.train_months_without_lines.is_empty());
        assert!(o.joint_accuracy > 0.5, "{}", o.joint_accuracy);
        let targets: Vec<f64> = o.targets.iter().map(|t| t.target).collect();
        assert_eq!(targets, vec![0.99, 0.95]);
    }
    // With four training years only 2026 is an origin; with five, none.
    let dates = || lines.iter().map(Example::date);
    assert_eq!(origins(dates(), 4, None).len(), 1);
    assert!(origins(dates(), 5, None).is_empty());
}

#[test]
fn the_model_of_an_origin_never_saw_its_test_year() {
    let (trained, figures) = first_origin();
    let origin = figures.origin;
    assert!(trained.first_day >= origin.train_from);
    assert!(trained.last_day <= origin.train_to);
    assert!(trained.last_day < origin.test_from);
    // The origin evaluated alone is the same as within the rolling evaluation.
    assert_eq!(figures, &evaluated().origins[0]);
}

#[test]
fn the_months_add_up_to_the_year() {
    for o in &evaluated().origins {
        for t in &o.targets {
            assert_eq!(t.months.len(), 12);
            let months: Vec<u32> = t.months.iter().map(|m| m.month.month()).collect();
            assert_eq!(months, (1..=12).collect::<Vec<_>>());
            let sum = |f: &dyn Fn(&kontera_train::threshold::Automation) -> usize| {
                t.months.iter().map(|m| f(&m.automation)).sum::<usize>()
            };
            assert_eq!(sum(&|a| a.invoices), o.invoices);
            assert_eq!(t.automation.invoices, o.invoices);
            assert_eq!(sum(&|a| a.automated), t.automation.automated);
            let right: usize = t.months.iter().map(|m| m.right()).sum();
            assert_eq!(right, t.right());
            if let Some(w) = t.worst_month() {
                let p = w.automation.precision;
                assert!(
                    t.months
                        .iter()
                        .all(|m| m.automation.automated == 0 || m.automation.precision >= p)
                );
            }
        }
    }
}

/// The lines of `test` dated in `month` (its first day).
fn month_lines(test: &[LabelledLine], month: NaiveDate) -> Vec<LabelledLine> {
    test.iter()
        .filter(|l| (l.date().year(), l.date().month()) == (month.year(), month.month()))
        .cloned()
        .collect()
}

#[test]
fn each_month_agrees_with_a_direct_evaluation_of_the_same_model() {
    let (g, lines) = data();
    let (trained, figures) = first_origin();
    let origin = figures.origin;
    let train_lines: Vec<LabelledLine> = lines
        .iter()
        .filter(|l| origin.trains_on(l.date()))
        .cloned()
        .collect();
    let test: Vec<LabelledLine> = lines
        .iter()
        .filter(|l| origin.tests_on(l.date()))
        .cloned()
        .collect();
    let mut automated = 0;
    for (ti, t) in figures.targets.iter().enumerate() {
        for m in &t.months {
            let lines = month_lines(&test, m.month);
            if lines.is_empty() {
                assert_eq!(m.automation.invoices, 0);
                continue;
            }
            let e = evaluate_with(
                trained,
                &train_lines,
                &lines,
                Some(&g.chart),
                &RuleSet::default(),
            );
            let (target, direct) = e.automation[ti];
            assert_eq!(target, t.target);
            assert_eq!(
                (m.automation.invoices, m.automation.automated),
                (direct.invoices, direct.automated),
                "{} at {target}",
                m.label()
            );
            let direct_right = (direct.precision * direct.automated as f64).round() as usize;
            assert_eq!(m.right(), direct_right, "{} at {target}", m.label());
            assert_eq!(m.automation, direct, "{} at {target}", m.label());
            automated += m.automation.automated;
        }
    }
    assert!(automated > 0, "something is automated in some month");
}

#[test]
fn the_reports_have_fixed_keys_and_both_charts() {
    let r = evaluated();
    let meta = RollingMeta {
        title: "Rolling <test>".to_owned(),
        data: "generated".to_owned(),
    };
    let text = to_json(r, &meta).unwrap();
    assert_eq!(text, to_json(r, &meta).unwrap(), "deterministic");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["train_years"], 3);
    let origin = &json["origins"][0];
    for key in [
        "train_from",
        "train_to",
        "test_from",
        "test_to",
        "invoices",
        "automation",
        "months",
    ] {
        assert!(!origin[key].is_null(), "{key}");
    }
    assert_eq!(origin["train_from"], "2022-01-01");
    assert_eq!(origin["test_to"], "2025-12-31");
    for target in ["0.99", "0.95"] {
        let a = &origin["automation"][target];
        for key in ["rate", "threshold", "months"] {
            assert!(!a[key].is_null(), "{target} {key}");
        }
    }
    let months = origin["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0]["month"], "2025-01");
    assert_eq!(
        months,
        origin["automation"]["0.99"]["months"].as_array().unwrap()
    );
    let sum: u64 = months.iter().map(|m| m["invoices"].as_u64().unwrap()).sum();
    assert_eq!(Some(sum), origin["invoices"].as_u64());
    for key in ["automated", "automation_rate", "realised_precision"] {
        assert!(months[0].get(key).is_some(), "{key}");
    }

    let html = to_html(r, &meta);
    assert!(html.contains("Rolling &lt;test&gt;") && !html.contains("<test>"));
    assert!(html.contains(&format!(
        "<title>{PRECISION_TITLE} at the 99% target</title>"
    )));
    assert!(html.contains(&format!(
        "<title>{AUTOMATION_TITLE} at the 99% target</title>"
    )));
    assert!(html.contains("Test year 2025") && html.contains("Test year 2026"));
    assert!(!html.contains("<script"));
}

#[test]
fn too_little_data_for_the_training_years_is_an_error_that_says_what_to_change() {
    let (_, lines) = data();
    let five = RollingOptions {
        train_years: 5,
        ..options()
    };
    let err = rolling(lines, &five, None, |_| {}).unwrap_err();
    assert!(matches!(err, RollingError::NoOrigins { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("--train-years"), "{text}");
    assert!(text.contains("2022-01-0"), "{text}");
    let outside = RollingOptions {
        period: Some((d(2030, 1, 1), d(2030, 12, 31))),
        ..options()
    };
    let err = rolling(lines, &outside, None, |_| {}).unwrap_err();
    assert_eq!(err, RollingError::Empty);
}
