//! Writing drafted invoices out as contract rows: ids, totals, the postings a clerk made (per line,
//! per invoice or split), and the imperfections of a real ledger — wrong codings, invoices sent
//! twice, invoices that break form rules, and the buyer's own account string on some e-invoices.

use chrono::{Datelike, Days, NaiveDate};
use kontera_core::Cvr;
use kontera_data::{Dataset, InvoiceLineRow, InvoiceRow, PostingRow};
use rand::Rng;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::catalogue::{Cat, KINDS};
use crate::chart::{ChartPlan, Semantic};
use crate::creditors::Creditor;
use crate::draft::{Draft, vat_of};
use crate::drift::Repurposing;
use crate::org::Unit;
use crate::text::line_text;
use crate::truth::{Defect, LineTruth, Truth};

/// Share of codings a clerk gets wrong, before [`noise_factor`]: about 1.5% over all lines.
pub(crate) const LABEL_NOISE: f64 = 0.02;

/// Clerks err where the work is unusual: rarely on a monthly contract or the invoices of the
/// few hundred suppliers they see every week, more on an occasional supplier's.
fn noise_factor(draft: &Draft, creditor: &Creditor) -> f64 {
    if draft.recurring {
        0.03
    } else if creditor.volume_rank < ROUTINE_SUPPLIERS {
        0.08
    } else {
        5.0
    }
}

/// Suppliers, by volume rank, whose invoices are routine for the clerks.
const ROUTINE_SUPPLIERS: usize = 100;
/// Share of invoices the supplier sent twice.
pub(crate) const DUPLICATE_SHARE: f64 = 0.005;
/// Share of invoices that break a form rule.
pub(crate) const DEFECT_SHARE: f64 = 0.01;
/// Share of credit notes among ad-hoc invoices.
pub(crate) const CREDIT_NOTE_SHARE: f64 = 0.025;

/// The world the drafts refer to.
#[derive(Debug)]
pub(crate) struct World<'a> {
    pub plan: &'a ChartPlan,
    pub units: &'a [Unit],
    pub creditors: &'a mut [Creditor],
    /// Accounts re-purposed by drift (`--drift-year`), if any.
    pub repurposing: Option<&'a Repurposing>,
}

/// Appends one invoice (and possibly its duplicate) to the dataset.
#[derive(Debug, Default)]
pub(crate) struct Emitter {
    next_posting: u64,
    pub dataset: Dataset,
    pub truth: Truth,
}

/// What every posting of one invoice shares.
#[derive(Debug)]
struct PostingTo<'a> {
    invoice_id: &'a str,
    date: NaiveDate,
    project: Option<&'a str>,
}

/// The coding of one line: what it is posted to.
#[derive(Debug, Clone, PartialEq)]
struct LineCoding {
    account: String,
    cost_centre: String,
    vat_code: &'static str,
}

