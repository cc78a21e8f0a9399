//! Measures, on generated data, the phenomena a real municipal ledger has, and asserts each lies in
//! the range the generator intends (documented in `data/README.md`). Every figure is computed from
//! the contract tables themselves, except label noise, which needs the generator's truth.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use kontera_core::{AccountId, Cvr, Gln, Mapping, cpr};
use kontera_data::{Dataset, chart_from_rows};
use kontera_synth::{GenerateParams, Generated, generate};
use rust_decimal::Decimal;

const YEARS: u32 = 3;
const FIRST_YEAR: i32 = 2023;

fn data() -> &'static Generated {
    static DATA: OnceLock<Generated> = OnceLock::new();
    DATA.get_or_init(|| {
        let params = GenerateParams {
            years: YEARS,
            invoices_per_year: 30_000,
            seed: 7,
            first_year: FIRST_YEAR,
        };
        generate(&params.check().unwrap(), |_, _| {})
    })
}

fn ds() -> &'static Dataset {
    &data().dataset
}

/// Asserts `value` lies in `[lo, hi]`, printing the measurement either way.
fn check_range(what: &str, value: f64, lo: f64, hi: f64) {
    println!("{what}: {value:.4} (intended {lo}..={hi})");
    assert!(
        (lo..=hi).contains(&value),
        "{what} = {value:.4}, outside its intended range {lo}..={hi}"
    );
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

/// The coding of every line: (invoice, line) → (account, cost centre), from line-level postings
/// (the larger part of a split) and invoice-level postings.
fn line_codings() -> &'static HashMap<(String, u32), (String, String)> {
    static CODINGS: OnceLock<HashMap<(String, u32), (String, String)>> = OnceLock::new();
    CODINGS.get_or_init(|| {
        let lines_per_invoice: HashMap<&str, u32> =
            ds().invoice_lines.iter().fold(HashMap::new(), |mut m, l| {
                *m.entry(l.invoice_id.as_str()).or_default() += 1;
                m
            });
        let mut best: HashMap<(String, u32), (Decimal, String, String)> = HashMap::new();
        for p in &ds().postings {
            let lines = match p.line_no {
                Some(n) => n..=n,
                None => 1..=lines_per_invoice[p.invoice_id.as_str()],
            };
            for n in lines {
                let e = best.entry((p.invoice_id.clone(), n)).or_insert((
                    Decimal::MIN,
                    String::new(),
                    String::new(),
                ));
                if p.amount.abs() > e.0 {
                    *e = (p.amount.abs(), p.account.clone(), p.cost_centre.clone());
                }
            }
        }
        best.into_iter().map(|(k, (_, a, c))| (k, (a, c))).collect()
    })
}

#[test]
fn organisation_has_about_300_units_with_valid_glns_in_six_areas() {
    let units = &ds().units;
    check_range("units", units.len() as f64, 280.0, 320.0);
    assert!(
        units.iter().all(|u| Gln::parse(&u.gln).is_ok()),
        "every GLN is valid"
    );
    let areas: BTreeSet<&str> = units.iter().map(|u| u.area.as_str()).collect();
    assert_eq!(areas.len(), 6, "areas: {areas:?}");
}

#[test]
fn creditors_have_valid_unique_cvrs_and_thousands_exist() {
    let creditors = &ds().creditors;
    let cvrs: Vec<&str> = creditors.iter().filter_map(|c| c.cvr.as_deref()).collect();
    assert!(
        cvrs.iter().all(|c| Cvr::parse(c).is_ok()),
        "every master-data CVR is valid"
    );
    let unique: BTreeSet<&&str> = cvrs.iter().collect();
    assert_eq!(unique.len(), cvrs.len(), "CVRs are unique");
    check_range(
        "share of creditors without CVR (foreign)",
        share(creditors.len() - cvrs.len(), creditors.len()),
        0.001,
        0.05,
    );
    assert!(
        creditors.len() >= 1000,
        "thousands of creditors: {}",
        creditors.len()
    );
}

