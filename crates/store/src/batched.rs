//! Look-ups asked for many keys in one statement: the keys as a `VALUES` table `q` whose first
//! column `i` numbers them, joined to the indexes; each answer row carries its `i`, so it goes
//! back to the key it answers. `duplicates.rs` and `group_reviews.rs` ask this way.

use sqlx::Any;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;

use crate::engine::Spelled;
use crate::error::db;
use crate::{Store, StoreError};

/// At most this many keys go in one statement.
pub(crate) const KEYS_PER_STATEMENT: usize = 32;

/// The answers to `keys`, one list each, in their order: for each [`KEYS_PER_STATEMENT`] of
/// them the statement `sql` written for that many keys, spelled for the store's engine, with
/// each key bound by `bind` after its number, run on the store's readers; each row read by
/// `read` into its key's list, in the rows' order, until the list holds `cap`. `action` names
/// the look-up in errors.
pub(crate) async fn answers<'q, K, T>(
    store: &Store,
    sql: &'static Spelled,
    keys: &'q [K],
    bind: impl Fn(Query<'q, Any, AnyArguments>, &'q K) -> Query<'q, Any, AnyArguments>,
    read: impl Fn(&AnyRow) -> Result<T, StoreError>,
    cap: usize,
    action: &'static str,
) -> Result<Vec<Vec<T>>, StoreError> {
    let mut found: Vec<Vec<T>> = keys.iter().map(|_| Vec::new()).collect();
    for (chunk, first) in keys
        .chunks(KEYS_PER_STATEMENT)
        .zip((0..).step_by(KEYS_PER_STATEMENT))
    {
        let mut query = sqlx::query(sql.get(store.engine(), chunk.len()));
        for (i, key) in chunk.iter().enumerate() {
            query = bind(query.bind(i64::try_from(i).unwrap_or(i64::MAX)), key);
        }
        let rows = query.fetch_all(store.reader()).await.map_err(db(action))?;
        for row in &rows {
            let i: i64 = sqlx::Row::try_get(row, "i").map_err(db(action))?;
            let Some(list) = usize::try_from(i)
                .ok()
                .and_then(|i| found.get_mut(first + i))
            else {
                continue;
            };
            if list.len() < cap {
                list.push(read(row)?);
            }
        }
    }
    Ok(found)
}
