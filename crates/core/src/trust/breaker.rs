//! The circuit breaker: pause automation when audited precision is credibly below a floor.

use super::wilson::{Interval, Z95, wilson};

const DAY_MS: i64 = 86_400_000;

/// The breaker rule: over the last `window_days`, once at least `min_audits` automatically coded
/// invoices have been audited, automation pauses when the Wilson 95% lower bound of the share a
/// person agreed with falls below `floor`.
///
/// The floor is deliberately far below the precision automation promises (e.g. 99%). An interval
/// on a few dozen audits is wide: Wilson's lower bound for a perfect 50 of 50 is 0.929, so a floor
/// near 99% would trip on a flawless record. At 0.85 the breaker holds at 2 wrong in 50 (lower
/// bound 0.865) and trips at about 3 wrong in 50 (47/50: 0.838) — it catches a model that has
/// gone clearly wrong, not one that is merely short of its promise. The promised precision is
/// watched on the dashboard; the breaker is the emergency stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Breaker {
    /// The lowest credible precision, strictly between 0 and 1.
    pub floor: f64,
    /// How many days of audits are judged (at least 1).
    pub window_days: u32,
    /// Audits needed in the window before the breaker may trip (at least 1).
    pub min_audits: u64,
}

impl Default for Breaker {
    /// Floor 0.85 over 90 days, judged from 50 audits.
    fn default() -> Breaker {
        Breaker {
            floor: 0.85,
            window_days: 90,
            min_audits: 50,
        }
    }
}

/// What the breaker says about a window's audits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Too few audits to judge; the breaker does not trip.
    TooFewAudits { audited: u64, needed: u64 },
    /// Precision's lower bound is at or above the floor: automation may go on.
    Holds {
        audited: u64,
        agreed: u64,
        interval: Interval,
    },
    /// Precision's lower bound is below the floor: automation pauses.
    Trips {
        audited: u64,
        agreed: u64,
        interval: Interval,
    },
}

impl Verdict {
    /// Whether automation must pause.
    pub fn trips(&self) -> bool {
        matches!(self, Verdict::Trips { .. })
    }

    /// The precision interval, when there were enough audits to judge.
    pub fn interval(&self) -> Option<Interval> {
        match self {
            Verdict::TooFewAudits { .. } => None,
            Verdict::Holds { interval, .. } | Verdict::Trips { interval, .. } => Some(*interval),
        }
    }
}

/// A breaker setting that cannot work.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BreakerError {
    #[error(
        "breaker floor must be strictly between 0 and 1, got {got}; set it to the lowest \
         acceptable audited precision as a fraction, such as 0.85"
    )]
    Floor { got: f64 },
    #[error(
        "breaker window_days must be at least 1, got 0; set it to the number of days of audits \
         to judge, such as 90"
    )]
    WindowDays,
    #[error(
        "breaker min_audits must be at least 1, got 0; set it to the number of audited invoices \
         needed before the breaker may trip, such as 50"
    )]
    MinAudits,
    #[error(
        "breaker floor {floor} would trip on a perfect record of min_audits = {min_audits} \
         audits (95% lower bound {perfect_lo:.3}); lower floor or raise min_audits to at least \
         {needed}"
    )]
    PerfectRecordTrips {
        floor: f64,
        min_audits: u64,
        perfect_lo: f64,
        needed: u64,
    },
}

impl Breaker {
    /// A validated breaker: the floor strictly between 0 and 1, a window and a minimum of at
    /// least 1, and a floor a perfect record of `min_audits` audits clears.
    pub fn new(floor: f64, window_days: u32, min_audits: u64) -> Result<Breaker, BreakerError> {
        if !(floor > 0.0 && floor < 1.0) {
            return Err(BreakerError::Floor { got: floor });
        }
        if window_days == 0 {
            return Err(BreakerError::WindowDays);
        }
        if min_audits == 0 {
            return Err(BreakerError::MinAudits);
        }
        let perfect_lo = perfect_lower_bound(min_audits);
        if perfect_lo < floor {
            return Err(BreakerError::PerfectRecordTrips {
                floor,
                min_audits,
                perfect_lo,
                needed: audits_for_perfect_record(floor),
            });
        }
        Ok(Breaker {
            floor,
            window_days,
            min_audits,
        })
    }