#[test]
fn volume_follows_a_steep_power_law() {
    let mut per_creditor: HashMap<&str, usize> = HashMap::new();
    for inv in &ds().invoices {
        *per_creditor.entry(inv.creditor_id.as_str()).or_default() += 1;
    }
    let mut counts: Vec<usize> = per_creditor.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let total: usize = counts.iter().sum();
    check_range(
        "top-10 creditors' share of invoices",
        share(counts.iter().take(10).sum(), total),
        0.30,
        0.65,
    );
    let rare = counts.iter().filter(|&&c| c as u32 <= 2 * YEARS).count();
    check_range(
        "share of invoicing creditors with at most 2 invoices a year",
        share(rare, counts.len()),
        0.40,
        0.90,
    );
}

#[test]
fn suppliers_come_and_go() {
    let mut years: HashMap<&str, BTreeSet<i32>> = HashMap::new();
    for inv in &ds().invoices {
        years
            .entry(inv.creditor_id.as_str())
            .or_default()
            .insert(inv.issue_date.year());
    }
    let last = FIRST_YEAR + YEARS as i32 - 1;
    let active_last = years.values().filter(|y| y.contains(&last)).count();
    let new_last = years.values().filter(|y| y.first() == Some(&last)).count();
    let gone = years
        .values()
        .filter(|y| y.contains(&FIRST_YEAR) && !y.contains(&last))
        .count();
    let active_first = years.values().filter(|y| y.contains(&FIRST_YEAR)).count();
    check_range(
        "share of last year's creditors that are new that year",
        share(new_last, active_last),
        0.10,
        0.60,
    );
    check_range(
        "share of first year's creditors not seen in the last year",
        share(gone, active_first),
        0.10,
        0.70,
    );
}

#[test]
fn duplicates_are_about_half_a_percent() {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for inv in &ds().invoices {
        *seen
            .entry((inv.creditor_id.as_str(), inv.invoice_number.as_str()))
            .or_default() += 1;
    }
    let dups: usize = seen.values().map(|&n| n - 1).sum();
    check_range(
        "share of invoices sent twice",
        share(dups, ds().invoices.len()),
        0.003,
        0.008,
    );
    assert_eq!(
        dups,
        data().truth.duplicates.len(),
        "every duplicate is a resent invoice"
    );
}

#[test]
fn about_one_percent_of_invoices_break_a_form_rule() {
    let mut lines_net: HashMap<&str, (Decimal, bool)> = HashMap::new();
    for l in &ds().invoice_lines {
        let e = lines_net.entry(l.invoice_id.as_str()).or_default();
        e.0 += l.net_amount;
        e.1 |= l.description.is_empty();
    }
    let broken = ds()
        .invoices
        .iter()
        .filter(|inv| {
            let (net, empty_text) = lines_net[inv.invoice_id.as_str()];
            let cvr_bad = inv
                .supplier_cvr
                .as_deref()
                .is_some_and(|c| Cvr::parse(c).is_err());
            let vat_expected = (net * Decimal::new(25, 2)).round_dp(2);
            let vat_bad = inv.total_vat != Decimal::ZERO
                && (inv.total_vat - vat_expected).abs() > Decimal::ONE;
            inv.total_net != net
                || inv.total_gross != inv.total_net + inv.total_vat
                || vat_bad
                || (inv.buyer_gln.is_none() && inv.buyer_reference.is_none())
                || cvr_bad
                || empty_text
                || inv.due_date.is_none()
        })
        .count();
    // 1% are broken on purpose; about 0.5% more lack both buyer GLN and reference by chance.
    check_range(
        "share of invoices breaking a form rule",
        share(broken, ds().invoices.len()),
        0.008,
        0.025,
    );
}

#[test]
fn credit_notes_are_negative_and_a_few_percent() {
    let credit: Vec<_> = ds()
        .invoices
        .iter()
        .filter(|i| i.document_type == "credit_note")
        .collect();
    check_range(
        "share of credit notes",
        share(credit.len(), ds().invoices.len()),
        0.01,
        0.035,
    );
    assert!(
        credit.iter().all(|c| c.total_net < Decimal::ZERO),
        "credit notes carry negative amounts"
    );
}

