//! End to end: `kontera train --reviews DIR` on a small generated municipality, with an export
//! directory (as `kontera export-reviews` writes it) that re-codes some lines: the output and the
//! model card report what the reviews did.

#![cfg(feature = "train")]

#[path = "common/cli.rs"]
mod cli;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use kontera_data::{AccountRow, PostingRow, read_table};

use cli::kontera;

const RECODED: usize = 5;

/// Writes `dir/postings.csv` and `dir/reviews.csv`: [`RECODED`] lines re-coded to an open
/// account their ERP posting does not use (the first of them exported twice), one review of an
/// invoice the ERP export lacks and one malformed row.
fn write_reviews(data: &Path, dir: &Path) {
    let accounts: Vec<AccountRow> = read_table(&data.join("accounts.csv")).unwrap();
    let open = |a: &str| {
        accounts
            .iter()
            .any(|r| r.account == a && r.valid_to.is_none())
    };
    let postings: Vec<PostingRow> = read_table(&data.join("postings.csv")).unwrap();
    let target = &postings
        .iter()
        .find(|p| open(&p.account))
        .expect("an open account")
        .account;
    let chosen: Vec<&PostingRow> = postings
        .iter()
        .filter(|p| p.line_no.is_some() && &p.account != target && open(&p.account))
        .filter(|p| {
            // One posting for the line: no split.
            postings
                .iter()
                .filter(|q| q.invoice_id == p.invoice_id && q.line_no == p.line_no)
                .count()
                == 1
        })
        .take(RECODED)
        .collect();
    assert_eq!(chosen.len(), RECODED);
    let mut csv = String::from(
        "posting_id,invoice_id,line_no,posting_date,account,cost_centre,vat_code,project,amount\n",
    );
    let mut provenance = String::from("decision_id,invoice_id,reviewer,reviewed_at,audit,agreed\n");
    for (i, p) in chosen.iter().enumerate() {
        let line = p.line_no.unwrap();
        let row = format!(
            "R-d{i}-{line},{},{line},2025-01-15,{target},{},{},,{}\n",
            p.invoice_id, p.cost_centre, p.vat_code, p.amount
        );
        csv.push_str(&row);
        if i == 0 {
            csv.push_str(&row);
        }
        let audit = i == 0;
        writeln!(
            provenance,
            "d{i},{},anna,2025-01-15T10:00:00.000Z,{audit},false",
            p.invoice_id
        )
        .unwrap();
    }
    csv.push_str("R-d9-1,F2099-0000001,1,2025-01-15,5.25.14-1-2.2,1010,I25,,10.00\n");
    csv.push_str("R-d9-2,F2099-0000001,two,2025-01-15,5.25.14-1-2.2,1010,I25,,10.00\n");
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("postings.csv"), csv).unwrap();
    fs::write(dir.join("reviews.csv"), provenance).unwrap();
}

#[test]
fn train_with_reviews_reports_the_lines_they_override() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, reviews, model) = (
        tmp.path().join("data"),
        tmp.path().join("reviews"),
        tmp.path().join("m"),
    );
    kontera(&[
        "generate",
        "--out",
        data.to_str().unwrap(),
        "--years",
        "2",
        "--invoices-per-year",
        "300",
        "--seed",
        "7",
        "--first-year",
        "2023",
    ]);
    write_reviews(&data, &reviews);
    let out = kontera(&[
        "train",
        "--data",
        data.to_str().unwrap(),
        "--from",
        "2023-01-01",
        "--to",
        "2024-12-31",
        "--reviews",
        reviews.to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "Reviews: 5 reviews (1 blind audit), 8 reviewed-line rows read from 1 directory; \
         1 malformed, 1 duplicates, 0 superseded by a later review; 6 reviewed lines kept",
        "in the window: 5 overridden the ERP's coding, 0 agreed with it, 0 the ERP had not posted",
        "not used: 1 reviewed lines of invoices not in the data (1 invoice)",
        "line 9: line_no `two` is not a line number",
    ] {
        assert!(stdout.contains(expected), "{expected:?} not in:\n{stdout}");
    }
    let card = fs::read_to_string(model.join("card.json")).unwrap();
    assert!(
        card.contains("5 overrode the ERP's coding"),
        "the model card records the reviews: {card}"
    );
}

#[test]
fn train_refuses_a_reviews_directory_without_postings() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let out = Command::new(env!("CARGO_BIN_EXE_kontera"))
        .args([
            "train",
            "--data",
            sample.to_str().unwrap(),
            "--from",
            "2023-01-01",
            "--to",
            "2023-12-31",
            "--reviews",
            tmp.path().to_str().unwrap(),
            "--out",
            tmp.path().join("m").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("postings.csv") && stderr.contains("kontera export-reviews --out DIR"),
        "{stderr}"
    );
}