    /// The verdict on `audited` audits of which a person agreed with `agreed` (more agreements
    /// than audits are counted as `audited`).
    pub fn check(&self, audited: u64, agreed: u64) -> Verdict {
        if audited < self.min_audits.max(1) {
            return Verdict::TooFewAudits {
                audited,
                needed: self.min_audits.max(1),
            };
        }
        let agreed = agreed.min(audited);
        let interval = wilson(agreed, audited, Z95).expect("audited ≥ 1 and agreed ≤ audited");
        if interval.lo < self.floor {
            Verdict::Trips {
                audited,
                agreed,
                interval,
            }
        } else {
            Verdict::Holds {
                audited,
                agreed,
                interval,
            }
        }
    }

    /// The first millisecond of the window that ends at `now_ms` (Unix milliseconds).
    pub fn window_start(&self, now_ms: i64) -> i64 {
        now_ms.saturating_sub(i64::from(self.window_days) * DAY_MS)
    }

    /// The verdict as one sentence for the dashboard.
    pub fn explain(&self, verdict: &Verdict) -> String {
        let window = match self.window_days {
            1 => "the last day".to_owned(),
            d => format!("the last {d} days"),
        };
        match *verdict {
            Verdict::TooFewAudits { audited, needed } => format!(
                "{audited} audited {} over {window}, fewer than the {needed} needed to judge \
                 precision; the breaker does not trip",
                if audited == 1 { "invoice" } else { "invoices" }
            ),
            Verdict::Holds {
                audited,
                agreed,
                interval,
            } => format!(
                "audited precision {agreed}/{audited} = {}, 95% lower bound {} is at or above \
                 the floor {} over {window}; automation continues",
                pct(interval.estimate),
                pct(interval.lo),
                pct(self.floor)
            ),
            Verdict::Trips {
                audited,
                agreed,
                interval,
            } => format!(
                "audited precision {agreed}/{audited} = {}, 95% lower bound {} is below the \
                 floor {} over {window}; automation paused",
                pct(interval.estimate),
                pct(interval.lo),
                pct(self.floor)
            ),
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Wilson's lower bound for `n` of `n`: `n / (n + z²)`.
fn perfect_lower_bound(n: u64) -> f64 {
    wilson(n, n, Z95).map_or(0.0, |i| i.lo)
}

/// The fewest audits whose perfect record clears `floor` (0 < floor < 1).
fn audits_for_perfect_record(floor: f64) -> u64 {
    // n / (n + z²) ≥ floor  ⇔  n ≥ floor·z² / (1 − floor); then step past rounding.
    let mut n = (floor * Z95 * Z95 / (1.0 - floor)).ceil().max(1.0) as u64;
    while n > 1 && perfect_lower_bound(n - 1) >= floor {
        n -= 1;
    }
    while perfect_lower_bound(n) < floor {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let b = Breaker::default();
        assert_eq!((b.floor, b.window_days, b.min_audits), (0.85, 90, 50));
        assert_eq!(Breaker::new(0.85, 90, 50), Ok(b));
    }

    #[test]
    fn too_few_audits_never_trips() {
        let b = Breaker::default();
        let v = b.check(49, 0);
        assert_eq!(
            v,
            Verdict::TooFewAudits {
                audited: 49,
                needed: 50
            }
        );
        assert!(!v.trips());
        assert_eq!(v.interval(), None);
        assert_eq!(
            b.check(0, 0),
            Verdict::TooFewAudits {
                audited: 0,
                needed: 50
            }
        );
    }

    #[test]
    fn trips_at_three_wrong_in_fifty() {
        let b = Breaker::default();
        assert!(!b.check(50, 50).trips());
        assert!(!b.check(50, 48).trips());
        assert!(b.check(50, 47).trips());
        assert!(b.check(50, 41).trips());
        let lo = b.check(50, 48).interval().unwrap().lo;
        assert!((lo - 0.8654).abs() < 1e-4, "{lo}");
        let lo = b.check(50, 47).interval().unwrap().lo;
        assert!((lo - 0.8378).abs() < 1e-4, "{lo}");
    }

    #[test]
    fn more_audits_tighten_the_bound() {
        let b = Breaker::default();
        // 94% is below the floor's reach at 50 audits but clearly above it at 500.
        assert!(b.check(50, 47).trips());
        assert!(!b.check(500, 470).trips());
    }

    #[test]
    fn agreements_are_capped_at_audits() {
        let b = Breaker::default();
        match b.check(60, 70) {
            Verdict::Holds {
                audited: 60,
                agreed: 60,
                interval,
            } => assert_eq!(interval.hi, 1.0),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn window_start_is_days_before_now() {
        let b = Breaker::default();
        assert_eq!(b.window_start(100 * DAY_MS), 10 * DAY_MS);
        assert_eq!(b.window_start(0), -90 * DAY_MS);
        assert_eq!(b.window_start(i64::MIN), i64::MIN);
    }

    #[test]
    fn explains_a_trip() {
        let b = Breaker::default();
        assert_eq!(
            b.explain(&b.check(50, 41)),
            "audited precision 41/50 = 82.0%, 95% lower bound 69.2% is below the floor 85.0% \
             over the last 90 days; automation paused"
        );
    }

    #[test]
    fn explains_a_hold_and_too_few() {
        let b = Breaker::default();
        assert_eq!(
            b.explain(&b.check(50, 48)),
            "audited precision 48/50 = 96.0%, 95% lower bound 86.5% is at or above the floor \
             85.0% over the last 90 days; automation continues"
        );
        assert_eq!(
            b.explain(&b.check(12, 12)),
            "12 audited invoices over the last 90 days, fewer than the 50 needed to judge \
             precision; the breaker does not trip"
        );
        let one = Breaker::new(0.3, 1, 2).unwrap();
        assert_eq!(
            one.explain(&one.check(1, 1)),
            "1 audited invoice over the last day, fewer than the 2 needed to judge precision; \
             the breaker does not trip"
        );
    }

    #[test]
    fn rejects_bad_settings_naming_the_field() {
        for floor in [0.0, 1.0, -0.1, 1.5, f64::NAN] {
            let e = Breaker::new(floor, 90, 50).unwrap_err();
            assert!(matches!(e, BreakerError::Floor { .. }), "{floor}");
            assert!(e.to_string().contains("floor"), "{e}");
        }
        let e = Breaker::new(0.85, 0, 50).unwrap_err();
        assert_eq!(e, BreakerError::WindowDays);
        assert!(e.to_string().contains("window_days") && e.to_string().contains("90"));
        let e = Breaker::new(0.85, 90, 0).unwrap_err();
        assert_eq!(e, BreakerError::MinAudits);
        assert!(e.to_string().contains("min_audits") && e.to_string().contains("50"));
    }

    #[test]
    fn rejects_a_floor_a_perfect_record_cannot_clear() {
        let e = Breaker::new(0.99, 90, 50).unwrap_err();
        match e {
            BreakerError::PerfectRecordTrips {
                min_audits: 50,
                needed,
                perfect_lo,
                ..
            } => {
                assert!((perfect_lo - 0.9287).abs() < 1e-4);
                // n / (n + z²) ≥ 0.99 first at n = 381.
                assert_eq!(needed, 381);
            }
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().contains("at least 381"), "{e}");
        assert!(Breaker::new(0.99, 90, 381).is_ok());
        assert!(!Breaker::new(0.99, 90, 381).unwrap().check(381, 381).trips());
        assert!(Breaker::new(0.99, 90, 380).is_err());
    }
}