#[test]
fn vat_is_mostly_25_percent_with_exempt_services() {
    let lines = &ds().invoice_lines;
    let standard = lines
        .iter()
        .filter(|l| l.vat_category == "S" && l.vat_rate == Decimal::from(25))
        .count();
    let exempt = lines
        .iter()
        .filter(|l| l.vat_category == "E" && l.vat_rate.is_zero())
        .count();
    check_range(
        "share of lines at 25% VAT",
        share(standard, lines.len()),
        0.75,
        0.97,
    );
    check_range(
        "share of VAT-exempt lines",
        share(exempt, lines.len()),
        0.02,
        0.20,
    );
}

#[test]
fn suppliers_post_to_several_accounts_depending_on_what_was_bought() {
    // (creditor, unit) → account → lines. Within one buyer, several accounts means the account
    // depends on the text or amount, not only on who sold and who bought. Measured within the
    // last year, so that the chart change does not count as a second account.
    let last = FIRST_YEAR + YEARS as i32 - 1;
    let invoice_of: HashMap<&str, (&str, Option<&str>)> = ds()
        .invoices
        .iter()
        .filter(|i| i.issue_date.year() == last)
        .map(|i| {
            (
                i.invoice_id.as_str(),
                (i.creditor_id.as_str(), i.buyer_gln.as_deref()),
            )
        })
        .collect();
    let mut by_creditor: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let mut by_pair: HashMap<(&str, &str), HashMap<&str, usize>> = HashMap::new();
    for ((inv, _), (account, _)) in line_codings() {
        let Some(&(creditor, gln)) = invoice_of.get(inv.as_str()) else {
            continue;
        };
        *by_creditor
            .entry(creditor)
            .or_default()
            .entry(account)
            .or_default() += 1;
        if let Some(gln) = gln {
            *by_pair
                .entry((creditor, gln))
                .or_default()
                .entry(account)
                .or_default() += 1;
        }
    }
    // Several: a second account takes at least 10% of the lines (more than label noise could).
    let several = |m: &HashMap<&str, usize>| {
        let n: usize = m.values().sum();
        m.values().filter(|&&c| c as f64 >= 0.10 * n as f64).count() >= 2
    };
    let big: Vec<_> = by_creditor
        .values()
        .filter(|m| m.values().sum::<usize>() >= 20)
        .collect();
    let multi = big.iter().filter(|m| several(m)).count();
    check_range(
        "share of suppliers (≥20 lines) with more than one account",
        share(multi, big.len()),
        0.30,
        0.95,
    );
    let pairs: Vec<_> = by_pair
        .values()
        .filter(|m| m.values().sum::<usize>() >= 20)
        .collect();
    let multi_pairs = pairs.iter().filter(|m| several(m)).count();
    check_range(
        "share of supplier × buyer groups (≥20 lines) with more than one account",
        share(multi_pairs, pairs.len()),
        0.20,
        0.80,
    );
}

#[test]
fn multi_line_invoices_are_split_over_accounts() {
    let mut accounts: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut lines: BTreeMap<&str, usize> = BTreeMap::new();
    for ((inv, _), (account, _)) in line_codings() {
        accounts
            .entry(inv.as_str())
            .or_default()
            .insert(account.as_str());
        *lines.entry(inv.as_str()).or_default() += 1;
    }
    let multi: Vec<&str> = lines
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(i, _)| *i)
        .collect();
    let split = multi.iter().filter(|i| accounts[*i].len() > 1).count();
    check_range(
        "share of multi-line invoices over several accounts",
        share(split, multi.len()),
        0.10,
        0.70,
    );
}

