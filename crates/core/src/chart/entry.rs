//! One account of the chart with its period of validity and what became of it.

use chrono::NaiveDate;

use super::AccountChange;
use crate::AccountId;

/// An account in the chart: valid from `valid_from` (inclusive) to `valid_to` (exclusive).
///
/// An account that ends says what became of it in `change`; one that does not end has neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEntry {
    pub id: AccountId,
    pub name: String,
    pub valid_from: NaiveDate,
    /// The first day the account is no longer valid; `None` while it is open.
    pub valid_to: Option<NaiveDate>,
    /// What replaced the account on `valid_to`.
    pub change: Option<AccountChange>,
}

impl AccountEntry {
    /// An open account valid from `valid_from`.
    pub fn open(id: AccountId, name: impl Into<String>, valid_from: NaiveDate) -> AccountEntry {
        AccountEntry {
            id,
            name: name.into(),
            valid_from,
            valid_to: None,
            change: None,
        }
    }

    /// This account ending on `valid_to` (exclusive) with `change`.
    pub fn ending(self, valid_to: NaiveDate, change: AccountChange) -> AccountEntry {
        AccountEntry {
            valid_to: Some(valid_to),
            change: Some(change),
            ..self
        }
    }

    /// Whether the account may be used on `day`.
    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day < to)
    }
}
