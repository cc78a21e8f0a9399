//! End-to-end tests of `kontera train` and `kontera evaluate` through the real binary, on the
//! committed sample: the bundled default model is what `train` produces, artifacts are
//! reproducible, and evaluation writes the promised report.

#[path = "common/cli.rs"]
mod cli;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cli::kontera;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn train_sample(out: &Path, to: &str) {
    let sample = repo().join("data/sample");
    kontera(&[
        "train",
        "--data",
        sample.to_str().unwrap(),
        "--from",
        "2023-01-01",
        "--to",
        to,
        "--out",
        out.to_str().unwrap(),
        // The sample's six calibration months hold about 1,000 invoices: too few to make 99%
        // credible, so its thresholds are where the measured precision reaches the target.
        "--measured-thresholds",
    ]);
}

#[test]
fn the_bundled_default_model_is_what_train_produces_from_the_sample() {
    // models/default/card.json records the command; regenerate the model when training changes.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("default");
    train_sample(&out, "2025-12-31");
    for file in ["model.bin", "card.json"] {
        let fresh = fs::read(out.join(file)).unwrap();
        let bundled = fs::read(repo().join("models/default").join(file)).unwrap();
        assert!(
            fresh == bundled,
            "models/default/{file} is stale: retrain it with the command in models/README.md"
        );
    }
}

#[test]
fn evaluate_writes_json_and_html_reports_for_a_later_year() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m");
    train_sample(&model, "2024-12-31");
    let report = dir.path().join("reports/eval");
    let sample = repo().join("data/sample");
    let out = kontera(&[
        "evaluate",
        "--model",
        model.to_str().unwrap(),
        "--data",
        sample.to_str().unwrap(),
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--report",
        report.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("at 0.99: automates"), "{stdout}");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(report.with_extension("json")).unwrap()).unwrap();
    let rows = json["rows"].as_u64().unwrap();
    assert!(rows > 5000, "rows: {rows}");
    assert!(json["invoices"].as_u64().unwrap() > 1500);
    for field in ["account", "cost_centre", "vat_code"] {
        let top1 = json["fields"][field]["top1_accuracy"].as_f64().unwrap();
        assert!((0.5..=1.0).contains(&top1), "{field} top-1 {top1}");
        assert!(json["fields"][field]["macro_f1"].as_f64().is_some());
    }
    for target in ["0.99", "0.95"] {
        let a = &json["automation"][target];
        let rate = a["rate"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&rate));
        assert!(a["threshold"].as_f64().is_some());
        assert!(a["precision"].as_f64().is_some());
        assert!(
            json["baseline"]["payment_plans"]["automation"][target]["rate"]
                .as_f64()
                .is_some()
        );
    }
    let model_top1 = json["fields"]["account"]["top1_accuracy"].as_f64().unwrap();
    let plans_top1 = json["baseline"]["payment_plans"]["top1_accuracy"]
        .as_f64()
        .unwrap();
    assert!(
        model_top1 > plans_top1,
        "model {model_top1} vs payment plans {plans_top1}"
    );
    let html = fs::read_to_string(report.with_extension("html")).unwrap();
    assert!(html.contains("<svg"), "the HTML report has charts");
}

#[test]
fn training_twice_gives_byte_identical_artifacts() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a/m"), dir.path().join("b/m"));
    train_sample(&a, "2024-06-30");
    train_sample(&b, "2024-06-30");
    assert_eq!(
        fs::read(a.join("model.bin")).unwrap(),
        fs::read(b.join("model.bin")).unwrap()
    );
}

#[test]
fn evaluating_on_the_training_window_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m");
    train_sample(&model, "2024-12-31");
    let sample = repo().join("data/sample");
    let out = Command::new(env!("CARGO_BIN_EXE_kontera"))
        .args([
            "evaluate",
            "--model",
            model.to_str().unwrap(),
            "--data",
            sample.to_str().unwrap(),
        ])
        .args(["--from", "2024-01-01", "--to", "2024-12-31", "--report"])
        .arg(dir.path().join("r"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("must start after the training window"),
        "{stderr}"
    );
}
