//! End to end: `kontera evaluate --rolling` on a small generated municipality (four years of 1,200
//! invoices, 2022–2025) with two training years: origins 2024 and 2025, a progress line per
//! origin on stderr, a summary table on stdout, the JSON report's keys and the HTML report's
//! charts. Wrong combinations of flags are refused by the parser with the flags named.

#![cfg(feature = "train")]

#[path = "common/cli.rs"]
mod cli;

use std::fs;

use cli::{generate_four_years, kontera, run};

#[test]
fn rolling_evaluation_writes_every_origin_with_months_and_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    generate_four_years(&data, 1200, 11);
    let report = tmp.path().join("reports/rolling");
    let out = kontera(&[
        "evaluate",
        "--rolling",
        "--train-years",
        "2",
        "--data",
        data.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}\n{stderr}");
    for line in [
        "origin 1/2: training 2022-01-01..2023-12-31",
        "origin 1/2: evaluating 2024-01-01..2024-12-31",
        "origin 2/2: training 2023-01-01..2024-12-31",
        "origin 2/2: evaluating 2025-01-01..2025-12-31",
    ] {
        assert!(stderr.contains(line), "{line} in {stderr}");
    }
    assert!(
        stdout.contains("2 origins, each trained on 2 whole years"),
        "{stdout}"
    );
    // The summary table: a row per origin, after its header.
    let rows: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("test year"))
        .skip(1)
        .take(2)
        .collect();
    assert!(
        rows[0].starts_with("2024 ") && rows[0].contains("2022-01-01..2023-12-31"),
        "{stdout}"
    );
    assert!(
        rows[1].starts_with("2025 ") && rows[1].contains("2023-01-01..2024-12-31"),
        "{stdout}"
    );

    let text = fs::read_to_string(report.with_extension("json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["train_years"], 2);
    let origins = json["origins"].as_array().unwrap();
    assert_eq!(origins.len(), 2);
    for (origin, year) in origins.iter().zip([2024, 2025]) {
        assert_eq!(origin["train_from"], format!("{}-01-01", year - 2));
        assert_eq!(origin["train_to"], format!("{}-12-31", year - 1));
        assert_eq!(origin["test_from"], format!("{year}-01-01"));
        assert_eq!(origin["test_to"], format!("{year}-12-31"));
        let invoices = origin["invoices"].as_u64().unwrap();
        assert!(invoices > 1000, "{invoices}");
        for target in ["0.99", "0.95"] {
            let a = &origin["automation"][target];
            for key in ["rate", "precision", "threshold"] {
                assert!(a.get(key).is_some(), "automation {target} has {key}: {a}");
            }
            assert!((0.0..=1.0).contains(&a["rate"].as_f64().unwrap()));
        }
        let months = origin["months"].as_array().unwrap();
        assert_eq!(months.len(), 12);
        assert_eq!(months[0]["month"], format!("{year}-01"));
        let mut sum = 0;
        for m in months {
            let keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
            for key in [
                "month",
                "invoices",
                "automated",
                "automation_rate",
                "realised_precision",
            ] {
                assert!(keys.contains(&key), "{key} in {m}");
            }
            sum += m["invoices"].as_u64().unwrap();
        }
        assert_eq!(sum, invoices);
    }

    let html = fs::read_to_string(report.with_extension("html")).unwrap();
    assert!(html.contains("<title>Realised precision per month at the 99% target</title>"));
    assert!(html.contains("<title>Automation per month at the 99% target</title>"));
    assert!(html.matches("<svg").count() >= 2);
    assert!(html.contains("Test year 2024") && html.contains("Test year 2025"));
    assert!(!html.contains("<script"));

    // The same command writes the same JSON.
    let again = tmp.path().join("reports/again");
    kontera(&[
        "evaluate",
        "--rolling",
        "--train-years",
        "2",
        "--data",
        data.to_str().unwrap(),
        "--report",
        again.to_str().unwrap(),
    ]);
    assert_eq!(
        fs::read_to_string(again.with_extension("json")).unwrap(),
        text
    );
}

#[test]
fn wrong_combinations_of_flags_are_refused_by_name() {
    let refused = |args: &[&str], names: &[&str]| {
        let out = run(args);
        assert!(!out.status.success(), "{args:?} should be refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for name in names {
            assert!(stderr.contains(name), "{name} in {stderr}");
        }
    };
    let base = ["evaluate", "--data", "d", "--report", "r"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        base.iter().chain(extra).copied().collect()
    };
    // A model and --rolling.
    refused(
        &with(&["--rolling", "--model", "m"]),
        &["--model", "--rolling", "cannot be used with"],
    );
    // Rolling-only flags with a model.
    refused(
        &with(&[
            "--model",
            "m",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--train-years",
            "3",
        ]),
        &["--model", "--train-years", "cannot be used with"],
    );
    refused(
        &with(&[
            "--model",
            "m",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--min-support",
            "2",
        ]),
        &["--model", "--min-support", "cannot be used with"],
    );
    // Neither a model nor --rolling.
    refused(
        &with(&["--from", "2025-01-01", "--to", "2025-12-31"]),
        &["--model"],
    );
    // A model without its period.
    refused(&with(&["--model", "m"]), &["--from", "--to"]);
    // No training years.
    refused(
        &with(&["--rolling", "--train-years", "0"]),
        &["--train-years", "0"],
    );
}
