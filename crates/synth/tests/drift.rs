//! Drift in one year (`--drift-year`), measured on the contract tables of the same municipality
//! generated with and without it (3 × 30,000 invoices, seed 7, drift in the last year, 2025, the
//! year of the chart's main change too): codings leave their supplier × unit history, two units are
//! reorganised from 1 July, more creditors are new; without drift nothing changes, and with it the
//! same seed gives the same data. Run with `--nocapture` to see the figures.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use kontera_core::AccountId;
use kontera_data::{Dataset, Format, TABLE_NAMES, chart_from_rows, write_dataset};
use kontera_synth::{
    DriftEffect, DriftTruth, GenerateParams, Generated, ParamError, ReorganisationKind, generate,
};
use rust_decimal::Decimal;

const FIRST_YEAR: i32 = 2023;
const DRIFT_YEAR: i32 = 2025;

fn params() -> GenerateParams {
    GenerateParams {
        years: 3,
        invoices_per_year: 30_000,
        seed: 7,
        first_year: FIRST_YEAR,
    }
}

fn with_drift(p: GenerateParams) -> Generated {
    let valid = p.check().unwrap().with_drift_year(DRIFT_YEAR).unwrap();
    generate(&valid, |_, _| {})
}

fn plain() -> &'static Generated {
    static DATA: OnceLock<Generated> = OnceLock::new();
    DATA.get_or_init(|| generate(&params().check().unwrap(), |_, _| {}))
}

fn drifted() -> &'static Generated {
    static DATA: OnceLock<Generated> = OnceLock::new();
    DATA.get_or_init(|| with_drift(params()))
}

fn drift() -> &'static DriftTruth {
    drifted().truth.drift.as_ref().expect("drift is recorded")
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole.max(1) as f64
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Whether an invoice id is one of the year's own (not a duplicate sent again).
fn of_year(id: &str, year: i32) -> bool {
    id.starts_with(&format!("F{year}-")) && !id.ends_with("-D")
}

/// Each posted line's coding, (invoice, line) → (account, cost centre): its posting (the larger
/// part of a split) or its invoice's invoice-level posting, the account mapped onto the chart of
/// the drift year so that the chart's own changes between the years do not count as drift (lines
/// whose account has no single successor are left out, as training leaves them out).
fn line_codings(ds: &Dataset) -> HashMap<(&str, u32), (String, &str)> {
    let chart = chart_from_rows(&ds.accounts).expect("the generated chart is valid");
    let as_of = ymd(DRIFT_YEAR, 12, 31);
    let mut lines_of: HashMap<&str, u32> = HashMap::new();
    for l in &ds.invoice_lines {
        *lines_of.entry(l.invoice_id.as_str()).or_default() += 1;
    }
    let mut largest: HashMap<(&str, u32), (Decimal, &str, &str)> = HashMap::new();
    for p in &ds.postings {
        let inv = p.invoice_id.as_str();
        let lines = p.line_no.map_or(1..=lines_of[inv], |n| n..=n);
        for n in lines {
            let e = largest.entry((inv, n)).or_insert((Decimal::MIN, "", ""));
            if p.amount.abs() > e.0 {
                *e = (p.amount.abs(), p.account.as_str(), p.cost_centre.as_str());
            }
        }
    }
    largest
        .into_iter()
        .filter_map(|(line, (_, account, cc))| {
            let id = AccountId::parse(account).unwrap();
            let mapped = chart.current(&id, as_of);
            Some((line, (mapped.current(&id)?.to_string(), cc)))
        })
        .collect()
}

/// What the history of a line is about: its supplier, the buyer GLN and the supplier's item.
type Key<'a> = (&'a str, &'a str, &'a str);

/// A history agrees when at least this share of its lines has one coding.
const AGREEMENT: f64 = 0.9;

