//! Tests of the audit-driven threshold rule.

use super::*;

/// `n` audits at confidence `c`, the first `wrong` of them coded differently by the controller.
fn audits(n: usize, c: f32, wrong: usize) -> Vec<Audited> {
    (0..n)
        .map(|i| Audited {
            confidence: c,
            right: i >= wrong,
        })
        .collect()
}

/// A stream of eligible invoices with confidences spread evenly over [0.981, 1.0): taken at
/// face value, all of them together are 99.05% precise, so the base threshold keeps its promise.
fn stream() -> Vec<f32> {
    (0..1_000)
        .map(|i| 0.981 + 0.019 * i as f32 / 1_000.0)
        .collect()
}

const BASE: f32 = 0.95;

#[test]
fn no_move_without_enough_evidence() {
    let rule = ThresholdRule::default();
    // 100 audits at 0.995 expect 0.5 errors: neither a flawless record nor one error says much.
    for wrong in [0, 1] {
        let a = rule.adjust(&audits(100, 0.995, wrong), &stream(), BASE);
        assert_eq!(a.basis, Basis::TooLittle, "{wrong} wrong");
        assert_eq!(a.threshold, BASE);
        assert!(!a.moved());
        assert!(rule.explain(&a).contains("too little evidence"));
    }
    // No audits at all.
    let a = rule.adjust(&[], &stream(), BASE);
    assert_eq!(
        (a.basis, a.threshold, a.ratio),
        (Basis::TooLittle, BASE, None)
    );
    // One early error is credible on its own (1 found where 0.05 were expected), but 10 audits
    // are not enough to move; 30 are.
    let a = rule.adjust(&audits(10, 0.995, 1), &stream(), BASE);
    assert_eq!((a.basis, a.threshold), (Basis::TooLittle, BASE));
    let a = rule.adjust(&audits(30, 0.995, 2), &stream(), BASE);
    assert_eq!(a.basis, Basis::Breach);
    assert!(a.threshold > BASE);
}

#[test]
fn a_flawless_record_with_enough_audits_keeps_the_base_and_never_goes_below_it() {
    let rule = ThresholdRule::default();
    // 700 audits at 0.995 expect 3.5 errors; none found: the ratio's bound is below 1.
    let a = rule.adjust(&audits(700, 0.995, 0), &stream(), BASE);
    assert_eq!(a.basis, Basis::Enough);
    let r = a.ratio.unwrap();
    assert!(r.upper < 1.0, "{r:?}");
    assert_eq!(a.threshold, BASE, "never below the base");
    assert!(a.projected_precision.unwrap() >= 0.99);
}

#[test]
fn credibly_more_errors_raise_the_threshold_to_where_the_bound_meets_the_target() {
    let rule = ThresholdRule::default();
    // 200 audits at 0.99 expect 2 errors; 8 found: even the ratio's lower bound is above 1.
    let audited = audits(200, 0.99, 8);
    let s = stream();
    let a = rule.adjust(&audited, &s, BASE);
    assert_eq!(a.basis, Basis::Breach);
    let r = a.ratio.unwrap();
    assert!((r.estimate - 4.0).abs() < 1e-4, "{r:?}");
    // The bound is the exact Poisson limit for 8 events (14.43 in published tables) over the
    // 2 expected.
    assert!((a.evidence.expected - 2.0).abs() < 1e-4);
    assert!(
        (r.upper * a.evidence.expected - 14.4346).abs() < 1e-3,
        "{r:?}"
    );
    assert!(a.threshold > BASE && a.threshold < NEVER, "{a:?}");
    // Independently: the lowest stream confidence whose invoices at or above it meet the target
    // with errors inflated by the bound, found by brute force.
    let meets = |t: f32| {
        let above: Vec<f64> = s
            .iter()
            .filter(|&&c| c >= t)
            .map(|&c| (1.0 - f64::from(c)).max(MIN_ERROR))
            .collect();
        !above.is_empty() && 1.0 - r.upper * above.iter().sum::<f64>() / above.len() as f64 >= 0.99
    };
    let brute = s
        .iter()
        .copied()
        .filter(|&t| meets(t))
        .fold(NEVER, f32::min);
    assert_eq!(a.threshold, brute);
    assert!(a.projected_precision.unwrap() >= 0.99 - 1e-12);
    // Just below it, the bound would miss the target.
    let below = s
        .iter()
        .copied()
        .filter(|&c| c < a.threshold)
        .fold(0.0, f32::max);
    assert!(!meets(below));
    assert!(a.automated_share < 1.0 && a.automated_share > 0.0);
    let said = rule.explain(&a);
    assert!(
        said.contains("200 audited") && said.contains("8 coded differently"),
        "{said}"
    );
}

