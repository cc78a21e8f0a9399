//! Saving to and loading from a model directory: `model.bin` and `card.json`, written
//! atomically, deterministic, and errors that name the file.

use std::fs;

use kontera_model::{CARD_FILE, MODEL_FILE, ModelError, checksum_hex, load, save};

mod common;

#[test]
fn save_then_load_gives_the_artifact_back() {
    let dir = tempfile::tempdir().unwrap();
    let model_dir = dir.path().join("models").join("2025-01");
    let a = common::artifact();
    save(&model_dir, &a).unwrap();
    assert_eq!(load(&model_dir).unwrap(), a);
    let mut names: Vec<String> = fs::read_dir(&model_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [CARD_FILE, MODEL_FILE], "no temporary files left");
}

#[test]
fn saving_twice_gives_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    save(&one, &common::artifact()).unwrap();
    save(&two, &common::artifact()).unwrap();
    for file in [MODEL_FILE, CARD_FILE] {
        assert_eq!(
            fs::read(one.join(file)).unwrap(),
            fs::read(two.join(file)).unwrap()
        );
    }
    // Saving over an existing model replaces it.
    save(&one, &common::artifact()).unwrap();
    assert_eq!(
        fs::read(one.join(MODEL_FILE)).unwrap(),
        fs::read(two.join(MODEL_FILE)).unwrap()
    );
}

#[test]
fn card_json_holds_the_card_and_policy_for_people() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &common::artifact()).unwrap();
    let text = fs::read_to_string(dir.path().join(CARD_FILE)).unwrap();
    let model = fs::read(dir.path().join(MODEL_FILE)).unwrap();
    assert!(text.ends_with("}\n"), "a trailing newline");
    let start = format!(
        "{{\n  \"format_version\": {},\n  \"model_sha256\": \"{}\",\n  \"card\": {{\n    \
         \"name\": \"Testkommune\",\n    \"kontera_version\": \"0.1.0\",\n    \
         \"trained_from\": \"2022-01-01\",",
        kontera_model::FORMAT_VERSION,
        checksum_hex(&model)
    );
    assert!(text.starts_with(&start), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["card"]["fields"][1], "cost_centre");
    assert_eq!(json["card"]["labels"][0], 3);
    assert_eq!(json["card"]["units"], 2);
    assert_eq!(json["card"]["creditors"], 1);
    assert_eq!(json["policy"]["default_target"], 0.99);
    assert_eq!(json["policy"]["thresholds"][1][0], 0.99);
    assert_eq!(json["policy"]["min_support"], 5.0);
    // Options in key order, whatever order they were inserted in.
    let epochs = text.find("\"epochs\"").unwrap();
    assert!(epochs < text.find("\"window_years\"").unwrap());
}

#[test]
fn load_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let message = load(dir.path()).unwrap_err().to_string();
    let path = dir.path().join(MODEL_FILE);
    assert!(
        message.starts_with(&format!("cannot read the model `{}`: ", path.display())),
        "{message}"
    );
    fs::write(
        &path,
        b"PAR1 not a model at all, but long enough for a header ...",
    )
    .unwrap();
    let err = load(dir.path()).unwrap_err();
    assert!(matches!(err, ModelError::File { .. }));
    assert!(
        err.to_string()
            .starts_with(&format!("`{}`: not a Kontera model file", path.display())),
        "{err}"
    );
}

#[test]
fn an_invalid_artifact_is_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = common::artifact();
    a.model.fields[0].head.weights[0] = f32::INFINITY;
    let message = save(dir.path(), &a).unwrap_err().to_string();
    assert!(message.contains("weight 0 is inf"), "{message}");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}
