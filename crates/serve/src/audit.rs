//! The blind audit draw: a keyed, deterministic choice of which would-be-automatic invoices a
//! person codes anyway, so the service's precision is measured rather than assumed.
//!
//! The draw hashes a secret salt with the invoice's identity (SHA-256), so the same invoice
//! always gets the same answer (on every instance) and no supplier can predict it without the
//! salt.

use sha2::{Digest, Sha256};

/// Draws audit samples at `rate`.
#[derive(Clone)]
pub struct AuditDraw {
    salt: Vec<u8>,
    rate: f64,
}

impl std::fmt::Debug for AuditDraw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The salt is a secret: never printed.
        f.debug_struct("AuditDraw")
            .field("rate", &self.rate)
            .finish_non_exhaustive()
    }
}

impl AuditDraw {
    pub fn new(salt: impl Into<Vec<u8>>, rate: f64) -> AuditDraw {
        AuditDraw {
            salt: salt.into(),
            rate: rate.clamp(0.0, 1.0),
        }
    }

    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Whether the invoice with idempotency key `key` is an audit sample.
    pub fn is_sample(&self, key: &str) -> bool {
        let mut hasher = Sha256::new();
        hasher.update((self.salt.len() as u64).to_le_bytes());
        hasher.update(&self.salt);
        hasher.update(key.as_bytes());
        let digest = hasher.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        // A uniform number in [0, 1) from the top 53 bits.
        let u = (u64::from_le_bytes(first) >> 11) as f64 / (1u64 << 53) as f64;
        u < self.rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_holds_and_the_draw_is_stable() {
        let draw = AuditDraw::new("a secret of sixteen+ chars", 0.05);
        let keys: Vec<String> = (0..20_000)
            .map(|i| format!("DK{i:08}/invoice/{i}"))
            .collect();
        let drawn = keys.iter().filter(|k| draw.is_sample(k)).count();
        let share = drawn as f64 / keys.len() as f64;
        assert!((share - 0.05).abs() <= 0.006, "audit share {share}");
        // Same key, same answer; another salt draws other invoices.
        assert!(keys.iter().all(|k| draw.is_sample(k) == draw.is_sample(k)));
        let other = AuditDraw::new("another secret, also long", 0.05);
        let overlap = keys
            .iter()
            .filter(|k| draw.is_sample(k) && other.is_sample(k))
            .count();
        assert!(overlap < drawn / 5, "salts must matter: overlap {overlap}");
        assert!(!keys.iter().any(|k| AuditDraw::new("s", 0.0).is_sample(k)));
        assert!(keys.iter().all(|k| AuditDraw::new("s", 1.0).is_sample(k)));
        assert!(!format!("{draw:?}").contains("secret"));
    }
}
