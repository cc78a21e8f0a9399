//! A chart update for a running service: the accounts a model codes to, overlaid with the rows of
//! an update in the `accounts` table's vocabulary (accounts that end on a day — closed, renamed,
//! merged or split — and new accounts), so that a new year's chart applies without retraining.
//! [`Chart::current`] then says what each of the model's accounts is on an invoice's date.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::error::shown;
use super::{AccountChange, AccountEntry, Chart, ChartError};
use crate::AccountId;

/// One row of an update: an account, when it may be used and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateRow {
    /// The line of the file the row starts on, for errors.
    pub line: usize,
    pub account: AccountId,
    pub name: String,
    /// The first day the account may be used. When `None`, an account the model codes to keeps
    /// the validity it had (since ever), and a new account starts on the day the first account
    /// naming it as successor ends.
    pub valid_from: Option<NaiveDate>,
    /// The first day it may no longer be used; `None` while open.
    pub valid_to: Option<NaiveDate>,
    /// What replaced it on `valid_to`.
    pub change: Option<AccountChange>,
}

/// A problem with an update, at the line of the row it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct UpdateError {
    pub line: usize,
    pub problem: UpdateProblem,
}

/// What is wrong with an update's row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateProblem {
    #[error(
        "account {} already has a row (line {first}); give each account one row",
        shown(.account)
    )]
    DuplicateRow { account: AccountId, first: usize },
    #[error(
        "account {} names successor {}, which is neither an account the model codes to nor a \
         row of this update; add a row for {} with its name and valid_from, or correct the id",
        shown(.account), shown(.successor), shown(.successor)
    )]
    UnknownSuccessor {
        account: AccountId,
        successor: AccountId,
    },
    #[error(
        "account {} is new (the model does not code to it and no row names it as a successor) \
         and has no valid_from; give the first day it may be used",
        shown(.account)
    )]
    NoValidFrom { account: AccountId },
    #[error(
        "account {} is not an account the model codes to and no row names it as a successor; \
         correct the id, or give its valid_from if it is an account of the chart the model never \
         codes to",
        shown(.account)
    )]
    UnknownAccount { account: AccountId },
    #[error(transparent)]
    Chart(ChartError),
}

/// The rows of a chart update, each account once. See [`ChartUpdate::apply`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartUpdate {
    rows: Vec<UpdateRow>,
}

impl ChartUpdate {
    /// Keeps `rows` (in file order); an account with two rows is refused at the second.
    pub fn new(rows: Vec<UpdateRow>) -> Result<ChartUpdate, UpdateError> {
        let mut first: BTreeMap<&AccountId, usize> = BTreeMap::new();
        for row in &rows {
            if let Some(&line) = first.get(&row.account) {
                return Err(UpdateError {
                    line: row.line,
                    problem: UpdateProblem::DuplicateRow {
                        account: row.account.clone(),
                        first: line,
                    },
                });
            }
            first.insert(&row.account, row.line);
        }
        Ok(ChartUpdate { rows })
    }

