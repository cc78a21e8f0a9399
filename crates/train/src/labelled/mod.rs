//! Labelled examples: one per posted invoice line, its coding mapped onto the current chart.
//!
//! [`labelled_lines`] joins the contract tables (see `data/README.md`): a posting with `line_no`
//! codes that line, one without codes every line of its invoice that has no posting of its own,
//! and of several postings for one line (a split) the largest part is the label. The posted account is then mapped onto the chart
//! valid on [`IngestOptions::as_of`]; lines whose account has no single current account are
//! dropped and counted in the [`IngestReport`].
//!
//! [`labelled_lines_with_reviews`] does the same with the service's reviewed codings
//! ([`ReviewedCodings`]) on top of the ERP's postings: a line a review covers takes the reviewed
//! coding, and [`ReviewReport`] counts what the reviews changed.

mod accounts;
mod error;
mod header;
mod join;
mod report;
mod reviews;

use chrono::NaiveDate;
use kontera_core::{Chart, cpr};
use kontera_data::{Dataset, PostingRow};
use rust_decimal::Decimal;

pub use error::IngestError;
pub use report::IngestReport;
pub use reviews::{POSTINGS_FILE, REVIEWS_FILE, ReviewReport, ReviewedCodings, ReviewsError};

use accounts::{AccountMap, Resolution};
use header::{Header, Masters, present};
use join::{Choice, Postings};

/// At most this many unknown accounts are kept as examples in the report.
const UNKNOWN_EXAMPLES: usize = 10;

/// One invoice line with the features the tables give it and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledLine {
    pub invoice_id: String,
    pub line_no: u32,
    pub issue_date: NaiveDate,
    /// The date of the posting the label comes from.
    pub posting_date: NaiveDate,
    pub credit_note: bool,
    pub creditor_id: String,
    /// The creditor master's CVR if valid, else the invoice's if valid, else `None`.
    pub supplier_cvr: Option<String>,
    /// The creditor's industry code (DB07); `None` for a creditor not in the master data.
    pub industry_code: Option<String>,
    pub buyer_gln: Option<String>,
    /// The unit whose GLN is the invoice's buyer GLN.
    pub unit_id: Option<String>,
    /// That unit's area.
    pub area: Option<String>,
    pub buyer_reference: Option<String>,
    /// The line's text with CPR numbers masked ([`cpr::mask`]): they never become features.
    pub description: String,
    pub item_id: Option<String>,
    pub unspsc: Option<String>,
    pub quantity: Decimal,
    pub net_amount: Decimal,
    pub vat_category: String,
    pub vat_rate: Decimal,
    /// The buyer's account string: the line's, else the invoice header's.
    pub accounting_cost: Option<String>,
    pub lines_on_invoice: u32,
    pub label: Label,
}

/// The coding a line was posted with, its account mapped onto the current chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The account on the chart valid on [`IngestOptions::as_of`].
    pub account: String,
    /// The account as posted, in the chart valid on the posting date.
    pub posted_account: String,
    pub cost_centre: String,
    pub vat_code: String,
    pub project: Option<String>,
}

/// Which lines to label, and onto which chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngestOptions {
    /// First issue date in the window (inclusive); `None` = from the start.
    pub from: Option<NaiveDate>,
    /// Last issue date in the window (inclusive); `None` = to the end.
    pub to: Option<NaiveDate>,
    /// The day whose chart the labels are mapped onto.
    pub as_of: NaiveDate,
}

impl IngestOptions {
    /// Every line, mapped onto the chart of `as_of`.
    pub fn all(as_of: NaiveDate) -> IngestOptions {
        IngestOptions {
            from: None,
            to: None,
            as_of,
        }
    }

    /// Whether an invoice issued on `day` is in the window.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= day) && self.to.is_none_or(|to| day <= to)
    }
}

/// The labelled lines, sorted by (issue date, invoice id, line number), and what happened to
/// the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub lines: Vec<LabelledLine>,
    pub report: IngestReport,
}

/// Turns the contract tables into labelled lines; see the [module documentation](self).
///
/// Lines of invoices issued outside the window are skipped. Evidence for resolving split
/// accounts comes from postings of invoices in the window only, so nothing after the window
/// leaks into its labels. Fails only on real inconsistencies between the tables (duplicate keys,
/// postings pointing at nothing, unreadable accounts).
pub fn labelled_lines(
    ds: &Dataset,
    chart: &Chart,
    options: &IngestOptions,
) -> Result<Labelled, IngestError> {
    labelled(ds, None, chart, options)
}