/// Off the history, counted over the drift year's invoices whose lines all have an agreeing
/// history: a supplier × unit × item with at least 3 lines the year before, nine in ten coded the
/// same way (what a model or a payment plan would be confident of). An invoice is off when one of
/// its lines is coded otherwise. (invoices off, invoices; lines off, lines).
fn off_history(ds: &Dataset, by_item: bool) -> (usize, usize, usize, usize) {
    let codings = line_codings(ds);
    let invoices: HashMap<&str, (&str, &str)> = ds
        .invoices
        .iter()
        .filter_map(|i| {
            Some((
                i.invoice_id.as_str(),
                (i.creditor_id.as_str(), i.buyer_gln.as_deref()?),
            ))
        })
        .collect();
    // (invoice, key, coding) of every posted line of a year.
    let keyed = |year: i32| -> Vec<(&str, Key, &(String, &str))> {
        ds.invoice_lines
            .iter()
            .filter_map(|l| {
                let inv = l.invoice_id.as_str();
                if !of_year(inv, year) {
                    return None;
                }
                let (creditor, gln) = invoices.get(inv)?;
                let item = if by_item { l.item_id.as_deref()? } else { "" };
                let key: Key = (creditor, gln, item);
                Some((inv, key, codings.get(&(inv, l.line_no))?))
            })
            .collect()
    };
    let mut history: HashMap<Key, HashMap<&(String, &str), usize>> = HashMap::new();
    for (_, key, coding) in keyed(DRIFT_YEAR - 1) {
        *history.entry(key).or_default().entry(coding).or_default() += 1;
    }
    let majority: HashMap<Key, &(String, &str)> = history
        .into_iter()
        .filter_map(|(key, m)| {
            let lines: usize = m.values().sum();
            let (best, n) = m
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?;
            (lines >= 3 && n as f64 >= AGREEMENT * lines as f64).then_some((key, best))
        })
        .collect();
    // invoice → (every line has a history, some line is off it, lines, lines off)
    let mut per_invoice: BTreeMap<&str, (bool, bool, usize, usize)> = BTreeMap::new();
    for (inv, key, coding) in keyed(DRIFT_YEAR) {
        let e = per_invoice.entry(inv).or_insert((true, false, 0, 0));
        match majority.get(&key) {
            Some(m) => {
                e.1 |= *m != coding;
                e.2 += 1;
                e.3 += usize::from(*m != coding);
            }
            None => e.0 = false,
        }
    }
    let known: Vec<_> = per_invoice.values().filter(|e| e.0).collect();
    (
        known.iter().filter(|e| e.1).count(),
        known.len(),
        known.iter().map(|e| e.3).sum(),
        known.iter().map(|e| e.2).sum(),
    )
}

#[test]
fn drift_year_codings_leave_their_supplier_unit_history() {
    assert!(
        plain().truth.drift.is_none(),
        "no drift without --drift-year"
    );
    // Per supplier × unit, and per supplier × unit × item (the lines a re-purposed account took).
    for (by_item, min_ratio) in [(false, 2.0), (true, 3.0)] {
        let (off_p, n_p, lines_off_p, lines_p) = off_history(&plain().dataset, by_item);
        let (off_d, n_d, lines_off_d, lines_d) = off_history(&drifted().dataset, by_item);
        let (p, d) = (share(off_p, n_p), share(off_d, n_d));
        let what = if by_item {
            "supplier × unit × item"
        } else {
            "supplier × unit"
        };
        println!(
            "drift-year invoices coded unlike their {what}'s agreeing history of the year before: \
             without drift {p:.4} ({off_p}/{n_p}), with drift {d:.4} ({off_d}/{n_d}); lines \
             {:.4} ({lines_off_p}/{lines_p}) and {:.4} ({lines_off_d}/{lines_d})",
            share(lines_off_p, lines_p),
            share(lines_off_d, lines_d),
        );
        assert!(
            d >= p + 0.05 && d >= min_ratio * p,
            "per {what}, drift moves too few codings off their history: {d:.4} with drift, \
             {p:.4} without"
        );
    }
}

