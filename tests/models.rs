//! `kontera models activate` and `rollback` change the model a running service uses within
//! about a second, without a restart; a broken version is refused before it is recorded.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Server, invoice, request};

fn models(args: &[&str], database: &Path, dir: &Path) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kontera"))
        .arg("models")
        .args(args)
        .arg("--database")
        .arg(database)
        .arg("--models-dir")
        .arg(dir)
        // The same configuration as the service's: v1 is the configured model.
        .env("KONTERA_MODEL", "v1")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Codes fresh invoices until one is decided by `version`, or 5 s pass; how long it took.
fn wait_for(addr: &str, version: &str, serial: &mut u64) -> Duration {
    let start = Instant::now();
    loop {
        *serial += 1;
        let (status, body) = request(
            addr,
            "POST",
            "/v1/invoices",
            &invoice(&format!("M-{serial}"), *serial),
        )
        .unwrap();
        assert_eq!(status, 201, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let label = v["model_version"].as_str().unwrap().to_owned();
        if label.starts_with(&format!("{version}@")) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "still {label}, not {version}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn activation_and_rollback_from_the_command_line_reach_the_running_service() {
    let dir = tempfile::tempdir().unwrap();
    let versions = common::model_versions(dir.path(), &["v1", "v2"]);
    std::fs::create_dir_all(versions.join("broken")).unwrap();
    std::fs::write(versions.join("broken/model.bin"), b"KONTERA\0not a model").unwrap();
    let db = dir.path().join("k.db");
    let server = Server::start_with_env(
        &db,
        &[
            ("KONTERA_MODELS_DIR", versions.to_str().unwrap()),
            ("KONTERA_MODEL", "v1"),
        ],
    );
    let mut serial = 0;
    wait_for(&server.addr, "v1", &mut serial);

    let report = dir.path().join("compare.json");
    std::fs::write(
        &report,
        r#"{"verdict": "challenger v2 automates 4.1 points more"}"#,
    )
    .unwrap();
    let (ok, out, err) = models(
        &[
            "activate",
            "v2",
            "--by",
            "anna",
            "--note",
            "yearly",
            "--report",
            report.to_str().unwrap(),
        ],
        &db,
        &versions,
    );
    assert!(ok && out.contains("activated v2@"), "{out}{err}");
    let took = wait_for(&server.addr, "v2", &mut serial);
    assert!(took < Duration::from_secs(3), "switched after {took:?}");

    // A broken version is refused before it is recorded; the service keeps v2.
    let (ok, _, err) = models(&["activate", "broken", "--by", "anna"], &db, &versions);
    assert!(!ok && err.contains("\"broken\" is not activated"), "{err}");
    std::thread::sleep(Duration::from_millis(1500));
    wait_for(&server.addr, "v2", &mut serial);

    let (ok, out, err) = models(&["rollback", "--by", "bo"], &db, &versions);
    assert!(ok && out.contains("activated v1@"), "{out}{err}");
    wait_for(&server.addr, "v1", &mut serial);

    let (ok, list, _) = models(&["list"], &db, &versions);
    assert!(ok);
    assert!(list.contains("* v1\n") && list.contains("  v2\n"), "{list}");
    assert!(list.contains("v2\tby anna\tyearly\treport "), "{list}");
    assert!(
        list.contains("verdict: challenger v2 automates 4.1 points more"),
        "{list}"
    );
    assert!(list.contains("v1\tby bo\trollback"), "{list}");
    let log = server.stop();
    assert!(
        log.contains("now serving v2@") && log.contains("(activated by anna)"),
        "{log}"
    );
}
