//! Savings: what automatic coding saves, at a cost per invoice a person would otherwise code.

use rust_decimal::Decimal;

/// The default saving per automatically coded invoice, in DKK: 45.
pub const DEFAULT_SAVING_DKK: Decimal = Decimal::from_parts(45, 0, 0, false, 0);

/// The saving of `auto_invoices` invoices coded automatically at `per_invoice` each (same
/// currency as `per_invoice`). Saturates instead of overflowing.
pub fn savings(auto_invoices: u64, per_invoice: Decimal) -> Decimal {
    Decimal::from(auto_invoices)
        .checked_mul(per_invoice)
        .unwrap_or(if per_invoice.is_sign_negative() {
            Decimal::MIN
        } else {
            Decimal::MAX
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_45_kroner() {
        assert_eq!(DEFAULT_SAVING_DKK, Decimal::from(45));
        assert_eq!(DEFAULT_SAVING_DKK.to_string(), "45");
    }

    #[test]
    fn multiplies_exactly() {
        assert_eq!(savings(0, DEFAULT_SAVING_DKK), Decimal::ZERO);
        assert_eq!(savings(1_234, DEFAULT_SAVING_DKK), Decimal::from(55_530));
        assert_eq!(savings(3, Decimal::new(4_550, 2)), Decimal::new(13_650, 2));
        assert_eq!(savings(3, Decimal::new(4_550, 2)).to_string(), "136.50");
        assert_eq!(savings(u64::MAX, Decimal::MAX), Decimal::MAX);
    }
}