#[test]
fn the_drift_is_recorded_and_the_tables_stay_consistent() {
    let ds = &drifted().dataset;
    let drift = drift();
    assert_eq!(drift.year, DRIFT_YEAR);
    println!("re-purposed: {:#?}", drift.repurposed);
    assert!(
        (3..=5).contains(&drift.repurposed.len()),
        "3 to 5 accounts change meaning: {:?}",
        drift.repurposed
    );
    assert!(drift.repurposed.iter().all(|r| r.from != r.to));
    let froms: BTreeSet<&str> = drift.repurposed.iter().map(|r| r.from.as_str()).collect();
    assert_eq!(froms.len(), drift.repurposed.len(), "each account once");

    // The new accounts are in the chart from 1 January of the drift year, and open.
    assert!(!drift.new_accounts.is_empty(), "an account opens");
    for account in &drift.new_accounts {
        let row = ds.accounts.iter().find(|a| a.account == *account);
        let row = row.unwrap_or_else(|| panic!("{account} is not in the accounts table"));
        assert_eq!(
            row.valid_from,
            NaiveDate::from_ymd_opt(DRIFT_YEAR, 1, 1).unwrap()
        );
        assert_eq!((row.valid_to, row.change.as_deref()), (None, None));
        assert!(
            plain()
                .dataset
                .accounts
                .iter()
                .all(|a| a.account != *account)
        );
    }
    assert_eq!(
        ds.accounts.len(),
        plain().dataset.accounts.len() + drift.new_accounts.len()
    );
    let sorted = ds.accounts.windows(2).all(|w| w[0].account < w[1].account);
    assert!(sorted, "the accounts table stays sorted by account");
    // Every posting uses an account valid on its date (the re-purposed ones are all still valid).
    let chart = chart_from_rows(&ds.accounts).expect("the chart with the new accounts is valid");
    for p in &ds.postings {
        let id = AccountId::parse(&p.account).unwrap();
        assert!(
            chart.is_valid(&id, p.posting_date),
            "{} on {}",
            p.account,
            p.posting_date
        );
    }

    // The invoices the truth names as re-purposed post to a re-purposed account's new home.
    let to: BTreeSet<&str> = drift.repurposed.iter().map(|r| r.to.as_str()).collect();
    let repurposed: BTreeSet<&str> = affected(DriftEffect::Repurposed);
    let on_to: BTreeSet<&str> = ds
        .postings
        .iter()
        .filter(|p| to.contains(p.account.as_str()))
        .map(|p| p.invoice_id.as_str())
        .collect();
    let hit = repurposed.iter().filter(|i| on_to.contains(*i)).count();
    assert!(
        share(hit, repurposed.len()) >= 0.95,
        "{hit} of {} re-purposed invoices post to a new home",
        repurposed.len()
    );

    // 5–15% of the drift year's invoices are coded otherwise than they would have been.
    let in_year = ds
        .invoices
        .iter()
        .filter(|i| of_year(&i.invoice_id, DRIFT_YEAR))
        .count();
    let coded_otherwise: BTreeSet<&str> = drift
        .affected
        .iter()
        .filter(|(id, e)| *e != DriftEffect::ExtraCreditor && of_year(id, DRIFT_YEAR))
        .map(|(id, _)| id.as_str())
        .collect();
    let reorganised = affected(DriftEffect::Reorganised).len();
    let extra = affected(DriftEffect::ExtraCreditor).len();
    let s = share(coded_otherwise.len(), in_year);
    println!(
        "drift-year invoices coded otherwise: {s:.4} ({} of {in_year}: {} re-purposed, \
         {reorganised} reorganised); from extra creditors: {extra}",
        coded_otherwise.len(),
        repurposed.iter().filter(|i| of_year(i, DRIFT_YEAR)).count(),
    );
    assert!((0.05..=0.15).contains(&s), "{s:.4} outside 5–15%");
}

