//! Comparing two models on generated data (seed 42, five years of 4,000 invoices, 2022–2026):
//! a champion trained on years 1–3 and a challenger on years 2–4, compared on year 5. Both are
//! scored on identical invoices; a model compared with itself differs by exactly nothing; a period
//! inside a training window is refused.
//!
//! The issue expected the challenger to automate more at 99% with an interval above zero. On this
//! data it does not, and the test says what does hold. The challenger is the better model — more
//! accurate in every field, and the only one whose most confident invoices reach 99% precision in
//! year 5 — but each model automates at its *own* 99% threshold, chosen on the last six months of
//! its window, where 99% precision leaves room for about one wrong invoice in a hundred and the
//! threshold moves with a handful of invoices: the champion's (0.968) turned out lenient and
//! realises 97.4% in year 5; the challenger's (0.998) strict, 98.5%. So the champion automates 19
//! points more, but at a clearly lower precision (the paired interval of the precision difference
//! excludes 0), and the verdict names no winner rather than the less precise model. A challenger
//! trained on four years against a champion trained on one is better by 11 points, interval above
//! zero, at the same precision.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use kontera_core::model::Field;
use kontera_core::model::fit::FitOptions;
use kontera_train::LabelledLine;
use kontera_train::compare::{
    CompareError, CompareMeta, CompareOptions, Comparison, DifferenceKind, HTML_DIFFERENCES,
    JSON_DIFFERENCES, ModelFigures, Side, compare, fingerprint, to_html, to_json,
};
use kontera_train::evaluate::FieldScore;
use kontera_train::example::Example;
use kontera_train::fit::{TrainOptions, Trained, train};

mod common;
use common::{Generated, d, generated};

/// Five generated years, 2022–2026 (the chart changes at the start of 2026, the compared year).
fn data() -> &'static Generated {
    static DATA: OnceLock<Generated> = OnceLock::new();
    DATA.get_or_init(|| generated(5, 4_000, 42, 2022))
}

/// Every window is mapped onto the newest chart, as `kontera train` and `compare` do.
fn lines(from: (i32, u32, u32), to: (i32, u32, u32)) -> Vec<LabelledLine> {
    data().lines(
        Some(d(from.0, from.1, from.2)),
        Some(d(to.0, to.1, to.2)),
        d(2026, 12, 31),
    )
}

fn options() -> TrainOptions {
    TrainOptions {
        ranking_sample: 8_000,
        fit: FitOptions {
            iterations: 80,
            ..FitOptions::default()
        },
        ..TrainOptions::default()
    }
}

struct Fixture {
    test: Vec<LabelledLine>,
    champion: Trained,
    challenger: Trained,
    comparison: Comparison,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let champion = train(&lines((2022, 1, 1), (2024, 12, 31)), &options(), |_| {}).unwrap();
        let challenger = train(&lines((2023, 1, 1), (2025, 12, 31)), &options(), |_| {}).unwrap();
        let test = lines((2026, 1, 1), (2026, 12, 31));
        let comparison = compare(
            &champion,
            &challenger,
            &test,
            Some(&data().chart),
            &CompareOptions::default(),
        )
        .unwrap();
        Fixture {
            test,
            champion,
            challenger,
            comparison,
        }
    })
}

fn print(c: &Comparison) {
    println!("{}", c.verdict.sentence());
    for (name, m) in [("champion", &c.champion), ("challenger", &c.challenger)] {
        for (target, a) in &m.automation {
            println!(
                "{name} at {target}: automates {:.4} ({} of {}) with precision {:.4}, threshold {:.4}",
                a.rate, a.automated, a.invoices, a.precision, a.threshold
            );
        }
        for f in &m.fields {
            println!(
                "{name} {}: top-1 {:.4}, macro-F1 {:.4}",
                f.field.as_str(),
                f.top1_accuracy,
                f.macro_f1
            );
        }
    }
    let v = &c.verdict;
    println!(
        "{} lines, {} invoices; {} decided differently ({} champion only, {} challenger only, {} \
         coded differently); precision difference {:.4} ({:.4} to {:.4})",
        c.lines,
        c.invoices,
        c.differences.len(),
        c.count(DifferenceKind::OnlyChampionAutomates),
        c.count(DifferenceKind::OnlyChallengerAutomates),
        c.count(DifferenceKind::CodedDifferently),
        v.precision_difference,
        v.precision_interval.low,
        v.precision_interval.high
    );
}

