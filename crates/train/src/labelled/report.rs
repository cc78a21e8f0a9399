//! What ingestion did with each line: labelled, mapped, resolved or dropped, and why.

use std::fmt;

use chrono::NaiveDate;

use super::ReviewReport;

/// Counts from [`super::labelled_lines`]. Line counts are invoice lines; shares in the summary
/// are of `lines_in_window`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// The chart date the labels were mapped onto.
    pub as_of: NaiveDate,
    /// The window on issue dates (inclusive), as asked.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Lines read from `invoice_lines` (all of them, or a period's: `read_dataset_issued`).
    pub lines_total: usize,
    /// Lines whose invoice was issued in the window.
    pub lines_in_window: usize,
    /// Lines that became labelled examples.
    pub labelled: usize,
    /// Lines in the window with no posting (e.g. duplicates caught before posting): not labelled.
    pub unposted: usize,
    /// Lines in the window covered by several postings (a split line); the label is the part
    /// with the largest absolute amount.
    pub split_lines: usize,
    /// Postings without `line_no` (covering a whole invoice) that gave lines in the window
    /// their coding.
    pub invoice_level_postings_used: usize,
    /// Lines in the window coded by such an invoice-level posting.
    pub lines_from_invoice_postings: usize,
    /// Labelled lines whose posted account was renamed or merged into one current account.
    pub mapped: usize,
    /// Labelled lines whose posted account was split, resolved by what their cost centre posts
    /// on the new chart.
    pub resolved_by_cost_centre: usize,
    /// Dropped: the posted account was split and the cost centre's evidence was missing or mixed.
    pub dropped_ambiguous: usize,
    /// Dropped: the posted account was closed without successor.
    pub dropped_closed: usize,
    /// Dropped: the posted account is not in the chart.
    pub dropped_unknown_account: usize,
    /// Dropped: the posted account only becomes valid after `as_of`.
    pub dropped_not_yet_valid: usize,
    /// Up to 10 posted accounts that are not in the chart (masked if CPR-shaped), for the fix.
    pub unknown_account_examples: Vec<String>,
    /// Labelled lines whose invoice's creditor is not in `creditors` (creditor fields empty).
    pub unknown_creditors: usize,
    /// Labelled lines whose invoice's buyer GLN matches no unit (unit fields empty).
    pub unknown_gln: usize,
    /// Labelled lines whose description had a CPR number masked.
    pub cpr_masked: usize,
    /// What the reviewed codings did, when training was given any
    /// ([`super::labelled_lines_with_reviews`]).
    pub reviews: Option<ReviewReport>,
}

impl IngestReport {
    /// Lines posted but dropped because their account has no single current account.
    pub fn dropped(&self) -> usize {
        self.dropped_ambiguous
            + self.dropped_closed
            + self.dropped_unknown_account
            + self.dropped_not_yet_valid
    }

    /// Share of the lines in the window that were posted but dropped (0 when the window is empty).
    pub fn dropped_share(&self) -> f64 {
        ratio(self.dropped(), self.lines_in_window)
    }
}

impl fmt::Display for IngestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let of = |n: usize| Share(n, self.lines_in_window);
        let window = match (self.from, self.to) {
            (None, None) => "all issue dates".to_owned(),
            (Some(from), None) => format!("issued from {from}"),
            (None, Some(to)) => format!("issued up to {to}"),
            (Some(from), Some(to)) => format!("issued {from} to {to}"),
        };
        writeln!(
            f,
            "Labelled lines: {} of {} lines in the window ({window}; {} lines read), \
             mapped onto the chart of {}",
            of(self.labelled),
            self.lines_in_window,
            self.lines_total,
            self.as_of,
        )?;
        writeln!(
            f,
            "  not posted (not labelled):        {}",
            of(self.unposted)
        )?;
        writeln!(
            f,
            "  split lines (largest part taken): {}",
            of(self.split_lines)
        )?;
        writeln!(
            f,
            "  coded by invoice-level postings:  {} ({} postings)",
            of(self.lines_from_invoice_postings),
            self.invoice_level_postings_used
        )?;
        writeln!(f, "  account mapped to its successor:  {}", of(self.mapped))?;
        writeln!(
            f,
            "  split account resolved by cost centre: {}",
            of(self.resolved_by_cost_centre)
        )?;
        writeln!(
            f,
            "Dropped: {} — ambiguous split {}, closed account {}, unknown account {}, \
             not yet valid {}",
            of(self.dropped()),
            of(self.dropped_ambiguous),
            of(self.dropped_closed),
            of(self.dropped_unknown_account),
            of(self.dropped_not_yet_valid),
        )?;
        if !self.unknown_account_examples.is_empty() {
            writeln!(
                f,
                "  accounts not in the chart, e.g.: {}",
                self.unknown_account_examples.join(", ")
            )?;
        }
        write!(
            f,
            "Labelled with an unknown creditor: {}; with a buyer GLN of no unit: {}; \
             CPR numbers masked in {} line texts",
            of(self.unknown_creditors),
            of(self.unknown_gln),
            self.cpr_masked,
        )?;
        if let Some(reviews) = &self.reviews {
            write!(f, "\n{reviews}")?;
        }
        Ok(())
    }
}

/// `n (p%)` of a total.
struct Share(usize, usize);

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:.1}%)", self.0, 100.0 * ratio(self.0, self.1))
    }
}

fn ratio(n: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        n as f64 / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_has_counts_and_shares() {
        let report = IngestReport {
            as_of: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            lines_total: 250,
            lines_in_window: 200,
            labelled: 150,
            unposted: 10,
            dropped_closed: 30,
            dropped_ambiguous: 10,
            unknown_account_examples: vec!["9.99".to_owned()],
            ..IngestReport::default()
        };
        let text = report.to_string();
        assert!(text.contains("150 (75.0%) of 200 lines"), "{text}");
        assert!(text.contains("250 lines read"), "{text}");
        assert!(text.contains("Dropped: 40 (20.0%)"), "{text}");
        assert!(text.contains("closed account 30 (15.0%)"), "{text}");
        assert!(text.contains("e.g.: 9.99"), "{text}");
        assert!(text.contains("2025-12-31"), "{text}");
        assert_eq!(report.dropped(), 40);
        assert!((report.dropped_share() - 0.2).abs() < 1e-12);
        assert_eq!(IngestReport::default().dropped_share(), 0.0);
    }
}
