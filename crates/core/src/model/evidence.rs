//! What the model may look at for one invoice line: identities, text, amount — never a CPR.

/// The model's view of one invoice line. Built by the caller from an e-invoice, a contract row or
/// a real export; every field is optional except the text (which may be empty).
///
/// `supplier` must be the most reliable identity available: the CVR when there is one, else the
/// creditor number, and only when neither exists a normalised name. CPR numbers are masked in
/// every field before it becomes a key or a word (see [`crate::cpr::mask`]); callers should mask
/// the text too, so that nothing downstream ever holds one.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineEvidence<'a> {
    pub supplier: Option<&'a str>,
    /// The receiving unit: its id or GLN, or a service name in a single-table export.
    pub unit: Option<&'a str>,
    pub buyer_reference: Option<&'a str>,
    pub text: &'a str,
    pub item_id: Option<&'a str>,
    pub unspsc: Option<&'a str>,
    /// The creditor's industry code.
    pub industry: Option<&'a str>,
    /// The account string the invoice itself carries (UBL `AccountingCost`, the line's or else
    /// the header's; an export's column mapped as `accounting_cost`), as written: evidence for
    /// every field, whether or not it names an account valid in the chart.
    pub accounting_cost: Option<&'a str>,
    /// UBL VAT category code (`S`, `E`, `Z`, `AE`, ...).
    pub vat_category: Option<&'a str>,
    /// Net amount of the line; a feature, so `f64` is fine.
    pub amount: f64,
}
