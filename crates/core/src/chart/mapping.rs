//! Mapping a historical account onto the chart valid on a given day.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;

use super::{AccountEntry, ChangeKind, Chart};
use crate::AccountId;

/// What a historical account is on a later day; see [`Chart::current`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapping {
    /// The account itself is still valid.
    Unchanged,
    /// The account was replaced by exactly one valid account, through the changes in `via`.
    Mapped { to: AccountId, via: Vec<ChangeKind> },
    /// Every path from the account ends in a closed account; `on` is the latest closing day.
    Closed { on: NaiveDate },
    /// A split left several valid accounts (sorted, without duplicates); a person must choose.
    Ambiguous { candidates: Vec<AccountId> },
    /// The account is not in the chart.
    Unknown,
    /// The account only becomes valid after the day asked about.
    NotYetValid,
}

impl Mapping {
    /// The account to use now: the original when unchanged, the target when mapped, else `None`.
    pub fn current<'a>(&'a self, original: &'a AccountId) -> Option<&'a AccountId> {
        match self {
            Mapping::Unchanged => Some(original),
            Mapping::Mapped { to, .. } => Some(to),
            Mapping::Closed { .. }
            | Mapping::Ambiguous { .. }
            | Mapping::Unknown
            | Mapping::NotYetValid => None,
        }
    }
}

impl Chart {
    /// What `account`, used in a historical coding, corresponds to on `as_of`.
    ///
    /// Follows chains of changes (renamed, then merged, ...) to the accounts valid on `as_of`.
    /// Branches that end closed drop out; if all do, the result is [`Mapping::Closed`]. A split
    /// whose branches meet again in one account is [`Mapping::Mapped`].
    pub fn current(&self, account: &AccountId, as_of: NaiveDate) -> Mapping {
        let Some(entry) = self.get(account) else {
            return Mapping::Unknown;
        };
        if as_of < entry.valid_from {
            return Mapping::NotYetValid;
        }
        if entry.is_valid_on(as_of) {
            return Mapping::Unchanged;
        }
        let mut found: BTreeMap<&AccountId, Vec<ChangeKind>> = BTreeMap::new();
        let mut closed_on: Option<NaiveDate> = None;
        let mut seen: HashSet<&AccountId> = HashSet::new();
        // Accounts that ended on or before `as_of`, with the changes that led to them.
        let mut stack: Vec<(&AccountEntry, Vec<ChangeKind>)> = vec![(entry, Vec::new())];
        while let Some((ended, via)) = stack.pop() {
            let Some(change) = &ended.change else {
                // Not reachable in a validated chart: an ended account always has a change.
                closed_on = closed_on.max(ended.valid_to);
                continue;
            };
            if change.kind() == ChangeKind::Closed {
                closed_on = closed_on.max(ended.valid_to);
            }
            for id in change.successors().iter().rev() {
                let Some(successor) = self.get(id) else {
                    continue;
                };
                if !seen.insert(id) {
                    continue;
                }
                let mut path = via.clone();
                path.push(change.kind());
                if successor.is_valid_on(as_of) {
                    found.entry(id).or_insert(path);
                } else if successor.valid_from <= as_of {
                    stack.push((successor, path));
                }
            }
        }
        let mut found = found.into_iter();
        match (found.next(), found.len()) {
            (None, _) => Mapping::Closed {
                on: closed_on.or(entry.valid_to).unwrap_or(as_of),
            },
            (Some((to, via)), 0) => Mapping::Mapped {
                to: to.clone(),
                via,
            },
            (Some((first, _)), _) => Mapping::Ambiguous {
                candidates: std::iter::once(first)
                    .chain(found.map(|(id, _)| id))
                    .cloned()
                    .collect(),
            },
        }
    }
}