#[test]
fn nothing_is_automated_when_no_threshold_meets_the_target() {
    let rule = ThresholdRule::default();
    // Half of the audits wrong at 0.999: no confidence is worth believing.
    let a = rule.adjust(&audits(400, 0.999, 200), &stream(), BASE);
    assert_eq!(a.basis, Basis::Breach);
    assert_eq!(a.threshold, NEVER);
    assert_eq!(a.automated_share, 0.0);
    assert_eq!(a.projected_precision, None);
    assert!(rule.explain(&a).contains("nothing is posted automatically"));
}

#[test]
fn the_threshold_is_monotone_in_the_evidence() {
    let rule = ThresholdRule::default();
    let s = stream();
    // More errors in the same audits never lower the threshold.
    let mut last = 0.0f32;
    for wrong in 0..40 {
        let t = rule.adjust(&audits(600, 0.995, wrong), &s, BASE).threshold;
        assert!(t >= last, "{wrong} wrong: {t} < {last}");
        last = t;
    }
    assert!(last > BASE);
    // More flawless audits beside the same errors never raise it.
    let mut last = f32::INFINITY;
    for extra in (0..3_000).step_by(100) {
        let mut a = audits(300, 0.995, 6);
        a.extend(audits(extra, 0.995, 0));
        let t = rule.adjust(&a, &s, BASE).threshold;
        assert!(t <= last, "{extra} more flawless: {t} > {last}");
        last = t;
    }
    assert_eq!(
        last, BASE,
        "enough flawless audits bring it back to the base"
    );
}

#[test]
fn the_audits_stand_in_for_an_empty_stream_and_a_confidence_of_one_is_not_certainty() {
    let rule = ThresholdRule::default();
    // Every audit at 1.0: each still promises MIN_ERROR, so an error is evidence against it.
    let a = rule.adjust(&audits(500, 1.0, 3), &[], 0.97);
    let e = a.evidence;
    assert_eq!((e.audited, e.errors), (500, 3));
    assert!((e.expected - 500.0 * MIN_ERROR).abs() < 1e-9);
    assert_eq!(a.basis, Basis::Breach);
    assert_eq!(a.threshold, NEVER);
}

#[test]
fn only_a_move_of_a_thousandth_or_more_replaces_the_threshold_in_force() {
    // Jitter of the bound: not worth a move.
    assert!(!worth_moving(0.9960, 0.99603, 0.97));
    assert!(!worth_moving(0.9960, 0.99591, 0.97));
    assert!(!worth_moving(0.9960, 0.9960, 0.97));
    // From the base too: the first move must be a real one.
    assert!(!worth_moving(0.97, 0.9704, 0.97));
    // A thousandth or more, either way.
    assert!(worth_moving(0.9960, 0.9970, 0.97));
    assert!(worth_moving(0.9960, 0.9945, 0.97));
    assert!(worth_moving(0.97, 0.9712, 0.97));
    // Back to the base, stopping and restarting are always stored, however close.
    assert!(worth_moving(0.9703, 0.97, 0.97));
    assert!(worth_moving(0.9995, NEVER, 0.97));
    assert!(worth_moving(NEVER, 0.9995, 0.97));
}