fn score(m: &ModelFigures, field: Field) -> &FieldScore {
    m.fields.iter().find(|f| f.field == field).unwrap()
}

fn meta() -> CompareMeta {
    CompareMeta {
        title: "Kontera comparison".to_owned(),
        champion: "models/2024".to_owned(),
        challenger: "models/2025".to_owned(),
        data: "generated".to_owned(),
        from: d(2026, 1, 1),
        to: d(2026, 12, 31),
    }
}

#[test]
fn the_challenger_is_more_accurate_and_a_less_precise_champion_is_not_called_better() {
    let c = &fixture().comparison;
    print(c);
    for field in [Field::Account, Field::CostCentre] {
        let (a, b) = (score(&c.champion, field), score(&c.challenger, field));
        assert!(b.top1_accuracy > a.top1_accuracy, "{field:?}: {a:?} {b:?}");
        assert!(b.macro_f1 > a.macro_f1, "{field:?}: {a:?} {b:?}");
    }
    let v = &c.verdict;
    assert_eq!(v.target, 0.99);
    assert!(
        v.challenger.precision > v.champion.precision,
        "{}",
        v.sentence()
    );
    assert!(v.interval.low <= v.difference && v.difference <= v.interval.high);
    // The champion automates more only by a lower threshold that does not hold its precision.
    assert_ne!(v.winner, Some(Side::Champion), "{}", v.sentence());
    if v.ahead == Some(Side::Champion) {
        assert!(v.precision_interval.low > 0.0, "{}", v.sentence());
        assert!(
            v.sentence().contains("realises a lower precision"),
            "{}",
            v.sentence()
        );
    }
}

#[test]
fn a_challenger_with_more_history_is_better_with_an_interval_above_zero() {
    // One year (2022) against four (2022–2025), compared on 2026.
    let one_year = train(&lines((2022, 1, 1), (2022, 12, 31)), &options(), |_| {}).unwrap();
    let four_years = train(&lines((2022, 1, 1), (2025, 12, 31)), &options(), |_| {}).unwrap();
    let c = compare(
        &one_year,
        &four_years,
        &fixture().test,
        Some(&data().chart),
        &CompareOptions::default(),
    )
    .unwrap();
    print(&c);
    let v = &c.verdict;
    assert!(v.interval.low > 0.0, "{}", v.sentence());
    assert_eq!(v.winner, Some(Side::Challenger), "{}", v.sentence());
    assert!(
        v.sentence()
            .starts_with("challenger is better: it automates"),
        "{}",
        v.sentence()
    );
}

#[test]
fn both_models_are_scored_on_identical_invoices() {
    let Fixture {
        test,
        comparison: c,
        ..
    } = fixture();
    let ids: BTreeSet<&str> = test.iter().map(Example::invoice).collect();
    assert_eq!(c.invoices, ids.len());
    assert_eq!(c.lines, test.len());
    assert_eq!(c.fingerprint, fingerprint(ids.iter().copied()));
    for m in [&c.champion, &c.challenger] {
        assert_eq!(m.fingerprint, c.fingerprint, "each side's own invoice set");
        assert_eq!(m.invoices, ids.len());
        assert_eq!(m.lines, test.len());
        for (_, a) in &m.automation {
            assert_eq!(a.invoices, ids.len());
        }
        let per_area: usize = m.per_area.iter().map(|a| a.invoices).sum();
        assert_eq!(per_area, ids.len());
    }
    let areas = |m: &ModelFigures| -> Vec<(String, usize, usize)> {
        m.per_area
            .iter()
            .map(|a| (a.area.clone(), a.invoices, a.lines))
            .collect()
    };
    assert_eq!(areas(&c.champion), areas(&c.challenger));
}