fn affected(effect: DriftEffect) -> BTreeSet<&'static str> {
    let affected = &drift().affected;
    affected
        .iter()
        .filter(|(_, e)| *e == effect)
        .map(|(id, _)| id.as_str())
        .collect()
}

/// The cost centre of each invoice's largest posting.
fn cost_centres(ds: &Dataset) -> HashMap<&str, &str> {
    let mut largest: HashMap<&str, (Decimal, &str)> = HashMap::new();
    for p in &ds.postings {
        let e = largest.entry(&p.invoice_id).or_insert((Decimal::MIN, ""));
        if p.amount.abs() > e.0 {
            *e = (p.amount.abs(), &p.cost_centre);
        }
    }
    largest.into_iter().map(|(i, (_, cc))| (i, cc)).collect()
}

/// Of the drift year's posted invoices to `gln`, issued before (`false`) or from (`true`) 1 July:
/// how many, and how many coded to `cost_centre`.
fn to_cost_centre(ds: &Dataset, gln: &str, cost_centre: &str, from_july: bool) -> (usize, usize) {
    let ccs = cost_centres(ds);
    let july = NaiveDate::from_ymd_opt(DRIFT_YEAR, 7, 1).unwrap();
    let invoices: Vec<&str> = ds
        .invoices
        .iter()
        .filter(|i| of_year(&i.invoice_id, DRIFT_YEAR) && i.buyer_gln.as_deref() == Some(gln))
        .filter(|i| (i.issue_date >= july) == from_july)
        .map(|i| i.invoice_id.as_str())
        .collect();
    let hits = invoices
        .iter()
        .filter(|i| ccs.get(*i) == Some(&cost_centre))
        .count();
    (invoices.len(), hits)
}

#[test]
fn the_reorganised_units_change_unit_and_cost_centre_from_july() {
    let drift = drift();
    let ds = &drifted().dataset;
    let kinds: Vec<ReorganisationKind> = drift.reorganised.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [ReorganisationKind::MergedInto, ReorganisationKind::SplitOff]
    );
    let july = NaiveDate::from_ymd_opt(DRIFT_YEAR, 7, 1).unwrap();
    let issued: HashMap<&str, NaiveDate> = ds
        .invoices
        .iter()
        .map(|i| (i.invoice_id.as_str(), i.issue_date))
        .collect();
    let moved = affected(DriftEffect::Reorganised);
    assert!(
        moved.iter().all(|i| issued[i] >= july),
        "nothing moves before July"
    );
    for r in &drift.reorganised {
        assert_eq!(r.from, july);
        let (before, before_old) = to_cost_centre(ds, &r.gln, &r.cost_centre, false);
        let (after, after_new) = to_cost_centre(ds, &r.new_gln, &r.new_cost_centre, true);
        let (_, after_old) = to_cost_centre(ds, &r.gln, &r.cost_centre, true);
        let (plain_after, plain_after_old) =
            to_cost_centre(&plain().dataset, &r.gln, &r.cost_centre, true);
        println!(
            "{:?} {} ({}, cost centre {}) → {} ({}, cost centre {}): before July {before_old} of \
             {before} to the old cost centre; from July {after_new} of {after} to the new one and \
             {after_old} to the old; without drift {plain_after_old} of {plain_after} to the old",
            r.kind, r.unit_id, r.gln, r.cost_centre, r.other_unit_id, r.new_gln, r.new_cost_centre
        );
        assert!(
            before >= 20 && after >= 20,
            "sizeable: {before} and {after} invoices"
        );
        assert!(
            share(before_old, before) >= 0.8,
            "before July the old cost centre"
        );
        assert!(
            share(after_new, after) >= 0.8,
            "from July the new cost centre"
        );
        assert!(
            share(plain_after_old, plain_after) >= 0.8,
            "without drift, no change"
        );
        let unit = ds
            .units
            .iter()
            .find(|u| u.unit_id == r.other_unit_id)
            .unwrap();
        match r.kind {
            ReorganisationKind::MergedInto => {
                assert_eq!(r.new_gln, r.gln, "a merged institution keeps its GLN");
                assert_eq!(unit.cost_centre, r.new_cost_centre);
                assert!(
                    share(after_old, after) <= 0.05,
                    "the old cost centre is gone"
                );
                // The master data shows the merged unit on the other one's cost centre.
                let merged = ds.units.iter().find(|u| u.unit_id == r.unit_id).unwrap();
                assert_eq!(merged.cost_centre, r.new_cost_centre);
            }
            ReorganisationKind::SplitOff => {
                // A new unit, GLN and cost centre, unknown before July and to the data without
                // drift; the old unit keeps the other half.
                assert_eq!(
                    (unit.gln.as_str(), unit.cost_centre.as_str()),
                    (r.new_gln.as_str(), r.new_cost_centre.as_str())
                );
                let plain_units = &plain().dataset.units;
                assert!(plain_units.iter().all(|u| u.unit_id != unit.unit_id));
                assert!(plain_units.iter().all(|u| u.gln != unit.gln));
                assert_eq!(ds.units.len(), plain_units.len() + 1);
                let (new_before, _) = to_cost_centre(ds, &r.new_gln, &r.new_cost_centre, false);
                assert_eq!(new_before, 0, "no invoice to the new unit before July");
                assert!(after_old >= 20, "the old unit keeps invoicing: {after_old}");
            }
        }
    }
}

