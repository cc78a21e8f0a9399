//! What a training line must offer, whatever its source (contract tables or a real export): the
//! model's evidence, the labels, the date and the invoice it belongs to.

use chrono::NaiveDate;
use kontera_core::model::{Field, LineEvidence};
use rust_decimal::Decimal;

/// One labelled line to learn from or evaluate on.
pub trait Example {
    /// The invoice the line belongs to (lines of one invoice are automated together).
    fn invoice(&self) -> &str;
    /// The date the line is placed in time by (issue date).
    fn date(&self) -> NaiveDate;
    fn evidence(&self) -> LineEvidence<'_>;
    /// The right label of a field, if the data has that field.
    fn label(&self, field: Field) -> Option<&str>;
    /// The line's area or directorate, for reports per area.
    fn area(&self) -> Option<&str> {
        None
    }
    /// The line's exact net amount (fixed rules' amount bands compare exactly).
    fn amount(&self) -> Decimal {
        Decimal::from_f64_retain(self.evidence().amount).unwrap_or_default()
    }
}
