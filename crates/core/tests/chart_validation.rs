//! Tests for the consistency checks of `Chart::new`, one per error.

mod support;

use kontera_core::{AccountChange, AccountEntry, ChangeKind, Chart, ChartError};
use support::{ended, id, jan1, merged, open, renamed, split};

fn check(entries: Vec<AccountEntry>, expected: ChartError, message: &str) {
    let error = Chart::new(entries).unwrap_err();
    assert_eq!(error, expected);
    assert_eq!(error.to_string(), message);
}

#[test]
fn accepts_a_consistent_chart() {
    let chart = Chart::new(vec![
        ended("A", 2020, 2022, renamed("B")),
        // The successor may start before its predecessor ends.
        open("B", 2021),
    ]);
    assert!(chart.is_ok());
}

#[test]
fn duplicate_account() {
    check(
        vec![open("A", 2020), open("A", 2021)],
        ChartError::DuplicateAccount { account: id("A") },
        "account A appears more than once; give each account one entry",
    );
}

#[test]
fn empty_validity() {
    check(
        vec![ended("A", 2022, 2022, AccountChange::Closed)],
        ChartError::EmptyValidity {
            account: id("A"),
            valid_from: jan1(2022),
            valid_to: jan1(2022),
        },
        "account A is valid from 2022-01-01 to 2022-01-01, an empty period; \
         valid_to (exclusive) must be after valid_from",
    );
}

#[test]
fn change_without_end() {
    let mut entry = open("A", 2020);
    entry.change = Some(AccountChange::Closed);
    check(
        vec![entry],
        ChartError::ChangeWithoutEnd {
            account: id("A"),
            change: ChangeKind::Closed,
        },
        "account A has change = closed but no valid_to; \
         give the date the change takes effect as valid_to",
    );
}

#[test]
fn end_without_change() {
    let mut entry = open("A", 2020);
    entry.valid_to = Some(jan1(2022));
    check(
        vec![entry],
        ChartError::EndWithoutChange {
            account: id("A"),
            valid_to: jan1(2022),
        },
        "account A ends on 2022-01-01 but has no change; \
         give change = closed if it has no successor",
    );
}

#[test]
fn unknown_successor() {
    check(
        vec![ended("A", 2020, 2022, merged("Z"))],
        ChartError::UnknownSuccessor {
            account: id("A"),
            successor: id("Z"),
        },
        "account A names successor Z, which is not in the chart; \
         add the successor or correct the change",
    );
}

#[test]
fn split_too_few() {
    check(
        vec![ended("A", 2020, 2022, split(&["B"])), open("B", 2022)],
        ChartError::SplitTooFew {
            account: id("A"),
            found: 1,
        },
        "account A is split into 1 account(s); a split needs at least two \
         (use renamed or merged for one successor)",
    );
}

#[test]
fn duplicate_successor() {
    check(
        vec![ended("A", 2020, 2022, split(&["B", "B"])), open("B", 2022)],
        ChartError::DuplicateSuccessor {
            account: id("A"),
            successor: id("B"),
        },
        "account A names successor B more than once; list each successor once",
    );
}

#[test]
fn cycle() {
    check(
        vec![
            ended("A", 2020, 2022, renamed("B")),
            ended("B", 2020, 2022, renamed("A")),
        ],
        ChartError::Cycle { account: id("A") },
        "account A succeeds itself through a chain of changes; break the cycle",
    );
    check(
        vec![ended("A", 2020, 2022, renamed("A"))],
        ChartError::Cycle { account: id("A") },
        "account A succeeds itself through a chain of changes; break the cycle",
    );
}

#[test]
fn successor_not_yet_valid() {
    check(
        vec![ended("A", 2020, 2022, renamed("B")), open("B", 2023)],
        ChartError::SuccessorNotValid {
            account: id("A"),
            successor: id("B"),
            on: jan1(2022),
        },
        "successor B of account A is not valid on 2022-01-01, when A ends; \
         the successor must be valid from 2022-01-01 or earlier and not end by then",
    );
}

#[test]
fn successor_already_ended() {
    check(
        vec![
            ended("A", 2020, 2022, renamed("B")),
            ended("B", 2020, 2022, AccountChange::Closed),
        ],
        ChartError::SuccessorNotValid {
            account: id("A"),
            successor: id("B"),
            on: jan1(2022),
        },
        "successor B of account A is not valid on 2022-01-01, when A ends; \
         the successor must be valid from 2022-01-01 or earlier and not end by then",
    );
}

#[test]
fn errors_mask_cpr_looking_account_ids() {
    let error = Chart::new(vec![open("0101901234", 2020), open("0101901234", 2021)]).unwrap_err();
    let message = error.to_string();
    let debug = format!("{error:?}");
    for text in [&message, &debug] {
        assert!(!text.contains("0101901234"), "{text}");
        assert!(text.contains("XXXXXX-XXXX"), "{text}");
    }
}
