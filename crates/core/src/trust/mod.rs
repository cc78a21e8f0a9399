//! Trust in automation: the figures that say whether automatic coding has earned its keep and may
//! go on — Wilson intervals on audited precision, the circuit breaker that pauses automation when
//! precision falls, automation-rate targets by year of operation, savings, and monthly figures for
//! the dashboard, and the rule that moves an area's threshold with its audits.
//!
//! Pure functions: the service counts (audits, agreements, automatic invoices) and passes the
//! counts and the clock in.

mod adapt;
mod breaker;
mod hold;
mod monthly;
mod poisson;
mod savings;
mod targets;
mod wilson;

pub use adapt::{
    Adjustment, Audited, Basis, Evidence, MIN_ERROR, MIN_MOVE, NEVER, Ratio, ThresholdRule,
    worth_moving,
};
pub use breaker::{Breaker, BreakerError, Verdict};
pub use hold::{MIN_CORRECTIONS, credibly_more};
pub use monthly::{MonthFigures, by_month, month_key, parse_month, total};
pub use poisson::{lower_bound as poisson_lower, upper_bound as poisson_upper};
pub use savings::{DEFAULT_SAVING_DKK, savings};
pub use targets::{DEFAULT_TARGET_RATES, Targets, TargetsError};
pub use wilson::{Interval, Z95, Z95_ONE_SIDED, wilson};
