//! The flags that say how to fit a model, shared by `kontera train` and `kontera evaluate
//! --rolling` (which trains one model per origin), parsed and checked in one place.

use kontera_train::fit::TrainOptions;
use kontera_train::threshold::ThresholdChoice;

#[derive(Debug, Clone, clap::Args)]
pub struct TrainFlags {
    /// Precision the default threshold is chosen for.
    #[arg(long, default_value_t = 0.99)]
    pub target_precision: f64,
    /// Lines with fewer similar past lines (same supplier, same coding, recency-weighted) are
    /// never automated.
    #[arg(long, default_value_t = TrainOptions::default().min_support)]
    pub min_support: f32,
    /// Months of each calibration period: the horizon the model serves. The window's last
    /// months (and the period before them) are scored with tables that end where they begin,
    /// to calibrate and choose thresholds. A window whose last period has fewer than 10,000
    /// invoices is calibrated on its last six months instead.
    #[arg(long, default_value_t = TrainOptions::default().calibration_months)]
    pub calibration_months: u32,
    /// Calibration periods, latest first; each threshold must reach its target on every one.
    #[arg(long, default_value_t = TrainOptions::default().calibration_periods)]
    pub calibration_periods: u32,
    /// Past lines count half for every this many days of age (0: all alike).
    #[arg(long, default_value_t = 365.0)]
    pub half_life_days: f64,
    /// Choose each threshold where the precision measured on the calibration invoices reaches
    /// its target, instead of where its one-sided 95% lower bound does (the default). Only for
    /// samples too small to make the target credible, such as data/sample.
    #[arg(long)]
    pub measured_thresholds: bool,
}

impl TrainFlags {
    /// The checked flags as training options: thresholds for the target precision, then for
    /// 0.99 and 0.95 (the reports' targets) when not already the target.
    pub fn options(&self) -> anyhow::Result<TrainOptions> {
        anyhow::ensure!(
            self.min_support.is_finite() && self.min_support >= 0.0,
            "--min-support must be a number of past lines, 0 or more, got {}",
            self.min_support
        );
        anyhow::ensure!(
            self.half_life_days.is_finite() && self.half_life_days >= 0.0,
            "--half-life-days must be 0 (all history alike) or a number of days, got {}",
            self.half_life_days
        );
        anyhow::ensure!(
            self.calibration_months >= 1 && self.calibration_periods >= 1,
            "--calibration-months and --calibration-periods must be at least 1, got {} and {}",
            self.calibration_months,
            self.calibration_periods
        );
        anyhow::ensure!(
            self.target_precision > 0.5 && self.target_precision < 1.0,
            "--target-precision must lie between 0.5 and 1 (e.g. 0.99), got {}",
            self.target_precision
        );
        let mut targets = vec![self.target_precision];
        for t in [0.99, 0.95] {
            if !targets.contains(&t) {
                targets.push(t);
            }
        }
        Ok(TrainOptions {
            calibration_months: self.calibration_months,
            calibration_periods: self.calibration_periods,
            target_precisions: targets,
            min_support: self.min_support,
            half_life_days: (self.half_life_days > 0.0).then_some(self.half_life_days),
            thresholds: if self.measured_thresholds {
                ThresholdChoice::Measured
            } else {
                ThresholdChoice::Credible
            },
            ..TrainOptions::default()
        })
    }
}
