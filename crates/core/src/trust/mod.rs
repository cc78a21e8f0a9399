//! Trust in automation: the figures that say whether automatic coding has earned its keep and may
//! go on — Wilson intervals on audited precision, the circuit breaker that pauses automation when
//! precision falls, automation-rate targets by year of operation, savings, and monthly figures for
//! the dashboard.
//!
//! Pure functions: the service counts (audits, agreements, automatic invoices) and passes the
//! counts and the clock in.

mod breaker;
mod monthly;
mod savings;
mod targets;
mod wilson;

pub use breaker::{Breaker, BreakerError, Verdict};
pub use monthly::{MonthFigures, by_month, month_key, parse_month, total};
pub use savings::{DEFAULT_SAVING_DKK, savings};
pub use targets::{DEFAULT_TARGET_RATES, Targets, TargetsError};
pub use wilson::{Interval, Z95, wilson};
