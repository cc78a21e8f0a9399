//! The chart of accounts over time, mapping historical codings onto the current chart, and
//! chart updates a running service applies to a model's accounts.

mod change;
mod entry;
mod error;
mod mapping;
mod update;
mod validate;

use std::collections::BTreeMap;

use chrono::NaiveDate;

pub use change::{AccountChange, ChangeError, ChangeKind};
pub use entry::AccountEntry;
pub use error::ChartError;
pub use mapping::Mapping;
pub use update::{ChartUpdate, UpdateError, UpdateProblem, UpdateRow};

use crate::AccountId;

/// A validated chart of accounts with the history of its changes.
///
/// Every account that ends says what replaced it; successors exist and are valid on the day
/// their predecessor ends; there are no cycles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    entries: BTreeMap<AccountId, AccountEntry>,
}

impl Chart {
    /// Validates `entries` and builds the chart; the first problem found is returned.
    pub fn new(entries: Vec<AccountEntry>) -> Result<Chart, ChartError> {
        let entries = validate::validate(entries)?;
        Ok(Chart { entries })
    }

    pub fn get(&self, account: &AccountId) -> Option<&AccountEntry> {
        self.entries.get(account)
    }

    /// Whether `account` is in the chart and may be used on `on`.
    pub fn is_valid(&self, account: &AccountId, on: NaiveDate) -> bool {
        self.get(account).is_some_and(|entry| entry.is_valid_on(on))
    }

    /// The accounts that may be used on `on`, ordered by id.
    pub fn valid_on(&self, on: NaiveDate) -> impl Iterator<Item = &AccountEntry> {
        self.iter().filter(move |entry| entry.is_valid_on(on))
    }

    /// All accounts, current and historical, ordered by id.
    pub fn iter(&self) -> impl Iterator<Item = &AccountEntry> {
        self.entries.values()
    }

    /// The number of accounts, current and historical.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The latest day on which a change took effect (the latest `valid_to`), if any.
    pub fn latest_change_date(&self) -> Option<NaiveDate> {
        self.iter().filter_map(|entry| entry.valid_to).max()
    }
}
