//! Reviewed codings as training data: the controllers' codings written as the canonical
//! `postings` table (`data/README.md`), so a later training run learns from them alongside the
//! ledger's own history, and a provenance table saying who reviewed what.
//!
//! `GET /v1/reviews/export` answers with these files and `kontera export-reviews` writes them;
//! both call [`postings_csv`] and [`reviews_csv`] on the same store read, so they give the same
//! bytes for the same data.
//!
//! # `postings.csv`
//!
//! Exactly the contract's columns in its order — `posting_id, invoice_id, line_no,
//! posting_date, account, cost_centre, vat_code, project, amount` — one row per reviewed line:
//!
//! * `posting_id` is `R-{decision_id}-{line_no}`: unique (one review per decision, one coding per
//!   line), stable across exports, and never like the ledger's own ids (`P…`).
//! * `invoice_id` is the invoice's id as the ERP sent it (`invoice.id` of the stored answer), so
//!   the rows join to the ERP's `invoices` and `invoice_lines` tables.
//! * `line_no` is the line's 1-based position on the invoice: every posting codes one line.
//! * `posting_date` is the day of the review (UTC). The contract's `account` is "the account as
//!   posted, in the chart valid on `posting_date`", and training maps each posted account onto
//!   the current chart from that date (`Chart::current`). A controller codes on the chart in
//!   force when reviewing, so the review date is the day the account is valid on; the issue date
//!   would be wrong for an invoice issued before a chart change and reviewed after it (the new
//!   account would count as not yet valid and the line would be dropped). The training window
//!   is chosen by the invoice's issue date, which comes from the `invoices` table, not from here.
//! * `cost_centre` and `vat_code` are required text in the contract: a line the controller coded
//!   without one gets the empty string (`""`), never a null.
//! * `project` is empty (null): reviews do not code projects.
//! * `amount` is the line's net amount, exact, with two decimals (`1250.00`). An amount with more
//!   significant decimals (an invoice may state up to four) is written with all of them, never
//!   rounded: reading it back as the contract's money is then an error naming the row, which is
//!   better than a silently changed amount. [`Summary::sub_cent`] counts such rows.
//!
//! # `reviews.csv`
//!
//! Provenance, one row per review, in the same order: `decision_id, invoice_id, reviewer,
//! reviewed_at, audit, agreed` — `reviewed_at` as RFC 3339 UTC with milliseconds, `audit` (the
//! decision was a blind audit sample) and `agreed` (every line matched the service's coding) as
//! `true`/`false`. It is not a contract table; it lets an analyst leave out, say, one reviewer's
//! work, or weigh audit samples.
//!
//! # Dialect and order
//!
//! The contract's CSV dialect: UTF-8 without byte-order mark, `,` between fields, `\n` after
//! every row (the header included), a field quoted with `"` only when it holds `,`, `"`, `\r` or
//! `\n` (a `"` inside doubled, as RFC 4180 has it), null as an empty field and the empty string as
//! `""`. Rows come in review order (review time, then decision id), lines by line number, so the
//! same reviews always give the same bytes.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, SecondsFormat};
use kontera_store::ExportedReview;
use serde::Deserialize;

/// The `postings` header: the contract's columns in its order.
pub const POSTINGS_HEADER: &str =
    "posting_id,invoice_id,line_no,posting_date,account,cost_centre,vat_code,project,amount";

/// The provenance file's header.
pub const REVIEWS_HEADER: &str = "decision_id,invoice_id,reviewer,reviewed_at,audit,agreed";

/// The file names the command line writes (and the route names in `Content-Disposition`).
pub const POSTINGS_FILE: &str = "postings.csv";
pub const REVIEWS_FILE: &str = "reviews.csv";

/// Why reviews could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "the stored answer of decision {decision_id} has no invoice id ({message}); the database \
         holds something the service did not write"
    )]
    Response {
        decision_id: String,
        message: String,
    },
    #[error("the review of decision {decision_id} has a time out of range ({reviewed_at} ms)")]
    Time {
        decision_id: String,
        reviewed_at: i64,
    },
    #[error("since {value:?} is not a date like 2026-01-31 (YYYY-MM-DD)")]
    Since { value: String },
}

