//! Joining lines with their invoices and postings, through indexes keyed by ids borrowed from the
//! dataset. Checks the keys the join relies on (unique ids, postings that point somewhere).
//!
//! Tables usually list lines and postings in invoice order, so each invoice lookup first tries
//! the invoice found last and the one after it before hashing; lines are grouped per invoice
//! (sorted by line number) instead of hashed one by one.

use kontera_data::{Dataset, InvoiceRow, PostingRow};
use rustc_hash::FxHashMap;

use super::IngestError;

/// The posting chosen as the label among those that cover a line (or a whole invoice).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Choice {
    /// Row of the chosen posting in `postings` (meaningless while `count` is 0).
    pub best: u32,
    /// How many postings cover it; 0 = none, more than 1 = a split.
    pub count: u32,
}

impl Choice {
    /// Offers posting `idx`: the largest absolute amount wins, ties go to the smaller posting id.
    fn offer(&mut self, idx: u32, postings: &[PostingRow]) {
        if self.count == 0 {
            self.best = idx;
        } else {
            let current = &postings[self.best as usize];
            let new = &postings[idx as usize];
            let (a, b) = (new.amount.abs(), current.amount.abs());
            if a > b || (a == b && new.posting_id < current.posting_id) {
                self.best = idx;
            }
        }
        self.count += 1;
    }
}

/// The joined tables, by row number.
#[derive(Debug)]
pub(super) struct Joins {
    /// Per `invoice_lines` row: its invoice's row in `invoices`.
    pub line_invoice: Vec<u32>,
    /// Per `invoice_lines` row: the postings with that line's `line_no`.
    pub line_choice: Vec<Choice>,
    /// Per `invoices` row: the postings without `line_no` (covering the whole invoice).
    pub invoice_choice: Vec<Choice>,
    /// Per `postings` row: its invoice's row in `invoices`.
    pub posting_invoice: Vec<u32>,
    /// Line rows grouped by invoice, each group sorted by line number; invoice `i`'s group is
    /// `grouped[starts[i]..starts[i + 1]]`.
    grouped: Vec<u32>,
    starts: Vec<u32>,
}

impl Joins {
    /// The line rows of invoice row `inv`, by line number.
    pub(super) fn lines_of(&self, inv: u32) -> &[u32] {
        let inv = inv as usize;
        &self.grouped[self.starts[inv] as usize..self.starts[inv + 1] as usize]
    }

    /// The number of lines of invoice row `inv`.
    pub(super) fn lines_on_invoice(&self, inv: u32) -> u32 {
        self.starts[inv as usize + 1] - self.starts[inv as usize]
    }
}

/// Finds invoice rows by id: the last hit and its successor first, then the hash index.
struct InvoiceLookup<'a> {
    invoices: &'a [InvoiceRow],
    index: FxHashMap<&'a str, u32>,
    last: usize,
}

