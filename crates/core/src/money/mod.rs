//! Money: exact decimal amounts with an ISO 4217 currency; never floating point.

mod amount;
mod currency;
mod error;

pub use amount::Money;
pub use currency::Currency;
pub use error::MoneyError;