/// What an export holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Reviews (rows of `reviews.csv`).
    pub reviews: usize,
    /// Postings (rows of `postings.csv`).
    pub postings: usize,
    /// Postings whose amount has more than two decimals (written exactly; see the module).
    pub sub_cent: usize,
}

/// Both files' contents and their counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub postings: String,
    pub reviews: String,
    pub summary: Summary,
}

/// Writes both files for `reviews` (as [`kontera_store::Store::reviews_for_export`] reads them).
pub fn export(reviews: &[ExportedReview]) -> Result<Export, ExportError> {
    let (postings, summary) = postings(reviews)?;
    Ok(Export {
        postings,
        reviews: reviews_csv(reviews)?,
        summary,
    })
}

/// The `postings` table of `reviews`; see the module.
pub fn postings_csv(reviews: &[ExportedReview]) -> Result<String, ExportError> {
    postings(reviews).map(|(text, _)| text)
}

fn postings(reviews: &[ExportedReview]) -> Result<(String, Summary), ExportError> {
    let mut out = String::with_capacity(64 + reviews.len() * 96);
    out.push_str(POSTINGS_HEADER);
    out.push('\n');
    let mut summary = Summary {
        reviews: reviews.len(),
        ..Summary::default()
    };
    for review in reviews {
        let invoice_id = invoice_id(review)?;
        let date = reviewed(review)?.date_naive();
        for line in &review.lines {
            if line.net_amount.normalize().scale() > 2 {
                summary.sub_cent += 1;
            }
            let amount = crate::trust::money_text(line.net_amount);
            // Writing into a String cannot fail.
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},,{amount}",
                text(&format!("R-{}-{}", review.decision_id, line.line_no)),
                text(&invoice_id),
                line.line_no,
                date.format("%Y-%m-%d"),
                text(&line.account),
                text(line.cost_centre.as_deref().unwrap_or("")),
                text(line.vat_code.as_deref().unwrap_or("")),
            );
            summary.postings += 1;
        }
    }
    Ok((out, summary))
}

/// The provenance table of `reviews`; see the module.
pub fn reviews_csv(reviews: &[ExportedReview]) -> Result<String, ExportError> {
    let mut out = String::with_capacity(64 + reviews.len() * 96);
    out.push_str(REVIEWS_HEADER);
    out.push('\n');
    for review in reviews {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            text(&review.decision_id),
            text(&invoice_id(review)?),
            text(&review.reviewer),
            reviewed(review)?.to_rfc3339_opts(SecondsFormat::Millis, true),
            review.audit,
            review.agreed,
        );
    }
    Ok(out)
}

/// The first millisecond (UTC) of `since`, a `YYYY-MM-DD` date: reviews from that day on.
pub fn since_ms(since: &str) -> Result<i64, ExportError> {
    let bad = || ExportError::Since {
        value: since.to_owned(),
    };
    // chrono alone would take `2026-1-5` and `+2026-01-05`; the contract's dates are stricter.
    let shape = since.len() == 10
        && since.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return Err(bad());
    }
    let day = NaiveDate::parse_from_str(since, "%Y-%m-%d").map_err(|_| bad())?;
    Ok(day
        .and_hms_opt(0, 0, 0)
        .ok_or_else(bad)?
        .and_utc()
        .timestamp_millis())
}

/// The ERP's invoice id from the stored answer.
fn invoice_id(review: &ExportedReview) -> Result<String, ExportError> {
    #[derive(Deserialize)]
    struct Answer {
        invoice: Invoice,
    }
    #[derive(Deserialize)]
    struct Invoice {
        id: String,
    }
    serde_json::from_str::<Answer>(&review.response)
        .map(|a| a.invoice.id)
        .map_err(|e| ExportError::Response {
            decision_id: review.decision_id.clone(),
            message: e.to_string(),
        })
}