impl Emitter {
    /// Writes out one draft as invoice `id`; says whether a line's account was re-purposed.
    pub(crate) fn emit(
        &mut self,
        rng: &mut impl Rng,
        world: &mut World<'_>,
        draft: &Draft,
        id: String,
    ) -> bool {
        let unit = &world.units[draft.unit];
        let cc = &unit.cost_centres[draft.cost_centre];
        let creditor = &mut world.creditors[draft.creditor];
        let kind = &KINDS[creditor.kind];
        let sign = if draft.credit_note {
            Decimal::NEGATIVE_ONE
        } else {
            Decimal::ONE
        };
        let posting_date = draft.issue_date + Days::new(rng.random_range(1..=12));
        let era = world.plan.era_of(posting_date);
        let function = world.plan.function_in(cc.function, unit.split_half, era);
        let dranst = if draft.project.is_some() { 3 } else { 1 };

        // The true coding of each line, then the clerk's (occasionally wrong) one.
        let mut truths = Vec::with_capacity(draft.lines.len());
        let mut posted = Vec::with_capacity(draft.lines.len());
        let mut repurposed = false;
        for line in &draft.lines {
            let d = if matches!(line.cat, Cat::Craft | Cat::Equipment) {
                dranst
            } else {
                1
            };
            let (_, _, vat_code) = vat_of(kind.vat, line.cat, unit);
            let semantic = Semantic {
                function,
                dranst: d,
                cat: line.cat,
            };
            let drifted = world
                .repurposing
                .and_then(|r| r.account(world.plan, semantic, era, posting_date));
            repurposed |= drifted.is_some();
            let truth = LineCoding {
                account: drifted.unwrap_or_else(|| world.plan.account_id(semantic, era)),
                cost_centre: cc.code.clone(),
                vat_code,
            };
            let noisy = rng.random_bool(LABEL_NOISE * noise_factor(draft, creditor));
            let clerk = if noisy {
                mislabel(rng, world.plan, world.units, &truth, semantic, era, draft)
            } else {
                truth.clone()
            };
            posted.push(clerk);
            truths.push((truth, noisy));
        }

        // Header and lines.
        creditor.next_invoice_number += 1;
        let invoice_number = format!(
            "{}{}",
            creditor.invoice_prefix, creditor.next_invoice_number
        );
        let mut lines = Vec::with_capacity(draft.lines.len());
        let mut total_vat = Decimal::ZERO;
        for (i, line) in draft.lines.iter().enumerate() {
            let (category, rate, _) = vat_of(kind.vat, line.cat, unit);
            let spec = &kind.items[creditor.items[line.item].0];
            let item_id = &creditor.items[line.item].1;
            let net = line.net * sign;
            total_vat += (net * rate / Decimal::ONE_HUNDRED).round_dp(2);
            lines.push(InvoiceLineRow {
                invoice_id: id.clone(),
                line_no: i as u32 + 1,
                description: line_text(
                    rng,
                    creditor.style,
                    spec.text,
                    item_id,
                    draft.issue_date,
                    line.cpr.as_deref(),
                ),
                item_id: Some(item_id.clone()),
                gtin: None,
                unspsc: rng.random_bool(0.6).then(|| spec.unspsc.to_owned()),
                quantity: line.quantity * sign,
                unit_price: line.unit_price,
                net_amount: net,
                vat_category: category.to_owned(),
                vat_rate: rate,
                accounting_cost: rng.random_bool(0.02).then(|| truths[i].0.account.clone()),
            });
        }
        let total_net: Decimal = lines.iter().map(|l| l.net_amount).sum();
        let format = match rng.random_range(0..100) {
            0..72 => "oioubl",
            72..95 => "peppol",
            _ => "other",
        };
        let single_account = truths.iter().all(|t| t.0.account == truths[0].0.account);
        let accounting_cost =
            (format != "other" && single_account && rng.random_bool(0.07)).then(|| {
                if rng.random_bool(0.8) {
                    truths[0].0.account.clone()
                } else {
                    // Stale or mistyped: the old chart's id, or a number that is no account.
                    let old = world.plan.account_id(
                        Semantic {
                            function: cc.function,
                            dranst,
                            cat: draft.lines[0].cat,
                        },
                        0,
                    );
                    if rng.random_bool(0.5) {
                        old
                    } else {
                        format!("{}", rng.random_range(1000..99_999))
                    }
                }
            });
        let mut invoice = InvoiceRow {
            invoice_id: id.clone(),
            invoice_number,
            document_type: if draft.credit_note {
                "credit_note"
            } else {
                "invoice"
            }
            .to_owned(),
            creditor_id: creditor.id.clone(),
            supplier_cvr: creditor.cvr.clone(),
            buyer_gln: rng.random_bool(0.97).then(|| unit.gln.clone()),
            buyer_reference: rng
                .random_bool(0.85)
                .then(|| cc.buyer_refs[rng.random_range(0..cc.buyer_refs.len())].clone()),
            order_reference: rng.random_bool(0.3).then(|| {
                format!(
                    "PO-{}-{:05}",
                    draft.issue_date.year(),
                    rng.random_range(1..100_000)
                )
            }),
            issue_date: draft.issue_date,
            due_date: Some(
                draft.issue_date + Days::new([8, 14, 30, 30, 30][rng.random_range(0..5)]),
            ),
            currency: "DKK".to_owned(),
            total_net,
            total_vat,
            total_gross: total_net + total_vat,
            accounting_cost,
            format: format.to_owned(),
        };

        // Form defects: the invoice is still paid and posted after manual handling.
        if rng.random_bool(DEFECT_SHARE) {
            let defect = Defect::random(rng);
            apply_defect(rng, defect, &mut invoice, &mut lines);
            self.truth.defects.push((id.clone(), defect));
        }

        // Postings.
        let to = PostingTo {
            invoice_id: &id,
            date: posting_date,
            project: draft.project.as_deref(),
        };
        let all_same = posted.iter().all(|p| *p == posted[0]);
        if creditor.invoice_level && all_same {
            self.push_posting(&to, None, &posted[0], total_net);
        } else {
            for (i, (coding, line)) in posted.iter().zip(&lines).enumerate() {
                let line_no = Some(i as u32 + 1);
                let split = rng.random_bool(0.03) && line.net_amount.abs() >= Decimal::ONE_HUNDRED;
                if split {
                    // Shared cost: part of the line goes to a neighbouring unit's cost centre.
                    let share = [Decimal::new(5, 1), Decimal::new(4, 1), Decimal::new(3, 1)]
                        [rng.random_range(0..3)];
                    // Rounded towards zero, so the unit's own part is never the smaller one.
                    let other = (line.net_amount * share)
                        .round_dp_with_strategy(2, RoundingStrategy::ToZero);
                    let mut neighbour = coding.clone();
                    neighbour.cost_centre = neighbour_cost_centre(world.units, draft.unit);
                    self.push_posting(&to, line_no, coding, line.net_amount - other);
                    self.push_posting(&to, line_no, &neighbour, other);
                } else {
                    self.push_posting(&to, line_no, coding, line.net_amount);
                }
            }
        }
        for (i, (t, noisy)) in truths.into_iter().enumerate() {
            self.truth.lines.push(LineTruth {
                invoice_id: id.clone(),
                line_no: i as u32 + 1,
                account: t.account,
                cost_centre: t.cost_centre,
                vat_code: t.vat_code.to_owned(),
                noisy,
            });
        }

        // The same invoice sent twice: caught by the ERP, so never posted.
        let duplicate = rng.random_bool(DUPLICATE_SHARE).then(|| {
            let mut dup = invoice.clone();
            dup.invoice_id = format!("{id}-D");
            if rng.random_bool(0.4) {
                dup.issue_date = dup.issue_date + Days::new(rng.random_range(1..=20));
            }
            let dup_lines: Vec<InvoiceLineRow> = lines
                .iter()
                .map(|l| InvoiceLineRow {
                    invoice_id: dup.invoice_id.clone(),
                    ..l.clone()
                })
                .collect();
            (dup, dup_lines)
        });
        self.dataset.invoices.push(invoice);
        self.dataset.invoice_lines.extend(lines);
        if let Some((dup, dup_lines)) = duplicate {
            self.truth.duplicates.push((dup.invoice_id.clone(), id));
            self.dataset.invoices.push(dup);
            self.dataset.invoice_lines.extend(dup_lines);
        }
        repurposed
    }

