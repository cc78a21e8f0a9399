//! `labelled_lines` on a generated municipality (3 years × 3,000 invoices, seed 3), checked
//! against the generator's truth.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use kontera_core::{AccountId, Chart};
use kontera_data::chart_from_rows;
use kontera_synth::{GenerateParams, Generated, generate};
use kontera_train::{IngestOptions, Labelled, labelled_lines};

fn generated() -> &'static Generated {
    static DATA: OnceLock<Generated> = OnceLock::new();
    DATA.get_or_init(|| {
        let params = GenerateParams {
            years: 3,
            invoices_per_year: 3_000,
            seed: 3,
            first_year: 2023,
        };
        generate(&params.check().unwrap(), |_, _| {})
    })
}

fn chart() -> Chart {
    chart_from_rows(&generated().dataset.accounts).unwrap()
}

/// The last day of the data: the latest posting.
fn last_day() -> NaiveDate {
    let ds = &generated().dataset;
    ds.postings.iter().map(|p| p.posting_date).max().unwrap()
}

fn labelled() -> &'static Labelled {
    static OUT: OnceLock<Labelled> = OnceLock::new();
    OUT.get_or_init(|| {
        labelled_lines(
            &generated().dataset,
            &chart(),
            &IngestOptions::all(last_day()),
        )
        .unwrap()
    })
}

#[test]
fn labels_are_the_intended_coding_except_for_noise() {
    let truth: HashMap<(&str, u32), _> = generated()
        .truth
        .lines
        .iter()
        .map(|t| ((t.invoice_id.as_str(), t.line_no), t))
        .collect();
    let out = labelled();
    let mut equal = 0;
    let mut noisy_mismatches = 0;
    for line in &out.lines {
        let t = truth[&(line.invoice_id.as_str(), line.line_no)];
        if (
            line.label.posted_account.as_str(),
            line.label.cost_centre.as_str(),
        ) == (t.account.as_str(), t.cost_centre.as_str())
        {
            equal += 1;
            assert_eq!(line.label.vat_code, t.vat_code, "{}", line.invoice_id);
        } else {
            assert!(
                t.noisy,
                "line {} of {} differs from its intended coding but is not noisy",
                line.line_no, line.invoice_id
            );
            noisy_mismatches += 1;
        }
    }
    let share = f64::from(equal) / out.lines.len() as f64;
    assert!(
        share >= 0.97,
        "{equal} of {} labels equal truth",
        out.lines.len()
    );
    assert!(noisy_mismatches > 0, "the generator's noise should show");
}

#[test]
fn every_posted_line_is_labelled_or_dropped() {
    let out = labelled();
    let r = &out.report;
    let ds = &generated().dataset;
    assert_eq!(r.lines_total, ds.invoice_lines.len());
    assert_eq!(r.lines_in_window, r.lines_total);
    assert_eq!(r.labelled + r.dropped(), generated().truth.lines.len());
    assert_eq!(r.labelled + r.dropped() + r.unposted, r.lines_in_window);
    // Unposted lines are exactly the duplicates' lines.
    let duplicates: usize = generated()
        .truth
        .duplicates
        .iter()
        .map(|(dup, _)| {
            ds.invoice_lines
                .iter()
                .filter(|l| &l.invoice_id == dup)
                .count()
        })
        .sum();
    assert_eq!(r.unposted, duplicates);
    assert!(r.split_lines > 0);
    assert!(r.invoice_level_postings_used > 0);
    assert!(r.mapped > 0);
    assert!(r.resolved_by_cost_centre > 0);
    assert!(r.cpr_masked > 0);
    assert_eq!(r.dropped_unknown_account, 0);
    assert_eq!(r.dropped_not_yet_valid, 0);
}

#[test]
fn every_label_is_valid_on_the_chart_date() {
    let chart = chart();
    let as_of = last_day();
    for line in &labelled().lines {
        let account = AccountId::parse(&line.label.account).unwrap();
        assert!(
            chart.is_valid(&account, as_of),
            "{} is not valid on {as_of}",
            line.label.account
        );
    }
}

#[test]
fn the_dropped_share_is_reported_and_small() {
    let r = &labelled().report;
    // The chart change splits and closes accounts: a cost centre's lines are resolved onto a
    // split's candidates (by its own postings since the split, or by the side it took in the
    // day's other splits) or dropped; here every split was resolved.
    assert!(
        r.dropped() + r.resolved_by_cost_centre > 0,
        "the chart change should resolve or drop some lines: {r}"
    );
    assert!(r.dropped_share() < 0.15, "{r}");
    let text = r.to_string();
    assert!(
        text.contains(&format!("Dropped: {} (", r.dropped())),
        "{text}"
    );
}

#[test]
fn output_is_deterministic() {
    let again = labelled_lines(
        &generated().dataset,
        &chart(),
        &IngestOptions::all(last_day()),
    )
    .unwrap();
    assert_eq!(&again, labelled());
    let sorted = again.lines.windows(2).all(|w| {
        (w[0].issue_date, &w[0].invoice_id, w[0].line_no)
            < (w[1].issue_date, &w[1].invoice_id, w[1].line_no)
    });
    assert!(sorted);
}