/// The share of a year's invoicing creditors whose first invoice is in that year.
fn new_creditor_share(ds: &Dataset, year: i32) -> f64 {
    let mut years: HashMap<&str, BTreeSet<i32>> = HashMap::new();
    for inv in &ds.invoices {
        years
            .entry(&inv.creditor_id)
            .or_default()
            .insert(inv.issue_date.year());
    }
    let active = years.values().filter(|y| y.contains(&year)).count();
    let new = years.values().filter(|y| y.first() == Some(&year)).count();
    share(new, active)
}

#[test]
fn more_creditors_than_usual_are_new_in_the_drift_year() {
    let plain_share = new_creditor_share(&plain().dataset, DRIFT_YEAR);
    let drift_share = new_creditor_share(&drifted().dataset, DRIFT_YEAR);
    println!(
        "share of {DRIFT_YEAR}'s invoicing creditors that invoice for the first time: \
         {plain_share:.4} without drift, {drift_share:.4} with drift"
    );
    assert!(
        drift_share >= plain_share + 0.06 && drift_share >= 1.3 * plain_share,
        "not clearly more new creditors: {drift_share:.4} with drift, {plain_share:.4} without"
    );
    // The extra creditors are in the master data and invoice from the drift year on only.
    let first: HashMap<&str, Option<NaiveDate>> = drifted()
        .dataset
        .creditors
        .iter()
        .map(|c| (c.creditor_id.as_str(), c.first_invoice))
        .collect();
    let extra = &drift().extra_creditors;
    assert!(!extra.is_empty());
    for id in extra {
        let f = first
            .get(id.as_str())
            .unwrap_or_else(|| panic!("{id} is not in creditors"));
        assert!(
            f.is_none_or(|d| d.year() == DRIFT_YEAR),
            "{id} first invoiced {f:?}"
        );
    }
    assert!(plain().dataset.creditors.len() + extra.len() == drifted().dataset.creditors.len());
}

/// The six tables of a dataset written as CSV, by table.
fn csv_bytes(ds: &Dataset, name: &str) -> Vec<(String, Vec<u8>)> {
    let dir =
        std::env::temp_dir().join(format!("kontera-synth-drift-{}-{name}", std::process::id()));
    write_dataset(ds, &dir, Format::Csv).unwrap();
    let out = read_tables(&dir);
    fs::remove_dir_all(&dir).unwrap();
    out
}