#[test]
fn the_cost_centre_follows_the_buyer_and_the_account_follows_what_was_bought() {
    let invoice_of: HashMap<&str, (&str, Option<&str>)> = ds()
        .invoices
        .iter()
        .map(|i| {
            (
                i.invoice_id.as_str(),
                (i.creditor_id.as_str(), i.buyer_gln.as_deref()),
            )
        })
        .collect();
    // How well does one piece of evidence alone predict a field? The share of lines whose value is
    // the majority value for that evidence.
    fn purity<K: std::hash::Hash + Eq>(pairs: impl Iterator<Item = (K, String)>) -> f64 {
        let mut m: HashMap<K, HashMap<String, usize>> = HashMap::new();
        let mut n = 0;
        for (k, v) in pairs {
            *m.entry(k).or_default().entry(v).or_default() += 1;
            n += 1;
        }
        m.values()
            .map(|c| c.values().max().copied().unwrap_or(0))
            .sum::<usize>() as f64
            / n as f64
    }
    let codings = line_codings();
    let with_gln = || {
        codings
            .iter()
            .filter_map(|((inv, _), c)| invoice_of[inv.as_str()].1.map(|g| (g, c)))
    };
    let cc_by_buyer = purity(with_gln().map(|(g, (_, cc))| (g, cc.clone())));
    let cc_by_supplier = purity(
        codings
            .iter()
            .map(|((inv, _), (_, cc))| (invoice_of[inv.as_str()].0, cc.clone())),
    );
    let art = |a: &str| a.rsplit('-').next().unwrap_or(a).to_owned();
    let art_by_supplier = purity(
        codings
            .iter()
            .map(|((inv, _), (a, _))| (invoice_of[inv.as_str()].0, art(a))),
    );
    let art_by_buyer = purity(with_gln().map(|(g, (a, _))| (g, art(a))));
    check_range(
        "cost centre predicted by buyer GLN alone",
        cc_by_buyer,
        0.85,
        0.99,
    );
    check_range(
        "cost centre predicted by supplier alone",
        cc_by_supplier,
        0.05,
        0.60,
    );
    check_range(
        "art (expense type) predicted by supplier alone",
        art_by_supplier,
        0.70,
        0.99,
    );
    check_range("art predicted by buyer GLN alone", art_by_buyer, 0.10, 0.70);
}

#[test]
fn the_chart_has_several_hundred_accounts_many_rarely_used() {
    let mut used: HashMap<&str, usize> = HashMap::new();
    for p in &ds().postings {
        *used.entry(p.account.as_str()).or_default() += 1;
    }
    check_range(
        "accounts in the chart",
        ds().accounts.len() as f64,
        300.0,
        1000.0,
    );
    check_range("accounts in use", used.len() as f64, 200.0, 800.0);
    // Rare: fewer than one posting in 2,000.
    let rare_below = ds().postings.len() / 2000;
    let rare = used.values().filter(|&&n| n < rare_below).count();
    check_range(
        "share of used accounts with under 0.05% of postings",
        share(rare, used.len()),
        0.25,
        0.80,
    );
}

#[test]
fn chart_changes_at_a_year_boundary_change_a_share_of_historical_codings() {
    let chart = chart_from_rows(&ds().accounts).expect("the generated chart is valid");
    let kinds: BTreeSet<&str> = ds()
        .accounts
        .iter()
        .filter_map(|a| a.change.as_deref())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["closed", "merged", "renamed", "split"]),
        "every kind of change occurs"
    );
    let change_days: BTreeSet<NaiveDate> =
        ds().accounts.iter().filter_map(|a| a.valid_to).collect();
    assert!(
        change_days.iter().all(|d| d.month() == 1 && d.day() == 1),
        "changes fall on year boundaries"
    );
    let as_of = NaiveDate::from_ymd_opt(FIRST_YEAR + YEARS as i32 - 1, 12, 31).unwrap();
    let (mut before, mut changed, mut unmappable) = (0, 0, 0);
    for p in ds()
        .postings
        .iter()
        .filter(|p| p.posting_date < *change_days.last().unwrap())
    {
        before += 1;
        let id = AccountId::parse(&p.account).unwrap();
        match chart.current(&id, as_of) {
            Mapping::Unchanged => {}
            Mapping::Mapped { .. } => changed += 1,
            Mapping::Closed { .. } | Mapping::Ambiguous { .. } => unmappable += 1,
            other => panic!("posted account {} maps to {other:?}", p.account),
        }
    }
    check_range(
        "share of historical codings mapped to another account",
        share(changed, before),
        0.03,
        0.20,
    );
    check_range(
        "share of historical codings with no single current account",
        share(unmappable, before),
        0.02,
        0.20,
    );
    // Postings always use an account valid on their posting date.
    for p in &ds().postings {
        let id = AccountId::parse(&p.account).unwrap();
        assert!(
            chart.is_valid(&id, p.posting_date),
            "{} posted on {} outside its validity",
            p.account,
            p.posting_date
        );
    }
}

