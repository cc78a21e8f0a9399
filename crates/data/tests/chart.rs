//! `chart_from_rows`: the accounts table as the core crate's chart, with row-level errors.

mod common;

use common::date;
use kontera_core::{AccountChange, AccountId, Mapping};
use kontera_data::{AccountRow, DataError, Format, chart_from_rows, read_table, write_table};

fn id(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

fn account(
    account: &str,
    valid_to: Option<(i32, u32, u32)>,
    change: Option<&str>,
    successors: Option<&str>,
) -> AccountRow {
    AccountRow {
        account: account.into(),
        name: format!("Konto {account}"),
        function: "5.25.14".into(),
        dranst: "1".into(),
        art: "2.2".into(),
        valid_from: date(2020, 1, 1),
        valid_to: valid_to.map(|(y, m, d)| date(y, m, d)),
        change: change.map(Into::into),
        successors: successors.map(Into::into),
    }
}

/// Every kind of change: A renamed to B, C merged into B, D split into E and F, G closed.
fn rows() -> Vec<AccountRow> {
    let end = Some((2023, 1, 1));
    vec![
        account("A", end, Some("renamed"), Some("B")),
        account("B", None, None, None),
        account("C", end, Some("merged"), Some("B")),
        account("D", end, Some("split"), Some("E; F")),
        account("E", None, None, None),
        account("F", None, None, None),
        account("G", end, Some("closed"), None),
    ]
}

#[test]
fn every_change_kind_converts() {
    let chart = chart_from_rows(&rows()).unwrap();
    assert_eq!(chart.len(), 7);
    let change = |a: &str| chart.get(&id(a)).unwrap().change.clone();
    assert_eq!(change("A"), Some(AccountChange::Renamed { to: id("B") }));
    assert_eq!(change("C"), Some(AccountChange::Merged { into: id("B") }));
    assert_eq!(
        change("D"),
        Some(AccountChange::Split {
            into: vec![id("E"), id("F")]
        })
    );
    assert_eq!(change("G"), Some(AccountChange::Closed));
    assert_eq!(change("B"), None);
    let b = chart.get(&id("B")).unwrap();
    assert_eq!(b.name, "Konto B");
    assert_eq!(b.valid_from, date(2020, 1, 1));
    assert_eq!(
        chart.get(&id("A")).unwrap().valid_to,
        Some(date(2023, 1, 1))
    );
    // Historical codings map onto the current chart.
    let now = date(2024, 6, 1);
    assert!(matches!(chart.current(&id("A"), now), Mapping::Mapped { to, .. } if to == id("B")));
    assert_eq!(
        chart.current(&id("D"), now),
        Mapping::Ambiguous {
            candidates: vec![id("E"), id("F")]
        }
    );
}

#[test]
fn chart_survives_a_csv_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Format::Csv.file_name("accounts"));
    write_table(&rows(), &path).unwrap();
    let back: Vec<AccountRow> = read_table(&path).unwrap();
    assert_eq!(
        chart_from_rows(&back).unwrap(),
        chart_from_rows(&rows()).unwrap()
    );
}

#[test]
fn row_errors_name_column_and_row() {
    let mut bad = rows();
    bad[2].change = Some("moved".into());
    let err = chart_from_rows(&bad).unwrap_err().to_string();
    assert_eq!(
        err,
        "table `accounts`, column `change`, row 3: account change must be one of: renamed, \
         merged, split, closed"
    );

    let mut bad = rows();
    bad[0].successors = Some("B;E".into());
    let err = chart_from_rows(&bad).unwrap_err().to_string();
    assert!(
        err.contains("column `successors`, row 1: `renamed` needs exactly one successor, found 2"),
        "{err}"
    );

    let mut bad = rows();
    bad[1].successors = Some("E".into());
    let err = chart_from_rows(&bad).unwrap_err().to_string();
    assert!(err.contains("row 2: 1 successor(s) but no change"), "{err}");

    let mut bad = rows();
    bad[6].successors = Some("B".into());
    let err = chart_from_rows(&bad).unwrap_err().to_string();
    assert!(
        err.contains("row 7: a closed account has no successors"),
        "{err}"
    );

    let mut bad = rows();
    bad[4].account = "E E".into();
    let err = chart_from_rows(&bad).unwrap_err().to_string();
    assert!(
        err.starts_with("table `accounts`, column `account`, row 5: account "),
        "{err}"
    );
}

#[test]
fn chart_inconsistencies_come_from_the_core_chart() {
    let mut bad = rows();
    bad[0].successors = Some("Z".into());
    let err = chart_from_rows(&bad).unwrap_err();
    assert!(matches!(err, DataError::Chart(_)), "{err:?}");
    let err = err.to_string();
    assert!(
        err.starts_with("table `accounts`: the chart is inconsistent: "),
        "{err}"
    );
    assert!(
        err.contains("successor Z, which is not in the chart"),
        "{err}"
    );
}