#[test]
fn the_differences_account_for_the_difference_in_automation() {
    let c = &fixture().comparison;
    let (a, b) = (c.verdict.champion, c.verdict.challenger);
    let only_a = c.count(DifferenceKind::OnlyChampionAutomates);
    let only_b = c.count(DifferenceKind::OnlyChallengerAutomates);
    assert_eq!(
        b.automated as i64 - a.automated as i64,
        only_b as i64 - only_a as i64
    );
    for diff in &c.differences {
        let decided = diff.champion.automated != diff.challenger.automated;
        let coded = diff.lines.iter().any(|l| l.champion != l.challenger);
        assert!(
            decided || coded,
            "{} is listed without a difference",
            diff.invoice
        );
        assert!(diff.lines.iter().all(|l| l.truth.len() == c.fields.len()));
    }
    let ids: Vec<&str> = c.differences.iter().map(|d| d.invoice.as_str()).collect();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len());
}

#[test]
fn a_model_compared_with_itself_differs_by_exactly_nothing() {
    let f = fixture();
    let c = compare(
        &f.challenger,
        &f.challenger,
        &f.test,
        Some(&data().chart),
        &CompareOptions::default(),
    )
    .unwrap();
    let v = &c.verdict;
    assert_eq!(v.difference, 0.0);
    assert_eq!((v.interval.low, v.interval.high), (0.0, 0.0));
    assert_eq!(v.winner, None);
    assert!(c.differences.is_empty());
    assert_eq!(c.champion, c.challenger);
    assert!(
        v.sentence().starts_with("no difference"),
        "{}",
        v.sentence()
    );
}

#[test]
fn a_period_inside_a_training_window_is_refused_naming_the_window() {
    let f = fixture();
    let year4 = lines((2025, 1, 1), (2025, 12, 31));
    let err = compare(
        &f.champion,
        &f.challenger,
        &year4,
        Some(&data().chart),
        &CompareOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            CompareError::Overlap {
                side: Side::Challenger,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    let window = format!(
        "challenger's training window ({} to {})",
        f.challenger.first_day, f.challenger.last_day
    );
    assert!(message.contains(&window), "{message}");
    assert!(message.contains("--from after"), "{message}");
    let none: Vec<LabelledLine> = Vec::new();
    let err = compare(
        &f.champion,
        &f.challenger,
        &none,
        None,
        &CompareOptions::default(),
    );
    assert_eq!(err.unwrap_err(), CompareError::Empty);
}

#[test]
fn the_reports_carry_the_verdict_the_invoice_set_and_the_capped_differences() {
    let c = &fixture().comparison;
    let json: serde_json::Value = serde_json::from_str(&to_json(c, &meta()).unwrap()).unwrap();
    assert_eq!(json["verdict"]["winner"], serde_json::Value::Null);
    assert_eq!(json["verdict"]["ahead"], "champion");
    assert_eq!(json["verdict"]["text"], c.verdict.sentence().as_str());
    assert_eq!(json["evaluated"]["invoices"], c.invoices);
    for side in ["champion", "challenger"] {
        assert_eq!(json[side]["fingerprint"], json["evaluated"]["fingerprint"]);
        assert_eq!(json[side]["invoices"], json["evaluated"]["invoices"]);
        for target in ["0.99", "0.95"] {
            assert!(json[side]["automation"][target]["rate"].as_f64().is_some());
        }
        for field in ["account", "cost_centre", "vat_code"] {
            assert!(json[side]["fields"][field]["macro_f1"].as_f64().is_some());
            assert!(json[side]["per_area"][0]["fields"][field]["top1_accuracy"].is_number());
        }
    }
    let listed = json["differences"]["invoices"].as_array().unwrap().len();
    assert_eq!(listed, c.differences.len().min(JSON_DIFFERENCES));
    assert_eq!(json["differences"]["listed"], listed);
    assert_eq!(json["differences"]["count"], c.differences.len());

    let html = to_html(c, &meta());
    assert!(
        html.contains("no clear winner"),
        "the verdict is on the page"
    );
    assert!(html.contains("<svg"));
    let rows = html.matches("<tr class=\"invoice\">").count();
    assert_eq!(rows, c.differences.len().min(HTML_DIFFERENCES));
}