fn reviewed(review: &ExportedReview) -> Result<DateTime<chrono::Utc>, ExportError> {
    DateTime::from_timestamp_millis(review.reviewed_at).ok_or_else(|| ExportError::Time {
        decision_id: review.decision_id.clone(),
        reviewed_at: review.reviewed_at,
    })
}

/// A text field: the empty string as `""`, quoted when it holds `,`, `"`, `\r` or `\n`.
fn text(value: &str) -> Cow<'_, str> {
    if value.is_empty() {
        Cow::Borrowed("\"\"")
    } else if value.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use kontera_store::ExportedLine;
    use rust_decimal::Decimal;

    use super::*;

    fn review(id: &str, invoice: &str, at: i64, lines: Vec<ExportedLine>) -> ExportedReview {
        ExportedReview {
            decision_id: id.to_owned(),
            response: serde_json::json!({"decision_id": id, "invoice": {"id": invoice}})
                .to_string(),
            issue_date: NaiveDate::from_ymd_opt(2025, 12, 30).unwrap(),
            reviewer: "Berg, Anna".to_owned(),
            reviewed_at: at,
            audit: true,
            agreed: false,
            lines,
        }
    }

    fn line(no: u32, amount: Decimal, account: &str, cc: Option<&str>) -> ExportedLine {
        ExportedLine {
            line_no: no,
            net_amount: amount,
            account: account.to_owned(),
            cost_centre: cc.map(str::to_owned),
            vat_code: Some("I25".to_owned()),
        }
    }

    #[test]
    fn writes_the_contract_dialect() {
        // 2026-01-05 23:59:59.999 UTC.
        let at = 1_767_657_599_999;
        let reviews = [review(
            "d-1",
            "F,\"1\"",
            at,
            vec![
                line(1, Decimal::new(12_505, 1), "4.90", Some("1010")),
                line(2, Decimal::new(-5, 0), "4.91", None),
                line(3, Decimal::new(1_2345, 4), "4.92", Some("a\nb")),
            ],
        )];
        let e = export(&reviews).unwrap();
        assert_eq!(
            e.postings,
            "posting_id,invoice_id,line_no,posting_date,account,cost_centre,vat_code,project,amount\n\
             R-d-1-1,\"F,\"\"1\"\"\",1,2026-01-05,4.90,1010,I25,,1250.50\n\
             R-d-1-2,\"F,\"\"1\"\"\",2,2026-01-05,4.91,\"\",I25,,-5.00\n\
             R-d-1-3,\"F,\"\"1\"\"\",3,2026-01-05,4.92,\"a\nb\",I25,,1.2345\n"
        );
        assert_eq!(
            e.reviews,
            "decision_id,invoice_id,reviewer,reviewed_at,audit,agreed\n\
             d-1,\"F,\"\"1\"\"\",\"Berg, Anna\",2026-01-05T23:59:59.999Z,true,false\n"
        );
        assert_eq!(
            e.summary,
            Summary {
                reviews: 1,
                postings: 3,
                sub_cent: 1
            }
        );
        assert_eq!(postings_csv(&[]).unwrap(), format!("{POSTINGS_HEADER}\n"));
    }

    #[test]
    fn a_broken_answer_is_an_error_naming_the_decision() {
        let mut r = review("d-9", "F1", 0, vec![]);
        r.response = "{}".to_owned();
        let e = postings_csv(&[r]).unwrap_err();
        assert!(e.to_string().contains("d-9"), "{e}");
    }

    #[test]
    fn since_is_a_strict_date() {
        assert_eq!(since_ms("1970-01-02").unwrap(), 86_400_000);
        assert_eq!(since_ms("2026-01-06").unwrap(), 1_767_657_600_000);
        for bad in [
            "2026-1-06",
            "+2026-01-06",
            "2026-02-30",
            "",
            "2026-01-06T00:00",
        ] {
            assert!(since_ms(bad).is_err(), "{bad}");
        }
    }
}
