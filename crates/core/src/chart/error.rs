//! The error for an inconsistent chart of accounts; it names the account and the fix.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::ChangeKind;
use crate::{AccountId, cpr};

/// Why [`super::Chart::new`] rejected a list of accounts. Account ids are shown with anything
/// that looks like a CPR number masked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error(
        "account {} appears more than once; give each account one entry",
        shown(.account)
    )]
    DuplicateAccount { account: AccountId },
    #[error(
        "account {} is valid from {valid_from} to {valid_to}, an empty period; \
         valid_to (exclusive) must be after valid_from",
        shown(.account)
    )]
    EmptyValidity {
        account: AccountId,
        valid_from: NaiveDate,
        valid_to: NaiveDate,
    },
    #[error(
        "account {} has change = {change} but no valid_to; \
         give the date the change takes effect as valid_to",
        shown(.account)
    )]
    ChangeWithoutEnd {
        account: AccountId,
        change: ChangeKind,
    },
    #[error(
        "account {} ends on {valid_to} but has no change; \
         give change = closed if it has no successor",
        shown(.account)
    )]
    EndWithoutChange {
        account: AccountId,
        valid_to: NaiveDate,
    },
    #[error(
        "account {} names successor {}, which is not in the chart; \
         add the successor or correct the change",
        shown(.account), shown(.successor)
    )]
    UnknownSuccessor {
        account: AccountId,
        successor: AccountId,
    },
    #[error(
        "account {} is split into {found} account(s); a split needs at least two \
         (use renamed or merged for one successor)",
        shown(.account)
    )]
    SplitTooFew { account: AccountId, found: usize },
    #[error(
        "account {} names successor {} more than once; list each successor once",
        shown(.account), shown(.successor)
    )]
    DuplicateSuccessor {
        account: AccountId,
        successor: AccountId,
    },
    #[error(
        "account {} succeeds itself through a chain of changes; break the cycle",
        shown(.account)
    )]
    Cycle { account: AccountId },
    #[error(
        "successor {} of account {} is not valid on {on}, when {} ends; \
         the successor must be valid from {on} or earlier and not end by then",
        shown(.successor), shown(.account), shown(.account)
    )]
    SuccessorNotValid {
        account: AccountId,
        successor: AccountId,
        on: NaiveDate,
    },
}

impl ChartError {
    /// The account the problem is about (the one ending, for problems with its successors).
    pub fn account(&self) -> &AccountId {
        match self {
            ChartError::DuplicateAccount { account }
            | ChartError::EmptyValidity { account, .. }
            | ChartError::ChangeWithoutEnd { account, .. }
            | ChartError::EndWithoutChange { account, .. }
            | ChartError::UnknownSuccessor { account, .. }
            | ChartError::SplitTooFew { account, .. }
            | ChartError::DuplicateSuccessor { account, .. }
            | ChartError::Cycle { account }
            | ChartError::SuccessorNotValid { account, .. } => account,
        }
    }
}

/// An account id for a message, anything CPR-shaped masked.
pub(super) fn shown(account: &AccountId) -> Cow<'_, str> {
    cpr::mask(account.as_str())
}
