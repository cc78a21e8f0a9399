//! End to end: `kontera replay` on a small generated municipality (four years of 1,200 invoices,
//! 2022–2025), trained on the first three and replaying the fourth on its scratch store: the
//! summary on stdout, progress in whole lines on stderr, the JSON report's figures adding up
//! (months to the year, automated to the rates), each area's opening for the year, the HTML
//! report's charts, the scratch database beside the report, the same bytes from the same
//! command, and a period inside the training window refused with the reason.

#![cfg(feature = "train")]

#[path = "common/cli.rs"]
mod cli;

use std::fs;
use std::path::Path;

use cli::{generate_four_years, kontera, run};
use serde_json::Value;

fn replay(model: &Path, data: &Path, from: &str, report: &Path) -> std::process::Output {
    run(&[
        "replay",
        "--model",
        model.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--from",
        from,
        "--to",
        "2025-12-31",
        "--report",
        report.to_str().unwrap(),
    ])
}

#[test]
fn a_replayed_year_adds_up_and_replays_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let model = tmp.path().join("models/m");
    generate_four_years(&data, 1200, 11);
    // Thresholds as measured: the six calibration months are too few invoices to make 99%
    // credible, and a replay that automates nothing would show little.
    kontera(&[
        "train",
        "--data",
        data.to_str().unwrap(),
        "--from",
        "2022-01-01",
        "--to",
        "2024-12-31",
        "--out",
        model.to_str().unwrap(),
        "--measured-thresholds",
    ]);

    let report = tmp.path().join("reports/r");
    let out = replay(&model, &data, "2025-01-01", &report);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Progress comes in whole lines, up to all of the invoices; the service's events logged
    // between them (held codes, threshold moves) are lines of their own, each starting with its
    // time.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let progress: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("] replayed "))
        .collect();
    assert!(
        progress.len() >= 2 && progress.last().unwrap().ends_with(" invoices (100%)"),
        "{stderr}"
    );
    let events: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(" kontera_serve::"))
        .collect();
    assert!(
        !events.is_empty() && events.iter().all(|l| l.starts_with("20")),
        "{stderr}"
    );
    let text = fs::read_to_string(report.with_extension("json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let count = |key: &str| {
        json[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{key}: {json}"))
    };
    let (invoices, automated, right) = (count("invoices"), count("automated"), count("right"));
    assert!(invoices > 1000, "{invoices}");
    assert!(automated > 0 && right <= automated && automated < invoices);
    assert!(
        stdout.contains(&format!("{invoices} invoices in ")),
        "{stdout}"
    );
    let rate = json["automation_rate"].as_f64().unwrap();
    assert!((rate - automated as f64 / invoices as f64).abs() < 1e-12);
    let precision = json["realised_precision"].as_f64().unwrap();
    assert!((precision - right as f64 / automated as f64).abs() < 1e-12);
    // Every invoice sent to review is coded by a controller; the audit samples among them.
    assert!(count("reviewed") + automated >= invoices - count("repeats"));
    assert!(count("audit_samples") <= count("reviewed"));
    assert!(json["threshold_changes"].is_array() && json["pauses"].is_array());
    // Why they went to review: every reviewed invoice has a reason, and the audit samples are
    // sent by the draw alone (they would have been posted).
    let reasons = json["review_reasons"].as_array().unwrap();
    let of = |code: &str, key: &str| {
        reasons
            .iter()
            .find(|r| r["code"] == code)
            .and_then(|r| r[key].as_u64())
            .unwrap_or(0)
    };
    let sum = |key: &str| {
        reasons
            .iter()
            .map(|r| r[key].as_u64().unwrap())
            .sum::<u64>()
    };
    assert!(sum("invoices") >= count("reviewed") && sum("alone") <= count("reviewed"));
    assert_eq!(
        of(kontera_serve::replay::NO_REASON, "invoices"),
        0,
        "{reasons:?}"
    );
    assert_eq!(of("sample_check", "invoices"), count("audit_samples"));
    assert_eq!(of("sample_check", "alone"), count("audit_samples"));
    let counts: Vec<u64> = reasons
        .iter()
        .map(|r| r["invoices"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{reasons:?}");
    let top = &reasons[0];
    assert!(
        stdout.contains(&format!(
            "{} sent to review; the commonest reasons: {} {} ({} alone)",
            count("reviewed"),
            top["code"].as_str().unwrap(),
            top["invoices"],
            top["alone"]
        )),
        "{stdout}"
    );
    // Each area opened for 2025 once, on the default 20 reviews of the year's invoices, and none
    // before the first reviews could come back (14 days).
    let openings = json["openings"].as_array().unwrap();
    assert!(!openings.is_empty(), "{json}");
    let mut areas: Vec<&str> = openings
        .iter()
        .map(|o| o["area"].as_str().unwrap())
        .collect();
    areas.sort_unstable();
    areas.dedup();
    assert_eq!(areas.len(), openings.len(), "{openings:?}");
    for o in openings {
        assert_eq!(
            (o["year"].as_i64(), o["reviews"].as_u64()),
            (Some(2025), Some(20))
        );
        assert!(o["date"].as_str().unwrap() >= "2025-01-15", "{o}");
    }
    assert!(
        stdout.contains(&format!("{} year openings", openings.len())),
        "{stdout}"
    );

    let months = json["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    let mut sums = (0, 0);
    for (m, month) in months.iter().zip(1..) {
        assert_eq!(m["month"], format!("2025-{month:02}"));
        assert!(m.get("automation_rate").is_some() && m.get("realised_precision").is_some());
        sums.0 += m["invoices"].as_u64().unwrap();
        sums.1 += m["automated"].as_u64().unwrap();
    }
    assert_eq!(sums, (invoices, automated));
    assert_eq!(json["quarters"].as_array().unwrap().len(), 4);

    let html = fs::read_to_string(report.with_extension("html")).unwrap();
    assert!(html.matches("<svg").count() >= 2, "{html}");
    assert!(html.contains("<table id=\"openings\">"));
    assert!(html.contains(&format!(
        "<tr><td class=\"l\">sample_check</td><td>{}</td>",
        count("audit_samples")
    )));
    assert!(!html.contains("<script"));
    // The scratch store the decisions went to, beside the report.
    let scratch = report.with_extension("replay.db");
    assert!(fs::metadata(&scratch).unwrap().len() > 100_000);
    // And the summary names it.
    assert!(
        stdout.contains(&format!(
            "the replay's decisions and reviews are in {} (",
            scratch.display()
        )),
        "{stdout}"
    );

    // The same command, to the same report (its scratch store replaced) and to another: the
    // same bytes.
    for again in [report.clone(), tmp.path().join("reports/again")] {
        let out = replay(&model, &data, "2025-01-01", &again);
        assert!(out.status.success());
        assert_eq!(
            fs::read_to_string(again.with_extension("json")).unwrap(),
            text
        );
    }

    // Replaying days the model was trained on would flatter it.
    let out = replay(
        &model,
        &data,
        "2024-06-01",
        &tmp.path().join("reports/inside"),
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("must start after the training window"),
        "{stderr}"
    );
    // Refused before the data is read, and its scratch store not left behind.
    assert!(!stderr.contains("reading "), "{stderr}");
    assert!(!tmp.path().join("reports/inside.replay.db").exists());
}
