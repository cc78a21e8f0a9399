//! What happens to an account when it ends: renamed, merged, split or closed.

use std::fmt;
use std::slice;
use std::str::FromStr;

use crate::{AccountId, UnknownValue};

/// The change that ends an account, with its successors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChange {
    /// Continues unchanged under a new id.
    Renamed { to: AccountId },
    /// Merged, with others, into one account.
    Merged { into: AccountId },
    /// Split into several accounts (at least two); which one a past coding belongs to is
    /// ambiguous.
    Split { into: Vec<AccountId> },
    /// Closed without successor.
    Closed,
}

/// The kind of an [`AccountChange`], without its successors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    Renamed,
    Merged,
    Split,
    Closed,
}

/// Why a change and its successors do not go together (see [`AccountChange::new`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error(
        "a closed account has no successors, found {found}; empty `successors` or use \
         `renamed`, `merged` or `split`"
    )]
    ClosedWithSuccessors { found: usize },
    #[error("`{kind}` needs exactly one successor, found {found}; list it in `successors`")]
    NotOneSuccessor { kind: ChangeKind, found: usize },
    #[error(
        "`split` needs at least two successors, found {found}; use `renamed` or `merged` for one"
    )]
    SplitTooFew { found: usize },
}

impl AccountChange {
    /// The change of `kind` to `successors`: none for `closed`, exactly one for `renamed` and
    /// `merged`, two or more for `split`.
    pub fn new(
        kind: ChangeKind,
        mut successors: Vec<AccountId>,
    ) -> Result<AccountChange, ChangeError> {
        let found = successors.len();
        match kind {
            ChangeKind::Closed if found == 0 => Ok(AccountChange::Closed),
            ChangeKind::Closed => Err(ChangeError::ClosedWithSuccessors { found }),
            ChangeKind::Renamed | ChangeKind::Merged if found != 1 => {
                Err(ChangeError::NotOneSuccessor { kind, found })
            }
            ChangeKind::Renamed => Ok(AccountChange::Renamed {
                to: successors.remove(0),
            }),
            ChangeKind::Merged => Ok(AccountChange::Merged {
                into: successors.remove(0),
            }),
            ChangeKind::Split if found < 2 => Err(ChangeError::SplitTooFew { found }),
            ChangeKind::Split => Ok(AccountChange::Split { into: successors }),
        }
    }

    pub fn kind(&self) -> ChangeKind {
        match self {
            AccountChange::Renamed { .. } => ChangeKind::Renamed,
            AccountChange::Merged { .. } => ChangeKind::Merged,
            AccountChange::Split { .. } => ChangeKind::Split,
            AccountChange::Closed => ChangeKind::Closed,
        }
    }

    /// The accounts that take over; empty when closed.
    pub fn successors(&self) -> &[AccountId] {
        match self {
            AccountChange::Renamed { to } => slice::from_ref(to),
            AccountChange::Merged { into } => slice::from_ref(into),
            AccountChange::Split { into } => into,
            AccountChange::Closed => &[],
        }
    }
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 4] = [
        ChangeKind::Renamed,
        ChangeKind::Merged,
        ChangeKind::Split,
        ChangeKind::Closed,
    ];

    /// Parses `renamed`, `merged`, `split` or `closed` (surrounding whitespace allowed).
    pub fn parse(input: &str) -> Result<ChangeKind, UnknownValue> {
        let input = input.trim();
        ChangeKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == input)
            .ok_or(EXPECTED)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Renamed => "renamed",
            ChangeKind::Merged => "merged",
            ChangeKind::Split => "split",
            ChangeKind::Closed => "closed",
        }
    }
}

impl FromStr for ChangeKind {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<ChangeKind, UnknownValue> {
        ChangeKind::parse(s)
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const EXPECTED: UnknownValue = UnknownValue {
    field: "account change",
    expected: "renamed, merged, split, closed",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(kind.as_str()), Ok(kind));
        }
        assert_eq!(
            ChangeKind::parse("moved").unwrap_err().to_string(),
            "account change must be one of: renamed, merged, split, closed"
        );
    }

    #[test]
    fn changes_are_built_with_the_right_number_of_successors() {
        let a = AccountId::parse("A").unwrap();
        let b = AccountId::parse("B").unwrap();
        assert_eq!(
            AccountChange::new(ChangeKind::Closed, vec![]),
            Ok(AccountChange::Closed)
        );
        assert_eq!(
            AccountChange::new(ChangeKind::Renamed, vec![a.clone()]),
            Ok(AccountChange::Renamed { to: a.clone() })
        );
        assert_eq!(
            AccountChange::new(ChangeKind::Merged, vec![b.clone()]),
            Ok(AccountChange::Merged { into: b.clone() })
        );
        assert_eq!(
            AccountChange::new(ChangeKind::Split, vec![a.clone(), b.clone()]),
            Ok(AccountChange::Split {
                into: vec![a.clone(), b.clone()]
            })
        );
        assert_eq!(
            AccountChange::new(ChangeKind::Closed, vec![a.clone()])
                .unwrap_err()
                .to_string(),
            "a closed account has no successors, found 1; empty `successors` or use `renamed`, \
             `merged` or `split`"
        );
        assert_eq!(
            AccountChange::new(ChangeKind::Renamed, vec![a.clone(), b])
                .unwrap_err()
                .to_string(),
            "`renamed` needs exactly one successor, found 2; list it in `successors`"
        );
        assert_eq!(
            AccountChange::new(ChangeKind::Split, vec![a]).unwrap_err(),
            ChangeError::SplitTooFew { found: 1 }
        );
    }

    #[test]
    fn successors_and_kind() {
        let a = AccountId::parse("A").unwrap();
        let b = AccountId::parse("B").unwrap();
        let split = AccountChange::Split {
            into: vec![a.clone(), b.clone()],
        };
        assert_eq!(split.successors(), [a.clone(), b]);
        assert_eq!(split.kind(), ChangeKind::Split);
        assert_eq!(AccountChange::Renamed { to: a.clone() }.successors(), [a]);
        assert!(AccountChange::Closed.successors().is_empty());
    }
}