    fn push_posting(
        &mut self,
        to: &PostingTo<'_>,
        line_no: Option<u32>,
        coding: &LineCoding,
        amount: Decimal,
    ) {
        self.next_posting += 1;
        self.dataset.postings.push(PostingRow {
            posting_id: format!("P{:09}", self.next_posting),
            invoice_id: to.invoice_id.to_owned(),
            line_no,
            posting_date: to.date,
            account: coding.account.clone(),
            cost_centre: coding.cost_centre.clone(),
            vat_code: coding.vat_code.to_owned(),
            project: to.project.map(str::to_owned),
            amount,
        });
    }
}

/// A plausible wrong coding: a neighbouring expense type, or a neighbouring unit's cost centre.
fn mislabel(
    rng: &mut impl Rng,
    plan: &ChartPlan,
    units: &[Unit],
    truth: &LineCoding,
    s: Semantic,
    era: usize,
    draft: &Draft,
) -> LineCoding {
    let mut wrong = truth.clone();
    if rng.random_bool(0.6) {
        let cat = match s.cat {
            Cat::OtherGoods => Cat::Equipment,
            Cat::Equipment => Cat::OtherGoods,
            Cat::Food => Cat::OtherGoods,
            Cat::Consulting | Cat::Craft | Cat::Cleaning => Cat::OtherServices,
            Cat::ItTelecom => Cat::Consulting,
            Cat::Medicine => Cat::OtherGoods,
            Cat::OtherServices => Cat::Consulting,
            _ => Cat::OtherServices,
        };
        // Construction (dranst 3) only exists for crafts and equipment.
        let dranst = if matches!(cat, Cat::Craft | Cat::Equipment) {
            s.dranst
        } else {
            1
        };
        wrong.account = plan.account_id(Semantic { cat, dranst, ..s }, era);
    }
    if wrong == *truth {
        // A wrong cost centre, also when the neighbouring expense type shares the account.
        wrong.cost_centre = neighbour_cost_centre(units, draft.unit);
    }
    wrong
}

/// The default cost centre of the next unit in the same area (wrapping around).
fn neighbour_cost_centre(units: &[Unit], unit: usize) -> String {
    let area = units[unit].area;
    let next = (1..units.len())
        .map(|k| (unit + k) % units.len())
        .find(|&u| units[u].area == area)
        .unwrap_or(unit);
    units[next].cost_centres[0].code.clone()
}

fn apply_defect(
    rng: &mut impl Rng,
    defect: Defect,
    invoice: &mut InvoiceRow,
    lines: &mut [InvoiceLineRow],
) {
    match defect {
        Defect::MissingBuyer => {
            invoice.buyer_gln = None;
            invoice.buyer_reference = None;
        }
        Defect::InvalidCvr => {
            if let Some(cvr) = invoice
                .supplier_cvr
                .as_deref()
                .and_then(|c| c.parse::<u32>().ok())
            {
                // Change the last digit: a single-digit change always breaks the modulus-11 check.
                let wrong = cvr - cvr % 10 + (cvr % 10 + 1 + rng.random_range(0..8)) % 10;
                debug_assert!(Cvr::parse(&wrong.to_string()).is_err());
                invoice.supplier_cvr = Some(wrong.to_string());
            } else {
                invoice.supplier_cvr = Some("1234567".to_owned());
            }
        }
        Defect::TotalsDisagree => {
            invoice.total_gross += Decimal::new(rng.random_range(1..5000), 2);
        }
        Defect::VatDisagrees => {
            invoice.total_vat += Decimal::new(rng.random_range(100..10_000), 2);
            invoice.total_gross = invoice.total_net + invoice.total_vat;
        }
        Defect::EmptyLineText => {
            lines[0].description.clear();
        }
        Defect::MissingDueDate => invoice.due_date = None,
    }
}