#[test]
fn label_noise_is_one_to_two_percent() {
    let codings = line_codings();
    let truth = &data().truth.lines;
    let wrong = truth
        .iter()
        .filter(|t| {
            let (account, cc) = &codings[&(t.invoice_id.clone(), t.line_no)];
            *account != t.account || *cc != t.cost_centre
        })
        .count();
    check_range(
        "share of posted lines coded wrongly",
        share(wrong, truth.len()),
        0.01,
        0.02,
    );
    let flagged = truth.iter().filter(|t| t.noisy).count();
    assert_eq!(
        wrong, flagged,
        "every wrong coding is one the generator meant to be wrong"
    );
}

#[test]
fn cpr_numbers_appear_only_in_social_care_texts() {
    let exempt_invoices: BTreeSet<&str> = ds()
        .invoice_lines
        .iter()
        .filter(|l| l.vat_category == "E")
        .map(|l| l.invoice_id.as_str())
        .collect();
    let with_cpr: Vec<_> = ds()
        .invoice_lines
        .iter()
        .filter(|l| cpr::contains(&l.description))
        .collect();
    check_range(
        "share of lines with a CPR number",
        share(with_cpr.len(), ds().invoice_lines.len()),
        0.002,
        0.05,
    );
    assert!(
        with_cpr
            .iter()
            .all(|l| exempt_invoices.contains(l.invoice_id.as_str())),
        "CPR only in social-care lines"
    );
}

#[test]
fn invoices_are_seasonal_and_some_recur_monthly() {
    let mut per_month = [0usize; 12];
    for inv in &ds().invoices {
        per_month[inv.issue_date.month0() as usize] += 1;
    }
    let mean = per_month.iter().sum::<usize>() as f64 / 12.0;
    check_range(
        "July volume relative to the monthly mean",
        per_month[6] as f64 / mean,
        0.4,
        0.85,
    );
    check_range(
        "December volume relative to the monthly mean",
        per_month[11] as f64 / mean,
        1.05,
        1.5,
    );
    // (creditor, buyer) pairs invoicing in at least 11 months of a year.
    let mut months: HashMap<(&str, Option<&str>, i32), BTreeSet<u32>> = HashMap::new();
    for inv in &ds().invoices {
        months
            .entry((
                inv.creditor_id.as_str(),
                inv.buyer_gln.as_deref(),
                inv.issue_date.year(),
            ))
            .or_default()
            .insert(inv.issue_date.month());
    }
    let monthly = months.values().filter(|m| m.len() >= 11).count();
    assert!(
        monthly >= 50,
        "recurring monthly supplier × buyer years: {monthly}"
    );
}

#[test]
fn postings_come_per_line_per_invoice_and_split() {
    let postings = &ds().postings;
    let invoice_level = postings.iter().filter(|p| p.line_no.is_none()).count();
    let mut per_line: HashMap<(&str, u32), usize> = HashMap::new();
    for p in postings.iter().filter(|p| p.line_no.is_some()) {
        *per_line
            .entry((p.invoice_id.as_str(), p.line_no.unwrap()))
            .or_default() += 1;
    }
    let split = per_line.values().filter(|&&n| n > 1).count();
    check_range(
        "share of invoice-level postings",
        share(invoice_level, postings.len()),
        0.05,
        0.40,
    );
    check_range(
        "share of lines split over several postings",
        share(split, per_line.len()),
        0.01,
        0.05,
    );
    // Postings add up to what was invoiced.
    let mut posted: HashMap<&str, Decimal> = HashMap::new();
    for p in postings {
        *posted.entry(p.invoice_id.as_str()).or_default() += p.amount;
    }
    let mut lines: HashMap<&str, Decimal> = HashMap::new();
    for l in &ds().invoice_lines {
        *lines.entry(l.invoice_id.as_str()).or_default() += l.net_amount;
    }
    for (inv, amount) in posted {
        assert_eq!(amount, lines[inv], "postings of {inv} add up to its lines");
    }
}

#[test]
fn a_minority_of_e_invoices_carry_the_buyers_account_string() {
    let e: Vec<_> = ds()
        .invoices
        .iter()
        .filter(|i| i.format != "other")
        .collect();
    let with = e.iter().filter(|i| i.accounting_cost.is_some()).count();
    check_range(
        "share of e-invoices with AccountingCost",
        share(with, e.len()),
        0.02,
        0.12,
    );
}
