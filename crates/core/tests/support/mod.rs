//! Shared builders for the chart tests: accounts, dates and entries in one line each.

#![allow(dead_code)]

use chrono::NaiveDate;
use kontera_core::{AccountChange, AccountEntry, AccountId};

pub fn id(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

pub fn ids(list: &[&str]) -> Vec<AccountId> {
    list.iter().map(|s| id(s)).collect()
}

/// 1 January of `year`.
pub fn jan1(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap()
}

/// An account valid from 1 January `from`, still open.
pub fn open(account: &str, from: i32) -> AccountEntry {
    AccountEntry::open(id(account), format!("Account {account}"), jan1(from))
}

/// An account valid from 1 January `from` to 1 January `to`, ending with `change`.
pub fn ended(account: &str, from: i32, to: i32, change: AccountChange) -> AccountEntry {
    open(account, from).ending(jan1(to), change)
}

pub fn renamed(to: &str) -> AccountChange {
    AccountChange::Renamed { to: id(to) }
}

pub fn merged(into: &str) -> AccountChange {
    AccountChange::Merged { into: id(into) }
}

pub fn split(into: &[&str]) -> AccountChange {
    AccountChange::Split { into: ids(into) }
}
