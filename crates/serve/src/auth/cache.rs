//! A short-lived cache of token → caller, so the coding API does not read the users table on
//! every request. Entries live one second: a revoked token or a disabled user stops working
//! within a second, on every instance.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Principal;

/// How long an entry is trusted.
pub const TTL: Duration = Duration::from_secs(1);
/// Most entries kept; the cache is emptied when full (tokens are few; this bounds memory if a
/// client sends many valid ones).
const CAPACITY: usize = 4096;

/// Token (as sent) → caller, for [`TTL`].
#[derive(Debug, Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<String, (Principal, Instant)>>,
}

impl TokenCache {
    pub fn get(&self, token: &str) -> Option<Principal> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(token)
            .filter(|(_, at)| at.elapsed() < TTL)
            .map(|(p, _)| p.clone())
    }

    pub fn put(&self, token: &str, principal: Principal) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(token.to_owned(), (principal, Instant::now()));
    }

    /// Forgets everything (after a user or token changed on this instance).
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
