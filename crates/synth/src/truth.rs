//! What the generator knows and the tables do not say: each line's intended coding, which
//! postings are wrong, which invoices are duplicates and which break form rules. Tests use it to
//! measure the generated phenomena; it is never written to the contract tables.

use rand::Rng;

/// The generator's side record of one dataset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Truth {
    /// One entry per posted invoice line (duplicates are not posted and have none).
    pub lines: Vec<LineTruth>,
    /// (duplicate invoice id, original invoice id).
    pub duplicates: Vec<(String, String)>,
    /// Invoices that break a form rule, and which.
    pub defects: Vec<(String, Defect)>,
}

/// The coding a line should have had, and whether the clerk's posting got it wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct LineTruth {
    pub invoice_id: String,
    pub line_no: u32,
    pub account: String,
    pub cost_centre: String,
    pub vat_code: String,
    /// The posting for this line carries a wrong account or cost centre.
    pub noisy: bool,
}

/// A form rule an invoice breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// Neither buyer GLN nor buyer reference.
    MissingBuyer,
    /// The supplier's CVR fails its check digit.
    InvalidCvr,
    /// Net plus VAT does not give the gross total.
    TotalsDisagree,
    /// The VAT total does not match the lines.
    VatDisagrees,
    /// A line without text.
    EmptyLineText,
    MissingDueDate,
}

impl Defect {
    const ALL: [Defect; 6] = [
        Defect::MissingBuyer,
        Defect::InvalidCvr,
        Defect::TotalsDisagree,
        Defect::VatDisagrees,
        Defect::EmptyLineText,
        Defect::MissingDueDate,
    ];

    pub(crate) fn random(rng: &mut impl Rng) -> Defect {
        Defect::ALL[rng.random_range(0..Defect::ALL.len())]
    }
}