/// [`labelled_lines`] with reviewed codings on top of the ERP's postings: each line a review
/// covers is labelled with the reviewed coding (the ERP's postings of that line set aside; the
/// invoice's other lines keep theirs), mapped onto the chart from the review's date like any
/// posting. Reviews that join no line are counted in [`IngestReport::reviews`], never an error.
pub fn labelled_lines_with_reviews(
    ds: &Dataset,
    reviews: &ReviewedCodings,
    chart: &Chart,
    options: &IngestOptions,
) -> Result<Labelled, IngestError> {
    labelled(ds, Some(reviews), chart, options)
}

fn labelled(
    ds: &Dataset,
    reviews: Option<&ReviewedCodings>,
    chart: &Chart,
    options: &IngestOptions,
) -> Result<Labelled, IngestError> {
    if let (Some(from), Some(to)) = (options.from, options.to)
        && from > to
    {
        return Err(IngestError::EmptyWindow { from, to });
    }
    let reviewed: &[PostingRow] = reviews.map_or(&[], ReviewedCodings::postings);
    let postings = Postings::new(&ds.postings, reviewed);
    let joins = join::join(ds, &postings)?;
    let in_window: Vec<bool> = ds
        .invoices
        .iter()
        .map(|inv| options.contains(inv.issue_date))
        .collect();
    let mut accounts = AccountMap::build(&postings, chart, options.as_of, &joins, &in_window)?;
    let mut review_report = reviews.map(|r| {
        let mut report = r.report().clone();
        report.unknown_invoice = joins.reviews_unknown_invoice;
        report.unknown_invoices = joins.reviews_unknown_invoices;
        report.unknown_line = joins.reviews_unknown_line;
        report.outside_window = joins.posting_invoice[ds.postings.len()..]
            .iter()
            .filter(|&&inv| inv != join::NO_INVOICE && !in_window[inv as usize])
            .count();
        report
    });
    let masters = Masters::new(ds);

    // Output order: invoices by (issue date, id), then lines by number.
    let mut invoice_order: Vec<u32> = (0..ds.invoices.len())
        .filter(|&i| in_window[i])
        .map(join::row)
        .collect();
    // Stable sort: fast on tables already (nearly) in date order; ids are unique anyway.
    invoice_order.sort_by(|&a, &b| {
        let (a, b) = (&ds.invoices[a as usize], &ds.invoices[b as usize]);
        (a.issue_date, &a.invoice_id).cmp(&(b.issue_date, &b.invoice_id))
    });
    let mut report = IngestReport {
        as_of: options.as_of,
        from: options.from,
        to: options.to,
        lines_total: ds.invoice_lines.len(),
        lines_in_window: invoice_order
            .iter()
            .map(|&inv| joins.lines_on_invoice(inv) as usize)
            .sum(),
        ..IngestReport::default()
    };
    let mut lines = Vec::with_capacity(report.lines_in_window);
    let mut header: Option<(u32, Header<'_>)> = None;
    let mut invoice_posting_counted: Option<u32> = None;
    let order = invoice_order.iter().flat_map(|&inv| joins.lines_of(inv));
    for &li_row in order {
        let li = li_row as usize;
        let line = &ds.invoice_lines[li];
        let inv_row = joins.line_invoice[li];
        let (choice, whole_invoice): (Choice, bool) = match joins.line_choice[li] {
            c if c.count > 0 => (c, false),
            _ => (joins.invoice_choice[inv_row as usize], true),
        };
        if choice.count == 0 {
            report.unposted += 1;
            continue;
        }
        // A reviewed line: did the review change the ERP's coding?
        if let Some(counts) = &mut review_report
            && let Some(erp) = joins.erp_line_choice.get(&li_row)
        {
            let erp = match erp.count {
                0 => joins.invoice_choice[inv_row as usize],
                _ => *erp,
            };
            if erp.count == 0 {
                counts.added += 1;
            } else if same_coding(
                &mut accounts,
                postings.get(choice.best),
                postings.get(erp.best),
            ) {
                counts.agreed += 1;
            } else {
                counts.overridden += 1;
            }
        }
        if choice.count > 1 {
            report.split_lines += 1;
        }
        if whole_invoice {
            report.lines_from_invoice_postings += 1;
            if invoice_posting_counted != Some(inv_row) {
                invoice_posting_counted = Some(inv_row);
                report.invoice_level_postings_used += 1;
            }
        }
        let posting = postings.get(choice.best);
        let account = match accounts.resolve(&posting.account, &posting.cost_centre) {
            Resolution::Unchanged(a) => a,
            Resolution::Mapped(a) => {
                report.mapped += 1;
                a
            }
            Resolution::ResolvedByCostCentre(a) => {
                report.resolved_by_cost_centre += 1;
                a
            }
            Resolution::Ambiguous => {
                report.dropped_ambiguous += 1;
                continue;
            }
            Resolution::Closed => {
                report.dropped_closed += 1;
                continue;
            }
            Resolution::NotYetValid => {
                report.dropped_not_yet_valid += 1;
                continue;
            }
            Resolution::Unknown => {
                report.dropped_unknown_account += 1;
                let example = cpr::mask(accounts.posted_id(&posting.account));
                if report.unknown_account_examples.len() < UNKNOWN_EXAMPLES
                    && !report
                        .unknown_account_examples
                        .iter()
                        .any(|e| *e == example)
                {
                    report.unknown_account_examples.push(example.into_owned());
                }
                continue;
            }
        };

        let inv = &ds.invoices[inv_row as usize];
        let h = match &header {
            Some((row, h)) if *row == inv_row => h,
            _ => &header.insert((inv_row, masters.header(inv))).1,
        };
        if h.creditor.is_none() {
            report.unknown_creditors += 1;
        }
        if h.buyer_gln.is_some() && h.unit.is_none() {
            report.unknown_gln += 1;
        }
        let description = cpr::mask(&line.description);
        if matches!(description, std::borrow::Cow::Owned(_)) {
            report.cpr_masked += 1;
        }
        lines.push(LabelledLine {
            invoice_id: inv.invoice_id.clone(),
            line_no: line.line_no,
            issue_date: inv.issue_date,
            posting_date: posting.posting_date,
            credit_note: inv.document_type.trim() == "credit_note",
            creditor_id: inv.creditor_id.clone(),
            supplier_cvr: h.supplier_cvr.clone(),
            industry_code: h
                .creditor
                .and_then(|c| present(Some(&c.industry_code)))
                .map(str::to_owned),
            buyer_gln: h.buyer_gln.map(str::to_owned),
            unit_id: h.unit.map(|u| u.unit_id.clone()),
            area: h.unit.map(|u| u.area.clone()),
            buyer_reference: h.buyer_reference.map(str::to_owned),
            description: description.into_owned(),
            item_id: present(line.item_id.as_deref()).map(str::to_owned),
            unspsc: present(line.unspsc.as_deref()).map(str::to_owned),
            quantity: line.quantity,
            net_amount: line.net_amount,
            vat_category: line.vat_category.clone(),
            vat_rate: line.vat_rate,
            accounting_cost: present(line.accounting_cost.as_deref())
                .or(h.accounting_cost)
                .map(str::to_owned),
            lines_on_invoice: joins.lines_on_invoice(inv_row),
            label: Label {
                account: accounts.name(account).to_owned(),
                posted_account: accounts.posted_id(&posting.account).to_owned(),
                cost_centre: posting.cost_centre.clone(),
                vat_code: posting.vat_code.clone(),
                project: present(posting.project.as_deref()).map(str::to_owned),
            },
        });
    }
    report.labelled = lines.len();
    report.reviews = review_report;
    Ok(Labelled { lines, report })
}

/// Whether a review codes a line as the ERP did: the same account on the current chart (else as
/// posted), cost centre and VAT code. Projects are left aside: reviews do not code them.
fn same_coding<'a>(
    accounts: &mut AccountMap<'a>,
    review: &'a PostingRow,
    erp: &'a PostingRow,
) -> bool {
    if review.cost_centre != erp.cost_centre || review.vat_code != erp.vat_code {
        return false;
    }
    let mut current = |p: &'a PostingRow| match accounts.resolve(&p.account, &p.cost_centre) {
        Resolution::Unchanged(a) | Resolution::Mapped(a) | Resolution::ResolvedByCostCentre(a) => {
            Some(a)
        }
        _ => None,
    };
    match (current(review), current(erp)) {
        (Some(a), Some(b)) => a == b,
        _ => accounts.posted_id(&review.account) == accounts.posted_id(&erp.account),
    }
}
