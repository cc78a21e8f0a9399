//! The consistency checks behind `Chart::new`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{AccountChange, AccountEntry, ChartError};
use crate::AccountId;

type Entries = BTreeMap<AccountId, AccountEntry>;

/// Checks each entry in input order, then cycles, then successor validity.
pub(super) fn validate(list: Vec<AccountEntry>) -> Result<Entries, ChartError> {
    for entry in &list {
        check_entry(entry)?;
    }
    let order: Vec<AccountId> = list.iter().map(|entry| entry.id.clone()).collect();
    let mut entries = Entries::new();
    for entry in list {
        if entries.contains_key(&entry.id) {
            return Err(ChartError::DuplicateAccount { account: entry.id });
        }
        entries.insert(entry.id.clone(), entry);
    }
    for id in &order {
        check_successors_exist(&entries, id)?;
    }
    if let Some(account) = find_cycle(&entries, &order) {
        return Err(ChartError::Cycle {
            account: account.clone(),
        });
    }
    for id in &order {
        check_successors_valid(&entries, id)?;
    }
    Ok(entries)
}

/// Checks that need only the entry itself.
fn check_entry(entry: &AccountEntry) -> Result<(), ChartError> {
    let account = || entry.id.clone();
    match (entry.valid_to, &entry.change) {
        (Some(valid_to), _) if valid_to <= entry.valid_from => Err(ChartError::EmptyValidity {
            account: account(),
            valid_from: entry.valid_from,
            valid_to,
        }),
        (None, Some(change)) => Err(ChartError::ChangeWithoutEnd {
            account: account(),
            change: change.kind(),
        }),
        (Some(valid_to), None) => Err(ChartError::EndWithoutChange {
            account: account(),
            valid_to,
        }),
        (_, Some(AccountChange::Split { into })) if into.len() < 2 => {
            Err(ChartError::SplitTooFew {
                account: account(),
                found: into.len(),
            })
        }
        (_, Some(change)) => {
            let mut seen = BTreeSet::new();
            match change.successors().iter().find(|s| !seen.insert(*s)) {
                Some(successor) => Err(ChartError::DuplicateSuccessor {
                    account: account(),
                    successor: successor.clone(),
                }),
                None => Ok(()),
            }
        }
        (None, None) => Ok(()),
    }
}

fn successors<'a>(entries: &'a Entries, id: &AccountId) -> &'a [AccountId] {
    entries
        .get(id)
        .and_then(|entry| entry.change.as_ref())
        .map_or(&[], AccountChange::successors)
}

fn check_successors_exist(entries: &Entries, id: &AccountId) -> Result<(), ChartError> {
    match successors(entries, id)
        .iter()
        .find(|s| !entries.contains_key(*s))
    {
        Some(successor) => Err(ChartError::UnknownSuccessor {
            account: id.clone(),
            successor: successor.clone(),
        }),
        None => Ok(()),
    }
}

/// Each successor must be valid on the day its predecessor ends.
fn check_successors_valid(entries: &Entries, id: &AccountId) -> Result<(), ChartError> {
    let Some(ends) = entries.get(id).and_then(|entry| entry.valid_to) else {
        return Ok(());
    };
    for successor in successors(entries, id) {
        if !entries.get(successor).is_some_and(|s| s.is_valid_on(ends)) {
            return Err(ChartError::SuccessorNotValid {
                account: id.clone(),
                successor: successor.clone(),
                on: ends,
            });
        }
    }
    Ok(())
}

/// An account on a cycle of successor links, searching from the roots in `order`.
fn find_cycle<'a>(entries: &'a Entries, order: &'a [AccountId]) -> Option<&'a AccountId> {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        Open,
        Done,
    }
    let mut state: HashMap<&AccountId, State> = HashMap::new();
    for root in order {
        if state.contains_key(root) {
            continue;
        }
        state.insert(root, State::Open);
        // Iterative depth-first search: (account, index of the next successor to visit).
        let mut stack: Vec<(&AccountId, usize)> = vec![(root, 0)];
        while let Some(&(node, next)) = stack.last() {
            match successors(entries, node).get(next) {
                Some(successor) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    match state.get(successor) {
                        Some(State::Open) => return Some(successor),
                        Some(State::Done) => {}
                        None => {
                            state.insert(successor, State::Open);
                            stack.push((successor, 0));
                        }
                    }
                }
                None => {
                    state.insert(node, State::Done);
                    stack.pop();
                }
            }
        }
    }
    None
}
