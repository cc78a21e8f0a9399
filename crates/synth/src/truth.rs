//! What the generator knows and the tables do not say: each line's intended coding, which
//! postings are wrong, which invoices are duplicates and which break form rules. Tests use it to
//! measure the generated phenomena; it is never written to the contract tables.

use std::collections::BTreeSet;

use chrono::NaiveDate;
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
    /// The drift injected in one year (`--drift-year`); `None` without it.
    pub drift: Option<DriftTruth>,
}

impl Truth {
    /// The invoices with a line a clerk posted wrongly (a slip).
    pub fn slipped_invoices(&self) -> BTreeSet<&str> {
        self.lines
            .iter()
            .filter(|l| l.noisy)
            .map(|l| l.invoice_id.as_str())
            .collect()
    }
}

/// What changed in the drift year, and which invoices it touched.
#[derive(Debug, Clone, PartialEq)]
pub struct DriftTruth {
    pub year: i32,
    /// Accounts whose meaning changed on 1 January of the drift year (by posting date).
    pub repurposed: Vec<Repurposing>,
    /// Accounts opened on 1 January of the drift year (they are in the `accounts` table).
    pub new_accounts: Vec<String>,
    /// Units reorganised on 1 July of the drift year (by issue date).
    pub reorganised: Vec<Reorganisation>,
    /// Creditors that arrived in the drift year on top of the usual arrivals.
    pub extra_creditors: Vec<String>,
    /// Posted invoices the drift touched, one entry per invoice and effect, in invoice order.
    pub affected: Vec<(String, DriftEffect)>,
}

/// One re-purposed account: lines the history posts to `from` are posted to `to` from the drift
/// year on. The chart says nothing of it: both accounts stay valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repurposing {
    /// The account the history says.
    pub from: String,
    /// The account the same lines are posted to from 1 January of the drift year.
    pub to: String,
    /// Whether `to` is an account opened that day.
    pub to_new_account: bool,
    /// What moved: the function and expense type of the lines.
    pub what: String,
}

/// One unit's reorganisation from 1 July of the drift year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reorganisation {
    pub kind: ReorganisationKind,
    /// The unit reorganised, as it was.
    pub unit_id: String,
    pub gln: String,
    pub cost_centre: String,
    /// The first issue date its invoices move on.
    pub from: NaiveDate,
    /// The unit taking over: the one it merged into, or its new half.
    pub other_unit_id: String,
    /// The buyer GLN its moved invoices carry from then on (its own when merged: the
    /// institution keeps its location number) and the cost centre they are coded to.
    pub new_gln: String,
    pub new_cost_centre: String,
}

/// How a unit was reorganised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReorganisationKind {
    /// Merged into another unit: its invoices keep its GLN but are coded to the other unit's
    /// cost centre (and function).
    MergedInto,
    /// Split in two: a new unit, with its own unit id, GLN and cost centre, takes about half of
    /// its invoices.
    SplitOff,
}

/// How the drift touched an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DriftEffect {
    /// A line's account is a re-purposing's `to` where the history says its `from`.
    Repurposed,
    /// Its unit or cost centre is a reorganisation's new one.
    Reorganised,
    /// It comes from one of the extra creditors.
    ExtraCreditor,
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