impl<'a> InvoiceLookup<'a> {
    fn new(invoices: &'a [InvoiceRow]) -> Result<InvoiceLookup<'a>, IngestError> {
        let mut index = FxHashMap::default();
        index.reserve(invoices.len());
        for (i, inv) in invoices.iter().enumerate() {
            if index.insert(inv.invoice_id.as_str(), row(i)).is_some() {
                return Err(IngestError::DuplicateInvoice {
                    invoice_id: inv.invoice_id.clone(),
                });
            }
        }
        Ok(InvoiceLookup {
            invoices,
            index,
            last: 0,
        })
    }

    fn find(&mut self, id: &str) -> Option<u32> {
        for guess in [self.last, self.last + 1] {
            if self
                .invoices
                .get(guess)
                .is_some_and(|inv| inv.invoice_id == id)
            {
                self.last = guess;
                return Some(row(guess));
            }
        }
        let found = *self.index.get(id)?;
        self.last = found as usize;
        Some(found)
    }
}

pub(super) fn join(ds: &Dataset) -> Result<Joins, IngestError> {
    let mut invoices = InvoiceLookup::new(&ds.invoices)?;

    let mut line_invoice = Vec::with_capacity(ds.invoice_lines.len());
    let mut starts = vec![0u32; ds.invoices.len() + 1];
    for line in &ds.invoice_lines {
        let Some(inv) = invoices.find(&line.invoice_id) else {
            return Err(IngestError::LineWithoutInvoice {
                invoice_id: line.invoice_id.clone(),
                line_no: line.line_no,
            });
        };
        line_invoice.push(inv);
        starts[inv as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut grouped = vec![0u32; ds.invoice_lines.len()];
    let mut fill = starts.clone();
    for (i, &inv) in line_invoice.iter().enumerate() {
        let slot = &mut fill[inv as usize];
        grouped[*slot as usize] = row(i);
        *slot += 1;
    }
    for inv in 0..ds.invoices.len() {
        let group = &mut grouped[starts[inv] as usize..starts[inv + 1] as usize];
        group.sort_unstable_by_key(|&l| ds.invoice_lines[l as usize].line_no);
        if let Some(pair) = group.windows(2).find(|pair| {
            ds.invoice_lines[pair[0] as usize].line_no == ds.invoice_lines[pair[1] as usize].line_no
        }) {
            let line = &ds.invoice_lines[pair[1] as usize];
            return Err(IngestError::DuplicateLine {
                invoice_id: line.invoice_id.clone(),
                line_no: line.line_no,
            });
        }
    }

    let mut line_choice = vec![Choice::default(); ds.invoice_lines.len()];
    let mut invoice_choice = vec![Choice::default(); ds.invoices.len()];
    let mut posting_invoice = Vec::with_capacity(ds.postings.len());
    for (p, posting) in ds.postings.iter().enumerate() {
        let Some(inv) = invoices.find(&posting.invoice_id) else {
            return Err(IngestError::PostingWithoutInvoice {
                posting_id: posting.posting_id.clone(),
                invoice_id: posting.invoice_id.clone(),
            });
        };
        posting_invoice.push(inv);
        match posting.line_no {
            None => invoice_choice[inv as usize].offer(row(p), &ds.postings),
            Some(line_no) => {
                let group =
                    &grouped[starts[inv as usize] as usize..starts[inv as usize + 1] as usize];
                let Ok(at) =
                    group.binary_search_by_key(&line_no, |&l| ds.invoice_lines[l as usize].line_no)
                else {
                    return Err(IngestError::PostingWithoutLine {
                        posting_id: posting.posting_id.clone(),
                        invoice_id: posting.invoice_id.clone(),
                        line_no,
                    });
                };
                line_choice[group[at] as usize].offer(row(p), &ds.postings);
            }
        }
    }

    Ok(Joins {
        line_invoice,
        line_choice,
        invoice_choice,
        posting_invoice,
        grouped,
        starts,
    })
}

/// A row number as `u32` (tables hold far fewer than 4 billion rows).
pub(super) fn row(i: usize) -> u32 {
    u32::try_from(i).expect("a table with fewer than 2^32 rows")
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use super::*;

    fn posting(id: &str, amount: i64) -> PostingRow {
        PostingRow {
            posting_id: id.to_owned(),
            invoice_id: "F1".to_owned(),
            line_no: Some(1),
            posting_date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            account: "A".to_owned(),
            cost_centre: "1".to_owned(),
            vat_code: "I25".to_owned(),
            project: None,
            amount: Decimal::from(amount),
        }
    }

    #[test]
    fn the_largest_absolute_part_wins_and_ties_go_to_the_first_id() {
        let postings = [
            posting("P3", 10),
            posting("P2", -30),
            posting("P1", 30),
            posting("P4", 20),
        ];
        let mut choice = Choice::default();
        for i in 0..postings.len() {
            choice.offer(row(i), &postings);
        }
        assert_eq!(choice.count, 4);
        assert_eq!(postings[choice.best as usize].posting_id, "P1");
    }
}
