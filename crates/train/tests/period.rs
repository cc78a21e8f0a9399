//! A period's labelled lines are the same whether the contract tables were read whole or only
//! for that period (`read_dataset_issued`, what `kontera replay` and `compare` read): labelling
//! takes nothing from the invoices of other periods, chart mapping and split evidence included.

use std::path::Path;

use chrono::NaiveDate;
use kontera_data::{chart_from_rows, read_dataset, read_dataset_issued};
use kontera_train::{IngestOptions, labelled_lines};

#[test]
fn a_periods_labels_do_not_depend_on_reading_the_other_years() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sample");
    let whole = read_dataset(&sample).unwrap();
    let chart = chart_from_rows(&whole.accounts).unwrap();
    let mut mapped = 0;
    for (from, to) in [
        ((2025, 1, 1), (2025, 12, 31)),
        ((2023, 7, 1), (2024, 6, 30)),
    ] {
        let from = NaiveDate::from_ymd_opt(from.0, from.1, from.2).unwrap();
        let to = NaiveDate::from_ymd_opt(to.0, to.1, to.2).unwrap();
        let options = IngestOptions {
            from: Some(from),
            to: Some(to),
            as_of: chart.latest_change_date().map_or(to, |d| d.max(to)),
        };
        let all = labelled_lines(&whole, &chart, &options).unwrap();
        let period = read_dataset_issued(&sample, from, to).unwrap();
        let only = labelled_lines(&period, &chart, &options).unwrap();
        assert!(all.lines.len() > 1_000, "{}", all.report);
        assert!(all.lines == only.lines, "{from}..{to}");
        // The same report but for the lines read.
        assert!(only.report.lines_total < all.report.lines_total);
        let mut report = only.report.clone();
        report.lines_total = all.report.lines_total;
        assert_eq!(report, all.report);
        mapped += all.report.mapped + all.report.resolved_by_cost_centre;
    }
    // The sample's chart changes after 2024: the earlier period's lines were mapped onto it.
    assert!(mapped > 0);
}
