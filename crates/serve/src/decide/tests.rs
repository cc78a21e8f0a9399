//! Decision tests: each way to `review`, the audit draw only among would-be-automatic invoices.

use kontera_core::model::LinePrediction;
use kontera_core::precedence::{Coded, Source};
use kontera_core::screen::{Finding, Reason};

use super::*;

fn coded(confidence: f32, support: f32, labels: usize) -> Coded {
    Coded {
        source: Source::Model,
        labels: (0..3)
            .map(|i| (i < labels).then(|| format!("L{i}")))
            .collect(),
        confidence,
        support,
        prediction: LinePrediction {
            fields: vec![],
            raw: confidence,
            confidence,
            support,
            recent_change: false,
        },
    }
}

/// A model coding whose supplier × unit was coded otherwise of late.
fn flagged(confidence: f32, source: Source) -> Coded {
    let mut c = coded(confidence, 40.0, 3);
    c.source = source;
    c.prediction.recent_change = true;
    c
}

const BAR: Bar = Bar {
    threshold: 0.97,
    min_support: 20.0,
};

fn codes(d: &Decision) -> Vec<Reason> {
    d.reasons.iter().map(|f| f.reason).collect()
}

#[test]
fn confident_supported_lines_are_automatic() {
    // The chance both lines are right, 0.995 × 0.98 = 0.9751, clears the threshold 0.97.
    let lines = [(1, coded(0.995, 40.0, 3)), (2, coded(0.98, 25.0, 3))];
    let d = decide(vec![], &lines, &BAR, Some("schools"), vec![], false);
    assert_eq!(d.outcome, Outcome::Auto);
    assert!(d.would_auto && !d.audit && d.reasons.is_empty());
    // The same invoice drawn for the audit goes to a person, flagged.
    let d = decide(vec![], &lines, &BAR, Some("schools"), vec![], true);
    assert_eq!(d.outcome, Outcome::Review);
    assert!(d.would_auto && d.audit);
    assert_eq!(codes(&d), vec![Reason::SampleCheck]);
}

#[test]
fn the_invoice_is_automatic_only_when_the_chance_every_line_is_right_clears_the_threshold() {
    // Each line clears 0.97, but all three are right with chance 0.98³ = 0.941.
    let lines = [
        (1, coded(0.98, 40.0, 3)),
        (2, coded(0.98, 40.0, 3)),
        (3, coded(0.98, 40.0, 3)),
    ];
    let d = decide(vec![], &lines, &BAR, Some("schools"), vec![], true);
    assert_eq!(d.outcome, Outcome::Review);
    assert!(!d.would_auto && !d.audit, "no audit draw among reviews");
    assert_eq!(codes(&d), vec![Reason::BelowThreshold]);
    assert_eq!(
        d.reasons[0].message,
        "Every line clears the threshold 0.970 for schools, but the chance that all 3 lines are \
         right is 0.941."
    );
    let whole = d.eligible.unwrap();
    assert!((whole - 0.98f32.powi(3)).abs() < 1e-6, "{whole}");
    // Two lines can clear it together: 0.99 × 0.98 = 0.9702.
    let two = [(1, coded(0.99, 40.0, 3)), (2, coded(0.98, 40.0, 3))];
    let d = decide(vec![], &two, &BAR, Some("schools"), vec![], false);
    assert_eq!(d.outcome, Outcome::Auto, "{:?}", d.reasons);
    assert!((d.eligible.unwrap() - 0.9702).abs() < 1e-6);
    // A line below the threshold is named as before, and the whole invoice is not named again.
    let low = [(1, coded(0.90, 40.0, 3)), (2, coded(0.98, 40.0, 3))];
    let d = decide(vec![], &low, &BAR, None, vec![], false);
    assert_eq!(codes(&d), vec![Reason::BelowThreshold]);
    assert!(d.reasons[0].message.starts_with("Line 1: confidence 0.900"));
}

#[test]
fn each_line_problem_is_a_reason() {
    let lines = [
        (1, coded(0.99, 40.0, 3)),
        (2, coded(0.90, 40.0, 3)),
        (3, coded(0.99, 3.0, 3)),
        (4, coded(0.0, 0.0, 2)),
    ];
    let d = decide(vec![], &lines, &BAR, Some("schools"), vec![], true);
    assert_eq!(d.outcome, Outcome::Review);
    assert!(!d.would_auto && !d.audit, "no audit draw among reviews");
    assert_eq!(
        codes(&d),
        vec![
            Reason::BelowThreshold,
            Reason::LowSupport,
            Reason::NoPrediction
        ]
    );
    assert!(d.reasons[0].message.starts_with("Line 2: confidence 0.900"));
    assert!(d.reasons[0].message.contains("for schools"));
}