fn read_tables(dir: &Path) -> Vec<(String, Vec<u8>)> {
    TABLE_NAMES
        .iter()
        .map(|t| {
            let path = dir.join(format!("{t}.csv"));
            (
                t.to_string(),
                fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            )
        })
        .collect()
}

#[test]
fn without_drift_the_output_is_the_committed_sample() {
    // data/sample/SOURCE: 3 years × 2,000 invoices, seed 42. Drift must not change a byte of it.
    let p = GenerateParams {
        years: 3,
        invoices_per_year: 2000,
        seed: 42,
        first_year: FIRST_YEAR,
    };
    let fresh = csv_bytes(&generate(&p.check().unwrap(), |_, _| {}).dataset, "sample");
    let sample = read_tables(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sample"));
    for ((name, fresh), (_, committed)) in fresh.iter().zip(&sample) {
        assert!(
            fresh == committed,
            "{name}.csv differs from data/sample without drift"
        );
    }
    let drifted = csv_bytes(&with_drift(p).dataset, "sample-drift");
    assert_ne!(drifted, sample, "with drift the data differ");
}

#[test]
fn drift_is_deterministic_and_leaves_the_years_before_it_alone() {
    let p = GenerateParams {
        invoices_per_year: 3000,
        ..params()
    };
    let (a, b) = (with_drift(p), with_drift(p));
    assert!(
        a == b,
        "the same seed gives the same drifted data and truth"
    );
    let other = with_drift(GenerateParams {
        seed: p.seed + 1,
        ..p
    });
    assert!(other.dataset != a.dataset && other.truth.drift != a.truth.drift);
    let plain = generate(&p.check().unwrap(), |_, _| {});
    assert_eq!(plain, generate(&p.check().unwrap(), |_, _| {}));

    // Everything up to the first invoice the drift touches is as without drift: the drift only
    // appends, and draws from a stream of its own. That first invoice is one of last December's,
    // posted in January to a re-purposed account, or one of the drift year's.
    let drift = a.truth.drift.as_ref().unwrap();
    let (first, _) = &drift.affected[0];
    let ds = &a.dataset;
    let n = ds
        .invoices
        .iter()
        .position(|i| i.invoice_id == *first)
        .unwrap();
    let issued = ds.invoices[n].issue_date;
    assert!(
        issued >= NaiveDate::from_ymd_opt(DRIFT_YEAR - 1, 12, 15).unwrap(),
        "{first}"
    );
    let lines = ds
        .invoice_lines
        .iter()
        .position(|l| l.invoice_id == *first)
        .unwrap();
    let postings = ds
        .postings
        .iter()
        .position(|p| p.invoice_id == *first)
        .unwrap();
    assert!(
        ds.invoices[..n] == plain.dataset.invoices[..n]
            && ds.invoice_lines[..lines] == plain.dataset.invoice_lines[..lines]
            && ds.postings[..postings] == plain.dataset.postings[..postings],
        "the data before {first} differ with drift"
    );
    println!(
        "the first of {} invoices drift touched: {first}, issued {issued}; {n} invoices before \
         it as without drift",
        drift.affected.len()
    );
}

#[test]
fn a_drift_year_outside_the_generated_years_is_refused_naming_the_flag() {
    let valid = params().check().unwrap();
    for year in [FIRST_YEAR, FIRST_YEAR + 3, 1990] {
        let err = valid.with_drift_year(year).unwrap_err();
        assert_eq!(
            err,
            ParamError::DriftYear {
                got: year,
                min: 2024,
                max: 2025
            }
        );
        let message = err.to_string();
        assert!(
            message.starts_with("--drift-year must be one of the generated years after the first")
                && message.contains("2024 to 2025"),
            "{message}"
        );
    }
    let one_year = GenerateParams {
        years: 1,
        ..params()
    }
    .check()
    .unwrap();
    let err = one_year.with_drift_year(FIRST_YEAR).unwrap_err();
    assert!(err.to_string().contains("--years 1"), "{err}");
}
