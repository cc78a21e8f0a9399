//! End to end: `kontera compare` on a small generated municipality (four years of 1,500 invoices,
//! 2022–2025): a champion trained on 2022 and a challenger trained on 2022–2024, compared on 2025.
//! The reports name the challenger as better at equal realised precision, show each model's
//! equal-precision cut apart from its own (served) thresholds, and show both models scored on the
//! same invoices; a period inside a training window is refused with the window in the message.

#![cfg(feature = "train")]

#[path = "common/cli.rs"]
mod cli;

use std::fs;
use std::path::Path;

use cli::{generate_four_years, kontera, run};

fn train(data: &Path, from: &str, to: &str, out: &Path) {
    kontera(&[
        "train",
        "--data",
        data.to_str().unwrap(),
        "--from",
        from,
        "--to",
        to,
        "--out",
        out.to_str().unwrap(),
    ]);
}

fn compare_args(dir: &Path, from: &str, to: &str, report: &Path) -> Vec<String> {
    [
        "compare",
        "--champion",
        dir.join("m/2022").to_str().unwrap(),
        "--challenger",
        dir.join("m/2024").to_str().unwrap(),
        "--data",
        dir.join("data").to_str().unwrap(),
        "--from",
        from,
        "--to",
        to,
        "--report",
        report.to_str().unwrap(),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

#[test]
fn compare_names_the_better_challenger_and_refuses_a_training_period() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = dir.join("data");
    generate_four_years(&data, 1500, 42);
    train(&data, "2022-01-01", "2022-12-31", &dir.join("m/2022"));
    train(&data, "2022-01-01", "2024-12-31", &dir.join("m/2024"));

    let report = dir.join("reports/cmp");
    let args = compare_args(dir, "2025-01-01", "2025-12-31", &report);
    let out = kontera(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        stdout.contains(
            "verdict: challenger is better: at equal realised precision (99%) it automates"
        ),
        "{stdout}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(report.with_extension("json")).unwrap()).unwrap();
    let verdict = &json["verdict"];
    assert_eq!(verdict["winner"], "challenger", "{verdict}");
    assert!(
        verdict["text"]
            .as_str()
            .unwrap()
            .starts_with("challenger is better")
    );
    let at99 = &verdict["targets"][0];
    assert_eq!(at99["target"], 0.99);
    assert_eq!(at99["ahead"], "challenger", "{at99}");
    assert!(
        at99["automation_interval_at_equal_precision"]["low"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert!(
        verdict["basis"]
            .as_str()
            .unwrap()
            .contains("never served or written to a model")
    );
    let (a, b) = (
        &at99["equal_precision"]["champion"],
        &at99["equal_precision"]["challenger"],
    );
    for point in [a, b] {
        assert!(
            point["realised_precision"].as_f64().unwrap() >= 0.99,
            "{point}"
        );
        assert!(point["confidence_cut"].as_f64().is_some(), "{point}");
    }
    assert!(b["rate"].as_f64().unwrap() > a["rate"].as_f64().unwrap());
    assert!(at99["own_threshold"]["champion"]["threshold"].is_number());
    assert_eq!(verdict["targets"][1]["target"], 0.95);
    assert!(verdict["calibration_warnings"].is_array());
    assert_eq!(verdict["bootstrap"]["resamples"], 1000);
    // Both models scored on the same invoices: the same count and the same set of ids.
    let evaluated = &json["evaluated"];
    let fingerprint = evaluated["fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 64);
    assert!(evaluated["invoices"].as_u64().unwrap() > 1000);
    for side in ["champion", "challenger"] {
        assert_eq!(json[side]["fingerprint"], fingerprint, "{side}");
        assert_eq!(json[side]["invoices"], evaluated["invoices"], "{side}");
        assert_eq!(json[side]["lines"], evaluated["lines"], "{side}");
        for target in ["0.99", "0.95"] {
            let a = &json[side]["automation"][target];
            assert!((0.0..=1.0).contains(&a["rate"].as_f64().unwrap()), "{a}");
            assert!(a["threshold"].as_f64().is_some(), "{a}");
            let e = &json[side]["equal_precision"][target];
            assert!((0.0..=1.0).contains(&e["rate"].as_f64().unwrap()), "{e}");
        }
        for field in ["account", "cost_centre", "vat_code"] {
            assert!(json[side]["fields"][field]["macro_f1"].as_f64().is_some());
        }
        assert!(!json[side]["per_area"].as_array().unwrap().is_empty());
    }
    let differences = &json["differences"];
    assert!(differences["count"].as_u64().unwrap() > 0);
    let first = &differences["invoices"][0];
    for key in ["truth", "champion", "challenger"] {
        assert!(first["lines"][0][key]["account"].is_string(), "{first}");
    }
    let html = fs::read_to_string(report.with_extension("html")).unwrap();
    assert!(html.contains("challenger is better: at equal realised precision"));
    assert!(html.contains("never served or written to a model"));
    assert!(html.contains("<svg"));
    assert!(html.contains(fingerprint));

    // 2024 lies inside the challenger's training window.
    let args = compare_args(dir, "2024-01-01", "2024-12-31", &dir.join("reports/bad"));
    let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("must start after the challenger's training window (2022-01-0"),
        "{stderr}"
    );
    assert!(stderr.contains("to 2024-12-3"), "{stderr}");
    assert!(!dir.join("reports/bad.json").exists());
}