#[test]
fn screening_and_pause_send_to_review() {
    let lines = [(1, coded(0.99, 40.0, 3))];
    let finding = Finding::new(Reason::CreditNote, "credit note");
    let d = decide(vec![finding], &lines, &BAR, None, vec![], true);
    assert_eq!(
        (d.outcome, d.would_auto, d.audit),
        (Outcome::Review, false, false)
    );
    assert_eq!(codes(&d), vec![Reason::CreditNote]);
    let d = decide(
        vec![],
        &lines,
        &BAR,
        Some("daycare"),
        vec![paused(Some("daycare"))],
        false,
    );
    assert_eq!((d.outcome, d.would_auto), (Outcome::Review, false));
    assert_eq!(codes(&d), vec![Reason::AreaPaused]);
    assert_eq!(d.reasons[0].message, "Automation is paused for daycare.");
    // Closed for the year's opening: to review, still eligible (the audit rule projects over
    // it as over a paused area's invoices), never drawn.
    let waiting = Finding::new(Reason::YearOpening, "waits");
    let d = decide(vec![], &lines, &BAR, Some("daycare"), vec![waiting], true);
    assert_eq!(
        (d.outcome, d.would_auto, d.audit),
        (Outcome::Review, false, false)
    );
    assert_eq!(codes(&d), vec![Reason::YearOpening]);
    assert!(d.eligible.is_some());
    let none = decide(vec![], &[], &BAR, None, vec![], false);
    assert_eq!(none.outcome, Outcome::Review);
}

#[test]
fn bands() {
    assert_eq!(band(0.97, &BAR), "high");
    assert_eq!(band(0.85, &BAR), "medium");
    assert_eq!(band(0.5, &BAR), "low");
}

#[test]
fn closed_and_split_accounts_are_reasons_and_mapped_ones_are_not() {
    use kontera_core::AccountId;
    use kontera_core::precedence::ChartEffect;
    let id = |s: &str| AccountId::parse(s).unwrap();
    let closed = ChartEffect::Closed {
        account: id("4.90.01"),
        on: "2027-01-01".parse().unwrap(),
    };
    let f = chart_finding(2, Source::Model, &closed).unwrap();
    assert_eq!(f.reason, Reason::AccountClosed);
    assert_eq!(
        f.message,
        "Line 2: account 4.90.01 (the model's suggestion) is closed from 2027-01-01 without a \
         successor in the chart update in force; choose the account to post it to."
    );
    let split = ChartEffect::Split {
        account: id("5.10"),
        candidates: vec![id("5.11"), id("5.12")],
    };
    let f = chart_finding(1, Source::Rule, &split).unwrap();
    assert_eq!(f.reason, Reason::AccountSplit);
    assert!(
        f.message
            .starts_with("Line 1: account 5.10 (a fixed rule's coding) is split into 5.11, 5.12"),
        "{}",
        f.message
    );
    let mapped = ChartEffect::Mapped {
        from: id("A"),
        to: id("B"),
        via: vec![kontera_core::ChangeKind::Renamed],
    };
    assert_eq!(chart_finding(1, Source::Model, &mapped), None);
    // Joined to the findings, a closed account keeps an otherwise automatic invoice from being
    // automated or drawn for the audit.
    let lines = [(1, coded(0.99, 40.0, 3))];
    let finding = chart_finding(1, Source::Model, &closed).unwrap();
    let d = decide(vec![finding], &lines, &BAR, None, vec![], true);
    assert_eq!(
        (d.outcome, d.would_auto, d.audit),
        (Outcome::Review, false, false)
    );
    assert_eq!(codes(&d), vec![Reason::AccountClosed]);
}

#[test]
fn a_flagged_model_coding_below_the_threshold_names_the_recent_change() {
    let lines = [(1, coded(0.99, 40.0, 3)), (2, flagged(0.93, Source::Model))];
    let d = decide(vec![], &lines, &BAR, Some("schools"), vec![], false);
    assert_eq!((d.outcome, d.would_auto), (Outcome::Review, false));
    assert_eq!(
        codes(&d),
        vec![Reason::BelowThreshold, Reason::RecentChange]
    );
    assert!(
        d.reasons[1]
            .message
            .starts_with("Line 2: the supplier's latest invoices"),
        "{}",
        d.reasons[1].message
    );
    // Flagged but confident enough: automatic, no reason.
    let d = decide(
        vec![],
        &[(1, flagged(0.98, Source::Model))],
        &BAR,
        None,
        vec![],
        false,
    );
    assert_eq!(d.outcome, Outcome::Auto);
    assert!(d.reasons.is_empty());
    // A rule's coding is never the model's recent change, even with the model's flag attached.
    let d = decide(
        vec![],
        &[(1, flagged(0.93, Source::Rule))],
        &BAR,
        None,
        vec![],
        false,
    );
    assert_eq!(codes(&d), vec![Reason::BelowThreshold]);
}
