//! End-to-end tests of `kontera generate`, run through the real binary: determinism, the
//! committed sample, and argument errors.

#[path = "common/cli.rs"]
mod cli;

use std::fs;
use std::path::Path;

use kontera_data::{TABLE_NAMES, read_dataset};
use kontera_synth::{GenerateParams, generate};

use cli::run as kontera;

fn generate_into(dir: &Path, seed: u64, format: &str, per_year: u32) {
    let out = kontera(&[
        "generate",
        "--out",
        dir.to_str().unwrap(),
        "--years",
        "3",
        "--invoices-per-year",
        &per_year.to_string(),
        "--seed",
        &seed.to_string(),
        "--format",
        format,
    ]);
    assert!(
        out.status.success(),
        "generate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn table_bytes(dir: &Path, ext: &str) -> Vec<(String, Vec<u8>)> {
    TABLE_NAMES
        .iter()
        .map(|t| {
            let path = dir.join(format!("{t}.{ext}"));
            (
                t.to_string(),
                fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            )
        })
        .collect()
}

#[test]
fn same_arguments_give_byte_identical_files_in_both_formats() {
    for format in ["csv", "parquet"] {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        generate_into(a.path(), 11, format, 500);
        generate_into(b.path(), 11, format, 500);
        let (ta, tb) = (table_bytes(a.path(), format), table_bytes(b.path(), format));
        for ((name, x), (_, y)) in ta.iter().zip(&tb) {
            assert!(!x.is_empty(), "{name}.{format} is empty");
            assert!(
                x == y,
                "{name}.{format} differs between two runs with the same seed"
            );
        }
    }
}

#[test]
fn a_different_seed_gives_different_data() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    generate_into(a.path(), 11, "csv", 500);
    generate_into(b.path(), 12, "csv", 500);
    let (ta, tb) = (table_bytes(a.path(), "csv"), table_bytes(b.path(), "csv"));
    for ((name, x), (_, y)) in ta.iter().zip(&tb) {
        if name == "accounts" {
            // The chart is the municipality's, not the seed's: it is the same for every seed.
            assert_eq!(x, y, "the chart does not depend on the seed");
        } else {
            assert_ne!(x, y, "{name} is the same for seeds 11 and 12");
        }
    }
}

#[test]
fn written_files_read_back_to_exactly_what_was_generated() {
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path(), 5, "parquet", 400);
    let params = GenerateParams {
        years: 3,
        invoices_per_year: 400,
        seed: 5,
        first_year: 2023,
    };
    let expected = generate(&params.check().unwrap(), |_, _| {}).dataset;
    let read = read_dataset(dir.path()).expect("the written tables read back");
    assert_eq!(read, expected);
}

#[test]
fn the_committed_sample_is_what_the_generator_writes() {
    // data/sample/SOURCE gives these arguments; regenerate the sample when the generator changes.
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path(), 42, "csv", 2000);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    for ((name, fresh), (_, committed)) in table_bytes(dir.path(), "csv")
        .iter()
        .zip(&table_bytes(&sample, "csv"))
    {
        assert!(
            fresh == committed,
            "data/sample/{name}.csv is stale: regenerate it with the command in data/sample/SOURCE"
        );
    }
}

#[test]
fn out_of_range_arguments_are_refused_with_the_parameter_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = kontera(&[
        "generate",
        "--out",
        dir.path().to_str().unwrap(),
        "--years",
        "0",
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("years must be between 1 and 10, got 0"),
        "stderr: {stderr}"
    );
    assert!(
        fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing is written"
    );
}
