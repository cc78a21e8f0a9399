//! Joining lines with their invoices and postings, through indexes keyed by ids borrowed from the
//! dataset. Checks the keys the join relies on (unique ids, postings that point somewhere).
//!
//! Tables usually list lines and postings in invoice order, so each invoice lookup first tries
//! the invoice found last and the one after it before hashing; lines are grouped per invoice
//! (sorted by line number) instead of hashed one by one.
//!
//! Reviewed codings ([`super::ReviewedCodings`]) join like line-level postings, after the ERP's:
//! a line a review covers is coded by the review alone, its own ERP postings set aside (kept
//! only to tell whether the two agreed). A review that joins nothing is counted, never an error.

use kontera_data::{Dataset, InvoiceRow, PostingRow};
use rustc_hash::{FxHashMap, FxHashSet};

use super::IngestError;

/// `Joins::posting_invoice` of a reviewed coding whose invoice or line is not in the tables.
pub(super) const NO_INVOICE: u32 = u32::MAX;

/// The ERP's postings followed by the reviewed codings, as one table: rows `0..erp.len()` are
/// the ERP's, the rest the reviews'.
#[derive(Debug, Clone, Copy)]
pub(super) struct Postings<'a> {
    erp: &'a [PostingRow],
    reviewed: &'a [PostingRow],
}

impl<'a> Postings<'a> {
    pub(super) fn new(erp: &'a [PostingRow], reviewed: &'a [PostingRow]) -> Postings<'a> {
        Postings { erp, reviewed }
    }

    /// The posting in row `p`.
    pub(super) fn get(&self, p: u32) -> &'a PostingRow {
        let p = p as usize;
        match p.checked_sub(self.erp.len()) {
            None => &self.erp[p],
            Some(r) => &self.reviewed[r],
        }
    }

    /// Every posting, by row.
    pub(super) fn iter(&self) -> impl Iterator<Item = &'a PostingRow> + use<'a> {
        self.erp.iter().chain(self.reviewed)
    }
}

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
    fn offer(&mut self, idx: u32, postings: &Postings<'_>) {
        if self.count == 0 {
            self.best = idx;
        } else {
            let current = postings.get(self.best);
            let new = postings.get(idx);
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
    /// Per row of [`Postings`]: its invoice's row in `invoices` ([`NO_INVOICE`] for a reviewed
    /// coding that joins no line).
    pub posting_invoice: Vec<u32>,
    /// Per ERP posting: set aside because a review codes its line (empty without reviews).
    pub superseded: Vec<bool>,
    /// Per `invoice_lines` row a review codes: the ERP's own line-level postings of it (count 0
    /// when the ERP posted the line only at invoice level, or not at all).
    pub erp_line_choice: FxHashMap<u32, Choice>,
    /// Reviewed codings whose invoice is not in `invoices`.
    pub reviews_unknown_invoice: usize,
    /// Distinct invoices among those.
    pub reviews_unknown_invoices: usize,
    /// Reviewed codings whose invoice is known but has no line with their `line_no`.
    pub reviews_unknown_line: usize,
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

pub(super) fn join(ds: &Dataset, postings: &Postings<'_>) -> Result<Joins, IngestError> {
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

    let line_of = |inv: u32, line_no: u32| -> Option<u32> {
        let group = &grouped[starts[inv as usize] as usize..starts[inv as usize + 1] as usize];
        let at = group
            .binary_search_by_key(&line_no, |&l| ds.invoice_lines[l as usize].line_no)
            .ok()?;
        Some(group[at])
    };

    // The reviewed codings first: the lines they cover are then known when the ERP's come.
    let mut erp_line_choice: FxHashMap<u32, Choice> = FxHashMap::default();
    let mut reviewed_rows = Vec::with_capacity(postings.reviewed.len());
    let (mut reviews_unknown_invoice, mut reviews_unknown_line) = (0, 0);
    let mut unknown_invoices: FxHashSet<&str> = FxHashSet::default();
    for review in postings.reviewed {
        let joined = match invoices.find(&review.invoice_id) {
            None => {
                reviews_unknown_invoice += 1;
                unknown_invoices.insert(&review.invoice_id);
                None
            }
            Some(inv) => match review.line_no.and_then(|n| line_of(inv, n)) {
                None => {
                    reviews_unknown_line += 1;
                    None
                }
                Some(line) => Some((inv, line)),
            },
        };
        if let Some((_, line)) = joined {
            erp_line_choice.insert(line, Choice::default());
        }
        reviewed_rows.push(joined);
    }

    let mut line_choice = vec![Choice::default(); ds.invoice_lines.len()];
    let mut invoice_choice = vec![Choice::default(); ds.invoices.len()];
    let mut posting_invoice = Vec::with_capacity(postings.erp.len() + postings.reviewed.len());
    let mut superseded = if erp_line_choice.is_empty() {
        Vec::new()
    } else {
        vec![false; postings.erp.len()]
    };
    for (p, posting) in postings.erp.iter().enumerate() {
        let Some(inv) = invoices.find(&posting.invoice_id) else {
            return Err(IngestError::PostingWithoutInvoice {
                posting_id: posting.posting_id.clone(),
                invoice_id: posting.invoice_id.clone(),
            });
        };
        posting_invoice.push(inv);
        match posting.line_no {
            None => invoice_choice[inv as usize].offer(row(p), postings),
            Some(line_no) => {
                let Some(line) = line_of(inv, line_no) else {
                    return Err(IngestError::PostingWithoutLine {
                        posting_id: posting.posting_id.clone(),
                        invoice_id: posting.invoice_id.clone(),
                        line_no,
                    });
                };
                match erp_line_choice.get_mut(&line) {
                    Some(erp) => {
                        erp.offer(row(p), postings);
                        superseded[p] = true;
                    }
                    None => line_choice[line as usize].offer(row(p), postings),
                }
            }
        }
    }
    for (r, joined) in reviewed_rows.into_iter().enumerate() {
        let p = row(postings.erp.len() + r);
        match joined {
            Some((inv, line)) => {
                posting_invoice.push(inv);
                line_choice[line as usize].offer(p, postings);
            }
            None => posting_invoice.push(NO_INVOICE),
        }
    }

    Ok(Joins {
        line_invoice,
        line_choice,
        invoice_choice,
        posting_invoice,
        superseded,
        erp_line_choice,
        reviews_unknown_invoice,
        reviews_unknown_invoices: unknown_invoices.len(),
        reviews_unknown_line,
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
        let table = Postings::new(&postings, &[]);
        let mut choice = Choice::default();
        for i in 0..postings.len() {
            choice.offer(row(i), &table);
        }
        assert_eq!(choice.count, 4);
        assert_eq!(table.get(choice.best).posting_id, "P1");
    }
}
