//! The fuzz corpus as a regression suite: every file of `corpus/*/` and `crashes/*/` runs
//! through its target without a panic; known-good seeds are accepted and known-bad ones
//! rejected the expected way (so a target wired to the wrong function fails here); and a
//! short, deterministic fuzz of each target (3,000 executions, fixed seed) finds no crash.

use kontera_fuzz::runner::{Config, Limit, Stats, run};
use kontera_fuzz::{Target, corpus, execute, home};

#[test]
fn every_corpus_and_crash_file_runs_without_a_panic() {
    let mut failures = Vec::new();
    let mut files = 0;
    for target in Target::ALL {
        for folder in ["corpus", "crashes"] {
            let dir = home().join(folder).join(target.name());
            for path in corpus::files(&dir).unwrap() {
                files += 1;
                let data = std::fs::read(&path).unwrap();
                if let Err(crash) = execute(target, &data) {
                    failures.push(format!(
                        "{}: panicked at {}: {}",
                        path.display(),
                        crash.location,
                        crash.message
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(files >= 80, "only {files} corpus and crash files found");
}

/// The features of a corpus seed.
fn features(target: Target, seed: &str) -> Vec<String> {
    let path = home().join("corpus").join(target.name()).join(seed);
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    execute(target, &data).unwrap_or_else(|c| panic!("{seed}: {}", c.message))
}

fn expect(target: Target, seed: &str, wanted: &[&str]) {
    let got = features(target, seed);
    for w in wanted {
        assert!(
            got.iter().any(|f| f == w),
            "{target} {seed}: no feature {w:?} in {got:?}"
        );
    }
}

#[test]
fn known_good_seeds_are_accepted_and_known_bad_ones_rejected() {
    use Target::{Json, Model, Row, Ubl};
    expect(
        Json,
        "seed-readme-full.json",
        &["one:ok:format:json", "one:ok:cvr"],
    );
    expect(
        Json,
        "seed-credit-note-numbers.json",
        &["one:ok:type:credit_note"],
    );
    expect(
        Json,
        "seed-batch.json",
        &["batch:ok:2", "one:err:unknown_field"],
    );
    expect(
        Json,
        "seed-bad-amount.json",
        &["one:err:invalid_field:lines[#].net_amount"],
    );
    expect(Json, "seed-truncated.json", &["one:err:malformed_json"]);
    expect(Json, "seed-empty-batch.json", &["batch:err:invalid_field"]);

    expect(
        Ubl,
        "seed-peppol-bis3-examples_base-example.xml",
        &["ubl:ok:format:peppol_bis3"],
    );
    expect(
        Ubl,
        "seed-delis-OIOUBL_CreditNote_v2p2.xml",
        &["ubl:ok:format:oioubl", "ubl:ok:type:credit_note"],
    );
    expect(Ubl, "seed-minimal-oioubl.xml", &["ubl:ok:format:oioubl"]);
    expect(Ubl, "seed-doctype.xml", &["ubl:err:doctype_refused"]);
    expect(Ubl, "seed-latin1.xml", &["ubl:err:malformed_xml"]);
    expect(
        Ubl,
        "seed-delis-error_CII_Invoice_SCH.xml",
        &["ubl:err:not_an_invoice"],
    );

    expect(
        Row,
        "seed-harrogate-2019-03.csv",
        &["m0:row:account", "m0:row:unit"],
    );
    expect(
        Row,
        "seed-harrogate-2018-03-windows-1252.csv",
        &["m0h:recoded"],
    );
    expect(
        Row,
        "seed-harrogate-2019-09-no-code.csv",
        &["m0h:malformed:missing label"],
    );
    expect(
        Row,
        "seed-danish.csv",
        &["m1:row:cost_centre", "m1:malformed:bad date"],
    );
    expect(
        Row,
        "seed-positional.csv",
        &["m2:row:project", "m2:row:vat_code"],
    );
    expect(Row, "seed-pipes.csv", &["m3:row:negative"]);

    expect(Model, "seed-tiny.bin", &["file:ok", "payload:ok"]);
    expect(Model, "seed-generated.bin", &["file:ok:fields:3:units:512"]);
    expect(
        Model,
        "seed-tiny-payload-only.bin",
        &["file:err:NotAModel", "payload:ok"],
    );
    expect(
        Model,
        "seed-bad-checksum.bin",
        &["file:err:Corrupted", "payload:ok"],
    );
    expect(Model, "seed-truncated.bin", &["file:err:Truncated"]);
    expect(
        Model,
        "seed-payload-truncated.bin",
        &["payload:err:Payload"],
    );
}

fn short_fuzz(target: Target, seed: u64, iterations: u64) -> Stats {
    run(Config {
        target,
        seed,
        limit: Limit::Iterations(iterations),
        corpus: Some(home().join("corpus").join(target.name())),
        save: false,
        crashes: None,
        progress: false,
        // Large seeds are slow in a debug build; the release runs take them all.
        max_seed_len: 16 << 10,
    })
    .unwrap()
}

fn no_crash(target: Target) {
    let stats = short_fuzz(target, 42, 3_000);
    let crashes: Vec<String> = stats
        .crashes
        .iter()
        .map(|c| format!("{}: {}", c.crash.location, c.crash.message))
        .collect();
    assert!(crashes.is_empty(), "{target}: {}", crashes.join("\n"));
    assert!(stats.execs >= 3_000, "{}", stats.summary());
}

#[test]
fn a_short_fuzz_of_json_finds_no_crash() {
    no_crash(Target::Json);
}

#[test]
fn a_short_fuzz_of_ubl_finds_no_crash() {
    no_crash(Target::Ubl);
}

#[test]
fn a_short_fuzz_of_row_finds_no_crash() {
    no_crash(Target::Row);
}

#[test]
fn a_short_fuzz_of_model_finds_no_crash() {
    no_crash(Target::Model);
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let a = short_fuzz(Target::Row, 7, 400);
    let b = short_fuzz(Target::Row, 7, 400);
    assert_eq!(
        (a.execs, a.corpus, a.added, a.features),
        (b.execs, b.corpus, b.added, b.features)
    );
}
