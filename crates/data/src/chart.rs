//! [`chart_from_rows`]: the `accounts` table as a validated `kontera_core::Chart`.

use kontera_core::{AccountChange, AccountEntry, AccountId, ChangeKind, Chart};

use crate::contract::AccountRow;
use crate::error::DataError;

/// Converts the `accounts` table into the core crate's chart of accounts.
///
/// Each row becomes an [`AccountEntry`]; `change` and the `;`-separated `successors` become an
/// [`AccountChange`] (`renamed` and `merged` take exactly one successor, `split` several,
/// `closed` none). `function`, `dranst` and `art` are descriptive and not part of the chart.
/// Row-level problems name the row; consistency across rows is checked by [`Chart::new`].
pub fn chart_from_rows(rows: &[AccountRow]) -> Result<Chart, DataError> {
    let entries = rows
        .iter()
        .enumerate()
        .map(|(i, row)| entry(i + 1, row))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Chart::new(entries)?)
}

fn entry(row: usize, r: &AccountRow) -> Result<AccountEntry, DataError> {
    let error = |column, message: String| DataError::Account {
        column,
        row,
        message,
    };
    let id = AccountId::parse(&r.account).map_err(|e| error("account", e.to_string()))?;
    let successors = r
        .successors
        .as_deref()
        .unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| AccountId::parse(s).map_err(|e| error("successors", format!("successor {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let kind = match r.change.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(change) => {
            Some(ChangeKind::parse(change).map_err(|e| error("change", e.to_string()))?)
        }
    };
    let change = match (kind, successors.len()) {
        (None, 0) => None,
        (None, n) => {
            return Err(error(
                "successors",
                format!("{n} successor(s) but no change; set `change` or empty `successors`"),
            ));
        }
        (Some(ChangeKind::Closed), 0) => Some(AccountChange::Closed),
        (Some(ChangeKind::Closed), n) => {
            return Err(error(
                "successors",
                format!(
                    "a closed account has no successors, found {n}; empty `successors` or use \
                     `renamed`, `merged` or `split`"
                ),
            ));
        }
        (Some(kind @ (ChangeKind::Renamed | ChangeKind::Merged)), n) if n != 1 => {
            return Err(error(
                "successors",
                format!("`{kind}` needs exactly one successor, found {n}; list it in `successors`"),
            ));
        }
        (Some(ChangeKind::Renamed), _) => Some(AccountChange::Renamed {
            to: successors[0].clone(),
        }),
        (Some(ChangeKind::Merged), _) => Some(AccountChange::Merged {
            into: successors[0].clone(),
        }),
        (Some(ChangeKind::Split), _) => Some(AccountChange::Split { into: successors }),
    };
    Ok(AccountEntry {
        id,
        name: r.name.clone(),
        valid_from: r.valid_from,
        valid_to: r.valid_to,
        change,
    })
}