    pub fn rows(&self) -> &[UpdateRow] {
        &self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The days the update's changes take effect, in order, each once.
    pub fn effective_dates(&self) -> Vec<NaiveDate> {
        let days: BTreeSet<NaiveDate> = self
            .rows
            .iter()
            .filter(|r| r.change.is_some())
            .filter_map(|r| r.valid_to)
            .collect();
        days.into_iter().collect()
    }

    /// The checks an update must pass when it is loaded for a model whose accounts are `base`:
    /// every successor is one of them or has a row of its own (so a mistyped successor is
    /// refused rather than taken for a new account), and every new account that no row names as
    /// successor gives its `valid_from` — so does a row ending an account the model does not code
    /// to (else it is taken for a mistyped id). [`ChartUpdate::apply`] does not require them, so an
    /// update loaded for one model still applies to another that lacks some of its accounts.
    pub fn check(&self, base: &BTreeSet<AccountId>) -> Result<(), UpdateError> {
        let rows: BTreeSet<&AccountId> = self.rows.iter().map(|r| &r.account).collect();
        let named: BTreeSet<&AccountId> = self
            .rows
            .iter()
            .filter_map(|r| r.change.as_ref())
            .flat_map(AccountChange::successors)
            .collect();
        for row in &self.rows {
            let successors = row.change.as_ref().map_or(&[][..], |c| c.successors());
            if let Some(missing) = successors
                .iter()
                .find(|s| !base.contains(*s) && !rows.contains(s))
            {
                return Err(UpdateError {
                    line: row.line,
                    problem: UpdateProblem::UnknownSuccessor {
                        account: row.account.clone(),
                        successor: missing.clone(),
                    },
                });
            }
            if row.valid_from.is_none()
                && !base.contains(&row.account)
                && !named.contains(&row.account)
            {
                let account = row.account.clone();
                return Err(UpdateError {
                    line: row.line,
                    problem: match row.change {
                        Some(_) => UpdateProblem::UnknownAccount { account },
                        None => UpdateProblem::NoValidFrom { account },
                    },
                });
            }
        }
        Ok(())
    }

    /// The chart in force: every account of `base` open since ever, each row replacing its
    /// account or adding a new one, and successors without a row added as open from the day
    /// their predecessor ends. A row without `valid_from` is valid since ever when it is one of
    /// `base` or names no predecessor, else from the day its first predecessor ends. Validated
    /// like any chart (dates, successors valid when their predecessor ends, no cycles); a
    /// problem names the line of the row it is about.
    pub fn apply(&self, base: &BTreeSet<AccountId>) -> Result<Chart, UpdateError> {
        // The day each successor takes over: the earliest end of an account naming it.
        let mut starts: BTreeMap<&AccountId, NaiveDate> = BTreeMap::new();
        for row in &self.rows {
            let (Some(change), Some(ends)) = (&row.change, row.valid_to) else {
                continue;
            };
            for successor in change.successors() {
                let start = starts.entry(successor).or_insert(ends);
                *start = (*start).min(ends);
            }
        }
        let mut entries: Vec<AccountEntry> = Vec::with_capacity(base.len() + self.rows.len());
        let mut listed: BTreeSet<&AccountId> = BTreeSet::new();
        for row in &self.rows {
            let valid_from = match row.valid_from {
                Some(day) => day,
                None if base.contains(&row.account) => NaiveDate::MIN,
                None => starts.get(&row.account).copied().unwrap_or(NaiveDate::MIN),
            };
            entries.push(AccountEntry {
                id: row.account.clone(),
                name: row.name.clone(),
                valid_from,
                valid_to: row.valid_to,
                change: row.change.clone(),
            });
            listed.insert(&row.account);
        }
        for id in base.iter().filter(|id| !listed.contains(id)) {
            entries.push(AccountEntry::open(id.clone(), "", NaiveDate::MIN));
        }
        for (successor, start) in &starts {
            if !listed.contains(successor) && !base.contains(*successor) {
                entries.push(AccountEntry::open((*successor).clone(), "", *start));
            }
        }
        Chart::new(entries).map_err(|e| UpdateError {
            line: self.line_of(e.account()),
            problem: UpdateProblem::Chart(e),
        })
    }

    /// The line of `account`'s row, else of the first row naming it as successor, else the
    /// first row's.
    fn line_of(&self, account: &AccountId) -> usize {
        let own = self.rows.iter().find(|r| &r.account == account);
        let naming = || {
            self.rows.iter().find(|r| {
                r.change
                    .as_ref()
                    .is_some_and(|c| c.successors().contains(account))
            })
        };
        own.or_else(naming)
            .or(self.rows.first())
            .map_or(1, |r| r.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChangeKind;

    fn id(s: &str) -> AccountId {
        AccountId::parse(s).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row(
        line: usize,
        account: &str,
        to: Option<&str>,
        change: Option<AccountChange>,
    ) -> UpdateRow {
        UpdateRow {
            line,
            account: id(account),
            name: String::new(),
            valid_from: None,
            valid_to: to.map(day),
            change,
        }
    }

    fn base(ids: &[&str]) -> BTreeSet<AccountId> {
        ids.iter().map(|s| id(s)).collect()
    }

    #[test]
    fn a_successor_without_a_row_starts_when_its_predecessor_ends() {
        let update = ChartUpdate::new(vec![row(
            2,
            "A",
            Some("2027-01-01"),
            Some(AccountChange::Renamed { to: id("A2") }),
        )])
        .unwrap();
        assert_eq!(update.effective_dates(), vec![day("2027-01-01")]);
        // Loading it, A2 must be the model's or have a row.
        let err = update.check(&base(&["A", "B"])).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(
            err.to_string()
                .starts_with("line 2: account A names successor A2"),
            "{err}"
        );
        update.check(&base(&["A", "A2"])).unwrap();
        // Applied leniently, A2 is added from the day A ends.
        let chart = update.apply(&base(&["A", "B"])).unwrap();
        assert!(!chart.is_valid(&id("A2"), day("2026-12-31")));
        assert!(chart.is_valid(&id("A2"), day("2027-01-01")));
        assert!(chart.is_valid(&id("A"), day("2026-12-31")));
        assert!(chart.is_valid(&id("B"), day("1900-01-01")));
        assert_eq!(
            chart.current(&id("A"), day("2027-01-01")),
            crate::Mapping::Mapped {
                to: id("A2"),
                via: vec![ChangeKind::Renamed]
            }
        );
    }

    #[test]
    fn problems_name_the_line_of_their_row() {
        let dup = ChartUpdate::new(vec![
            row(2, "A", None, None),
            row(3, "B", None, None),
            row(4, "A", None, None),
        ])
        .unwrap_err();
        assert_eq!(
            dup.to_string(),
            "line 4: account A already has a row (line 2); give each account one row"
        );
        let new = ChartUpdate::new(vec![row(2, "N", None, None)]).unwrap();
        let err = new.check(&base(&["A"])).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(
            matches!(err.problem, UpdateProblem::NoValidFrom { .. }),
            "{err}"
        );
        // Applied all the same (for a model it was not loaded for), N is valid since ever.
        let chart = new.apply(&base(&["A"])).unwrap();
        assert!(chart.is_valid(&id("N"), NaiveDate::MIN));
        // Closing an account the model does not code to, without its valid_from: a typo?
        let typo = ChartUpdate::new(vec![row(
            3,
            "A0",
            Some("2027-01-01"),
            Some(AccountChange::Closed),
        )])
        .unwrap();
        let err = typo.check(&base(&["AO"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: account A0 is not an account the model codes to and no row names it as a \
             successor; correct the id, or give its valid_from if it is an account of the chart \
             the model never codes to"
        );
        let mut dated = typo.rows()[0].clone();
        dated.valid_from = Some(NaiveDate::MIN);
        ChartUpdate::new(vec![dated])
            .unwrap()
            .check(&base(&["AO"]))
            .unwrap();
        // A cycle through two rows names the first row of the cycle found.
        let cycle = ChartUpdate::new(vec![
            row(
                2,
                "A",
                Some("2027-01-01"),
                Some(AccountChange::Renamed { to: id("B") }),
            ),
            row(
                3,
                "B",
                Some("2027-01-01"),
                Some(AccountChange::Renamed { to: id("A") }),
            ),
        ])
        .unwrap();
        let err = cycle.apply(&base(&["A", "B"])).unwrap_err();
        assert!(
            matches!(err.problem, UpdateProblem::Chart(ChartError::Cycle { .. })),
            "{err}"
        );
        assert!(err.line == 2 || err.line == 3, "{err}");
        assert!(err.to_string().contains("break the cycle"), "{err}");
        // A change without its day.
        let undated =
            ChartUpdate::new(vec![row(5, "A", None, Some(AccountChange::Closed))]).unwrap();
        let err = undated.apply(&base(&["A"])).unwrap_err();
        assert_eq!(err.line, 5);
        assert!(
            err.to_string()
                .contains("give the date the change takes effect"),
            "{err}"
        );
    }
}
