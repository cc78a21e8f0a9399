//! The automation policy: the confidence a line needs before it is coded without review, for
//! each target precision measured at training time.

/// Confidence thresholds per target precision, and the defaults the service uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// (target precision in (0, 1), confidence threshold) pairs, targets unique.
    pub thresholds: Vec<(f64, f32)>,
    /// The target used unless the caller asks for another; one of `thresholds`' targets.
    pub default_target: f64,
    /// Past lines that must agree with a coding (its support) before it is automated.
    pub min_support: f32,
}

/// Targets closer than this are the same target (they are written as decimal fractions).
const TARGET_TOLERANCE: f64 = 1e-9;

impl Policy {
    /// The confidence threshold for a target precision, if the trainer measured one.
    pub fn threshold(&self, target: f64) -> Option<f32> {
        self.thresholds
            .iter()
            .find(|(t, _)| (t - target).abs() < TARGET_TOLERANCE)
            .map(|&(_, threshold)| threshold)
    }

    /// The threshold for [`Policy::default_target`]. A loaded policy always has it; a policy
    /// built by hand without it gets infinity, so nothing is automated.
    pub fn default_threshold(&self) -> f32 {
        self.threshold(self.default_target).unwrap_or(f32::INFINITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_found_by_target() {
        let p = Policy {
            thresholds: vec![(0.95, 0.8), (0.99, 0.97)],
            default_target: 0.99,
            min_support: 5.0,
        };
        assert_eq!(p.threshold(0.95), Some(0.8));
        assert_eq!(p.threshold(0.9), None);
        assert_eq!(p.default_threshold(), 0.97);
        let missing = Policy {
            default_target: 0.5,
            ..p
        };
        assert_eq!(missing.default_threshold(), f32::INFINITY);
    }
}
