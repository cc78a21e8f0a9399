//! Why an invoice was not coded automatically: machine-readable codes with a human sentence.

use std::fmt;

/// A reason an invoice goes to a person. Screening findings and the decision's own reasons
/// (threshold, support, pause, audit) share this list so that clients see one vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// A field the coding needs is missing (e.g. the buyer, so the receiving unit is unknown).
    RequiredFieldMissing,
    /// The lines do not add up to the declared net total.
    LineTotalMismatch,
    /// The declared VAT does not match the lines' VAT.
    VatMismatch,
    /// The declared amount payable does not follow from net, VAT and prepaid amounts.
    PayableMismatch,
    /// A Danish supplier sent no CVR number.
    SupplierCvrMissing,
    /// The CVR number on the invoice fails its check digit.
    SupplierCvrInvalid,
    /// The CVR on the invoice is not the creditor's CVR in the master data.
    SupplierCvrMismatch,
    /// No creditor in the master data matches the supplier.
    CreditorUnknown,
    /// The creditor is blocked for payment.
    CreditorBlocked,
    /// The creditor's bank account changed recently (a fraud signal).
    BankAccountChanged,
    /// The bank account on the invoice is not the creditor's.
    BankAccountMismatch,
    /// The creditor's address changed recently.
    AddressChanged,
    /// The creditor is of a kind an administrator marked as always manual (e.g. craftsmen).
    CreditorAlwaysManual,
    /// The amount exceeds the area's ceiling for automatic posting.
    AmountAboveCeiling,
    /// The amount is far above what the creditor usually invoices.
    AmountOutsideHistory,
    /// The creditor already sent an invoice with this number.
    DuplicateNumber,
    /// The creditor already sent an invoice with this amount a few days apart.
    DuplicateAmount,
    /// Credit notes are always checked by a person.
    CreditNote,
    /// A negative or zero total on an invoice.
    NonPositiveTotal,
    /// The text holds a personal identification number (CPR); never automated.
    CprInText,
    /// Not in the currency the ledger posts in.
    ForeignCurrency,
    /// The model's confidence is below the threshold for the area.
    BelowThreshold,
    /// Too few similar past invoices support the coding.
    LowSupport,
    /// The supplier's latest invoices to the unit were coded differently from its history or
    /// from the model's answer: the coding may have changed, so the model is less sure.
    RecentChange,
    /// The model could not code a line at all.
    NoPrediction,
    /// A line's account (the model's or a fixed rule's) is closed without successor in the chart
    /// update in force; the coding is only a suggestion.
    AccountClosed,
    /// A line's account was split into several accounts in the chart update in force; a person
    /// chooses one.
    AccountSplit,
    /// Automation is paused for the area.
    AreaPaused,
    /// The area has not yet opened for the calendar year: controllers have reviewed too few of
    /// its invoices received this year to show that the model still holds in it.
    YearOpening,
    /// Drawn at random for a manual check of the automatic coding (the blind audit).
    SampleCheck,
}

impl Reason {
    pub const ALL: [Reason; 30] = [
        Reason::RequiredFieldMissing,
        Reason::LineTotalMismatch,
        Reason::VatMismatch,
        Reason::PayableMismatch,
        Reason::SupplierCvrMissing,
        Reason::SupplierCvrInvalid,
        Reason::SupplierCvrMismatch,
        Reason::CreditorUnknown,
        Reason::CreditorBlocked,
        Reason::BankAccountChanged,
        Reason::BankAccountMismatch,
        Reason::AddressChanged,
        Reason::CreditorAlwaysManual,
        Reason::AmountAboveCeiling,
        Reason::AmountOutsideHistory,
        Reason::DuplicateNumber,
        Reason::DuplicateAmount,
        Reason::CreditNote,
        Reason::NonPositiveTotal,
        Reason::CprInText,
        Reason::ForeignCurrency,
        Reason::BelowThreshold,
        Reason::LowSupport,
        Reason::RecentChange,
        Reason::NoPrediction,
        Reason::AccountClosed,
        Reason::AccountSplit,
        Reason::AreaPaused,
        Reason::YearOpening,
        Reason::SampleCheck,
    ];

    /// The stable snake_case code clients match on.
    pub fn code(self) -> &'static str {
        match self {
            Reason::RequiredFieldMissing => "required_field_missing",
            Reason::LineTotalMismatch => "line_total_mismatch",
            Reason::VatMismatch => "vat_mismatch",
            Reason::PayableMismatch => "payable_mismatch",
            Reason::SupplierCvrMissing => "supplier_cvr_missing",
            Reason::SupplierCvrInvalid => "supplier_cvr_invalid",
            Reason::SupplierCvrMismatch => "supplier_cvr_mismatch",
            Reason::CreditorUnknown => "creditor_unknown",
            Reason::CreditorBlocked => "creditor_blocked",
            Reason::BankAccountChanged => "bank_account_changed",
            Reason::BankAccountMismatch => "bank_account_mismatch",
            Reason::AddressChanged => "address_changed",
            Reason::CreditorAlwaysManual => "creditor_always_manual",
            Reason::AmountAboveCeiling => "amount_above_ceiling",
            Reason::AmountOutsideHistory => "amount_outside_history",
            Reason::DuplicateNumber => "duplicate_number",
            Reason::DuplicateAmount => "duplicate_amount",
            Reason::CreditNote => "credit_note",
            Reason::NonPositiveTotal => "non_positive_total",
            Reason::CprInText => "cpr_in_text",
            Reason::ForeignCurrency => "foreign_currency",
            Reason::BelowThreshold => "below_threshold",
            Reason::LowSupport => "low_support",
            Reason::RecentChange => "recent_change",
            Reason::NoPrediction => "no_prediction",
            Reason::AccountClosed => "account_closed",
            Reason::AccountSplit => "account_split",
            Reason::AreaPaused => "area_paused",
            Reason::YearOpening => "year_opening",
            Reason::SampleCheck => "sample_check",
        }
    }

    /// Whether the reason comes from screening (before the model) rather than the decision.
    pub fn is_screening(self) -> bool {
        !matches!(
            self,
            Reason::BelowThreshold
                | Reason::LowSupport
                | Reason::RecentChange
                | Reason::NoPrediction
                | Reason::AccountClosed
                | Reason::AccountSplit
                | Reason::AreaPaused
                | Reason::YearOpening
                | Reason::SampleCheck
        )
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One reason with the sentence a person reads. The sentence never holds a CPR number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub reason: Reason,
    pub message: String,
}

impl Finding {
    pub fn new(reason: Reason, message: impl Into<String>) -> Finding {
        Finding {
            reason,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))
        );
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Reason::ALL.len());
        assert!(Reason::CprInText.is_screening());
        assert!(!Reason::SampleCheck.is_screening());
        assert!(!Reason::AccountClosed.is_screening());
        assert_eq!(Reason::AccountClosed.code(), "account_closed");
        assert_eq!(Reason::AccountSplit.code(), "account_split");
        assert_eq!(Reason::RecentChange.code(), "recent_change");
        assert!(!Reason::RecentChange.is_screening());
    }
}
