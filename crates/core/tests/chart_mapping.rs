//! Tests for `Chart::current`: mapping historical accounts onto the chart of a later day.

mod support;

use kontera_core::{AccountChange, ChangeKind, Chart, Mapping};
use support::{ended, id, ids, jan1, merged, open, renamed, split};

/// A chart covering every kind of change, 2020–2024.
fn chart() -> Chart {
    Chart::new(vec![
        open("1000", 2020),
        // Renamed in 2022.
        ended("2000", 2020, 2022, renamed("2001")),
        open("2001", 2022),
        // Two accounts merged in 2023.
        ended("3000", 2020, 2023, merged("3100")),
        ended("3001", 2020, 2023, merged("3100")),
        open("3100", 2023),
        // Split in 2022.
        ended("4000", 2020, 2022, split(&["4200", "4100"])),
        open("4100", 2022),
        open("4200", 2022),
        // Split in 2021, both halves merged back in 2023.
        ended("5000", 2020, 2021, split(&["5100", "5200"])),
        ended("5100", 2021, 2023, merged("5300")),
        ended("5200", 2021, 2023, merged("5300")),
        open("5300", 2023),
        // Closed in 2022.
        ended("6000", 2020, 2022, AccountChange::Closed),
        // Renamed in 2021, then merged in 2023.
        ended("7000", 2020, 2021, renamed("7001")),
        ended("7001", 2021, 2023, merged("7100")),
        open("7100", 2021),
        // Split in 2021; one half closed in 2022, the other open.
        ended("8000", 2020, 2021, split(&["8100", "8200"])),
        ended("8100", 2021, 2022, AccountChange::Closed),
        open("8200", 2021),
        // Split in 2021; both halves closed, in 2022 and 2023.
        ended("9000", 2020, 2021, split(&["9100", "9200"])),
        ended("9100", 2021, 2022, AccountChange::Closed),
        ended("9200", 2021, 2023, AccountChange::Closed),
        // Opened in 2024.
        open("9900", 2024),
    ])
    .unwrap()
}

fn check(account: &str, year: i32, expected: Mapping) {
    assert_eq!(
        chart().current(&id(account), jan1(year)),
        expected,
        "{account} in {year}"
    );
}

fn mapped(to: &str, via: &[ChangeKind]) -> Mapping {
    Mapping::Mapped {
        to: id(to),
        via: via.to_vec(),
    }
}

#[test]
fn unchanged_while_valid() {
    check("1000", 2024, Mapping::Unchanged);
    check("2000", 2021, Mapping::Unchanged);
    check("2001", 2024, Mapping::Unchanged);
}

#[test]
fn renamed_maps_to_the_new_id() {
    check("2000", 2022, mapped("2001", &[ChangeKind::Renamed]));
    check("2000", 2024, mapped("2001", &[ChangeKind::Renamed]));
}

#[test]
fn merged_maps_each_predecessor_to_the_merged_account() {
    check("3000", 2023, mapped("3100", &[ChangeKind::Merged]));
    check("3001", 2024, mapped("3100", &[ChangeKind::Merged]));
}

#[test]
fn split_is_ambiguous_with_sorted_candidates() {
    check(
        "4000",
        2024,
        Mapping::Ambiguous {
            candidates: ids(&["4100", "4200"]),
        },
    );
}

#[test]
fn split_then_merged_back_is_mapped() {
    check(
        "5000",
        2024,
        mapped("5300", &[ChangeKind::Split, ChangeKind::Merged]),
    );
    // Before the merge the split is still ambiguous.
    check(
        "5000",
        2022,
        Mapping::Ambiguous {
            candidates: ids(&["5100", "5200"]),
        },
    );
}

#[test]
fn closed_reports_the_closing_day() {
    check("6000", 2024, Mapping::Closed { on: jan1(2022) });
}

#[test]
fn chain_renamed_then_merged() {
    check("7000", 2022, mapped("7001", &[ChangeKind::Renamed]));
    check(
        "7000",
        2024,
        mapped("7100", &[ChangeKind::Renamed, ChangeKind::Merged]),
    );
}

#[test]
fn closed_branches_drop_out() {
    check(
        "8000",
        2021,
        Mapping::Ambiguous {
            candidates: ids(&["8100", "8200"]),
        },
    );
    check("8000", 2024, mapped("8200", &[ChangeKind::Split]));
    // All branches closed: the latest closing day.
    check("9000", 2024, Mapping::Closed { on: jan1(2023) });
}

#[test]
fn unknown_and_not_yet_valid() {
    check("0000", 2024, Mapping::Unknown);
    check("9900", 2023, Mapping::NotYetValid);
}

#[test]
fn mapping_current_gives_the_account_to_use() {
    let original = id("2000");
    assert_eq!(Mapping::Unchanged.current(&original), Some(&original));
    let target = mapped("2001", &[ChangeKind::Renamed]);
    assert_eq!(target.current(&original), Some(&id("2001")));
    for none in [
        Mapping::Closed { on: jan1(2022) },
        Mapping::Ambiguous {
            candidates: ids(&["4100", "4200"]),
        },
        Mapping::Unknown,
        Mapping::NotYetValid,
    ] {
        assert_eq!(none.current(&original), None, "{none:?}");
    }
}

#[test]
fn chart_queries() {
    let chart = chart();
    assert_eq!(chart.len(), 24);
    assert!(!chart.is_empty());
    assert!(chart.get(&id("2000")).is_some());
    assert!(chart.is_valid(&id("2000"), jan1(2021)));
    assert!(!chart.is_valid(&id("2000"), jan1(2022)));
    assert!(!chart.is_valid(&id("0000"), jan1(2022)));
    let valid: Vec<String> = chart
        .valid_on(jan1(2024))
        .map(|entry| entry.id.to_string())
        .collect();
    assert_eq!(
        valid,
        [
            "1000", "2001", "3100", "4100", "4200", "5300", "7100", "8200", "9900"
        ]
    );
    assert_eq!(chart.latest_change_date(), Some(jan1(2023)));
    assert_eq!(Chart::new(Vec::new()).unwrap().latest_change_date(), None);
}
