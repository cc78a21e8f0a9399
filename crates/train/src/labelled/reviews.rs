//! Reviewed codings as training input: the controllers' corrections and blind audits that
//! `kontera export-reviews` writes (the module `kontera_serve::export` documents the files).
//!
//! `DIR/postings.csv` is the contract's `postings` table, one row per reviewed line, posting id
//! `R-{decision_id}-{line_no}`, dated the day of the review; `DIR/reviews.csv` (optional here)
//! says who reviewed which invoice and whether it was a blind audit sample.
//!
//! [`ReviewedCodings`] reads any number of such directories and keeps one coding per
//! (invoice, line): the latest review's (by posting date, then posting id). Rows that repeat the
//! kept coding (the same review exported twice, or the same line reviewed twice alike) are
//! dropped as duplicates; older reviews that coded the line differently are dropped as
//! superseded. A row that cannot be read is counted as malformed, with an example naming the
//! file and line, and never stops training; only a missing `postings.csv` or a header that is
//! not the `postings` table's is an error.
//!
//! [`super::labelled_lines_with_reviews`] then codes each line a review covers by the review
//! alone: the ERP's postings of that line are set aside (the ERP's postings of the invoice's
//! other lines stay), and the reviewed account is mapped onto the current chart from its posting
//! date like any posting.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kontera_core::{AccountId, cpr};
use kontera_data::{MONEY_SCALE, PostingRow};
use rust_decimal::Decimal;
use rustc_hash::FxHashSet;

/// The reviewed codings' file in an export directory.
pub const POSTINGS_FILE: &str = "postings.csv";
/// The provenance file in an export directory.
pub const REVIEWS_FILE: &str = "reviews.csv";

/// The `postings` table's columns, in the contract's order.
const POSTINGS_COLUMNS: [&str; 9] = [
    "posting_id",
    "invoice_id",
    "line_no",
    "posting_date",
    "account",
    "cost_centre",
    "vat_code",
    "project",
    "amount",
];

/// The provenance file's columns.
const REVIEWS_COLUMNS: [&str; 6] = [
    "decision_id",
    "invoice_id",
    "reviewer",
    "reviewed_at",
    "audit",
    "agreed",
];

/// At most this many malformed rows are kept as examples.
const MALFORMED_EXAMPLES: usize = 5;

/// Why an export directory could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReviewsError {
    #[error(
        "cannot read {}: {source}; give a directory written by `kontera export-reviews --out DIR`",
        .path.display()
    )]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{} is not a `{table}` table: {problem}; its header must be `{expected}` \
         (as `kontera export-reviews` writes it)",
        .path.display()
    )]
    Header {
        path: PathBuf,
        table: &'static str,
        problem: String,
        expected: String,
    },
}

/// What reading the reviews and joining them to the tables did, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewReport {
    /// Export directories read.
    pub directories: usize,
    /// Reviews (decisions) in the `reviews.csv` files, each counted once.
    pub reviews: usize,
    /// Of those, blind audit samples.
    pub audits: usize,
    /// Rows of the `postings.csv` files (reviewed lines) read, malformed ones included.
    pub rows: usize,
    /// Rows of either file that could not be read (left out).
    pub malformed: usize,
    /// Up to 5 of them: file, line and what was wrong (CPR-shaped text masked).
    pub malformed_examples: Vec<String>,
    /// Rows left out because a kept row codes the same line alike (e.g. the same review
    /// exported twice).
    pub duplicates: usize,
    /// Rows left out because a later review of the same line coded it differently.
    pub superseded: usize,
    /// Reviewed lines kept: one per (invoice, line).
    pub reviewed_lines: usize,
    /// Reviewed lines whose invoice is not in `invoices` (not yet in the ERP's export, say).
    pub unknown_invoice: usize,
    /// Distinct invoices among those.
    pub unknown_invoices: usize,
    /// Reviewed lines whose invoice is known but has no such line.
    pub unknown_line: usize,
    /// Reviewed lines of invoices issued outside the window.
    pub outside_window: usize,
    /// Lines in the window whose ERP coding the review changed (account on the current chart,
    /// cost centre or VAT code): the review's coding is the label.
    pub overridden: usize,
    /// Lines in the window where the review and the ERP agreed: one label, as both say.
    pub agreed: usize,
    /// Lines in the window the ERP had not posted: labelled from the review alone.
    pub added: usize,
}

impl ReviewReport {
    /// Reviewed lines that joined no line of the tables.
    pub fn unmatched(&self) -> usize {
        self.unknown_invoice + self.unknown_line
    }
}

impl fmt::Display for ReviewReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reviews = if self.reviews > 0 {
            format!(
                "{} ({}), ",
                plural(self.reviews, "review"),
                plural(self.audits, "blind audit")
            )
        } else {
            String::new()
        };
        writeln!(
            f,
            "Reviews: {reviews}{} reviewed-line rows read from {}; {} malformed, \
             {} duplicates, {} superseded by a later review; {} reviewed lines kept",
            self.rows,
            if self.directories == 1 {
                "1 directory".to_owned()
            } else {
                format!("{} directories", self.directories)
            },
            self.malformed,
            self.duplicates,
            self.superseded,
            self.reviewed_lines,
        )?;
        for example in &self.malformed_examples {
            writeln!(f, "  malformed: {example}")?;
        }
        writeln!(
            f,
            "  in the window: {} overridden the ERP's coding, {} agreed with it, {} the ERP had \
             not posted",
            self.overridden, self.agreed, self.added,
        )?;
        write!(
            f,
            "  not used: {} reviewed lines of invoices not in the data ({}), {} of lines not on \
             their invoice, {} of invoices issued outside the window",
            self.unknown_invoice,
            plural(self.unknown_invoices, "invoice"),
            self.unknown_line,
            self.outside_window,
        )
    }
}

/// `1 invoice`, `2 invoices`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Reviewed codings read from export directories: one per (invoice, line); see the
/// [module documentation](self).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewedCodings {
    /// Sorted by (invoice id, line number); one row per line.
    postings: Vec<PostingRow>,
    /// Decision ids seen in `reviews.csv` files.
    decisions: FxHashSet<String>,
    report: ReviewReport,
}

impl ReviewedCodings {
    /// Reads the export directory `dir`: `postings.csv` (required) and `reviews.csv` (if there).
    pub fn read_dir(&mut self, dir: &Path) -> Result<(), ReviewsError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| ReviewsError::Io { path, source })
        };
        let postings = read(POSTINGS_FILE)?;
        let reviews = match read(REVIEWS_FILE) {
            Ok(bytes) => Some(bytes),
            Err(ReviewsError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                None
            }
            Err(e) => return Err(e),
        };
        self.add_postings_csv(&postings, &dir.join(POSTINGS_FILE))?;
        if let Some(reviews) = reviews {
            self.add_reviews_csv(&reviews, &dir.join(REVIEWS_FILE))?;
        }
        self.report.directories += 1;
        Ok(())
    }

    /// Adds the rows of a `postings.csv` file's contents; `path` names it in messages.
    pub fn add_postings_csv(&mut self, bytes: &[u8], path: &Path) -> Result<(), ReviewsError> {
        let mut records = records(bytes).into_iter();
        let columns = header(records.next(), &POSTINGS_COLUMNS, "postings", path)?;
        for record in records {
            self.report.rows += 1;
            match posting(&record, &columns) {
                Ok(row) => self.postings.push(row),
                Err(problem) => self.malformed(path, record.line, &problem),
            }
        }
        self.reduce();
        Ok(())
    }

    /// Adds the rows of a `reviews.csv` file's contents; `path` names it in messages.
    pub fn add_reviews_csv(&mut self, bytes: &[u8], path: &Path) -> Result<(), ReviewsError> {
        let mut records = records(bytes).into_iter();
        let columns = header(records.next(), &REVIEWS_COLUMNS, "reviews", path)?;
        for record in records {
            let review = fields(&record, &columns).and_then(|f| {
                let decision = required(f[0], "decision_id")?;
                let audit = match f[4].map(|v| v.text) {
                    Some("true") => true,
                    Some("false") => false,
                    other => return Err(format!("audit {} is not true or false", shown(other))),
                };
                Ok((decision.to_owned(), audit))
            });
            match review {
                Ok((decision, audit)) => {
                    if self.decisions.insert(decision) {
                        self.report.reviews += 1;
                        self.report.audits += usize::from(audit);
                    }
                }
                Err(problem) => self.malformed(path, record.line, &problem),
            }
        }
        Ok(())
    }

    /// The kept codings, by (invoice id, line number).
    pub fn postings(&self) -> &[PostingRow] {
        &self.postings
    }

    /// What reading counted so far (the join's counts are filled in by
    /// [`super::labelled_lines_with_reviews`]).
    pub fn report(&self) -> &ReviewReport {
        &self.report
    }

    fn malformed(&mut self, path: &Path, line: usize, problem: &str) {
        self.report.malformed += 1;
        if self.report.malformed_examples.len() < MALFORMED_EXAMPLES {
            let example = format!("{} line {line}: {problem}", path.display());
            self.report
                .malformed_examples
                .push(cpr::mask(&example).into_owned());
        }
    }

    /// Keeps the latest row of each (invoice, line), counting the others.
    fn reduce(&mut self) {
        self.postings.sort_by(|a, b| {
            (&a.invoice_id, a.line_no, a.posting_date, &a.posting_id).cmp(&(
                &b.invoice_id,
                b.line_no,
                b.posting_date,
                &b.posting_id,
            ))
        });
        let mut kept: Vec<PostingRow> = Vec::with_capacity(self.postings.len());
        // Reversed: the latest row of each line comes first and is kept.
        for row in std::mem::take(&mut self.postings).into_iter().rev() {
            match kept.last() {
                Some(last) if last.invoice_id == row.invoice_id && last.line_no == row.line_no => {
                    if same_coding(last, &row) {
                        self.report.duplicates += 1;
                    } else {
                        self.report.superseded += 1;
                    }
                }
                _ => kept.push(row),
            }
        }
        kept.reverse();
        self.report.reviewed_lines = kept.len();
        self.postings = kept;
    }
}

/// Whether two postings code a line alike (ids and dates aside).
fn same_coding(a: &PostingRow, b: &PostingRow) -> bool {
    a.account == b.account
        && a.cost_centre == b.cost_centre
        && a.vat_code == b.vat_code
        && a.project == b.project
        && a.amount == b.amount
}

/// One field of a record: its text, and whether it was quoted (`""` is the empty string, an
/// empty unquoted field is null).
#[derive(Debug, Clone, Copy)]
struct Value<'a> {
    text: &'a str,
    quoted: bool,
}

/// One CSV record: the line it starts on (1 = the header), its fields, or what is wrong.
#[derive(Debug)]
struct Record {
    line: usize,
    fields: Vec<(Vec<u8>, bool)>,
    problem: Option<&'static str>,
}

/// The records of a CSV text in the contract's dialect (RFC 4180 quoting, `\n` or `\r\n`, a
/// byte-order mark tolerated). Blank lines are skipped; a record that breaks the quoting rules
/// is returned with its problem, and reading goes on with the next line.
fn records(bytes: &[u8]) -> Vec<Record> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < bytes.len() {
        let mut record = Record {
            line,
            fields: Vec::new(),
            problem: None,
        };
        loop {
            let mut field = Vec::new();
            let quoted = bytes.get(i) == Some(&b'"');
            if quoted {
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => {
                            record.problem = Some("a quoted field is not closed");
                            break;
                        }
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                            field.push(b'"');
                            i += 2;
                        }
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(&c) => {
                            line += usize::from(c == b'\n');
                            field.push(c);
                            i += 1;
                        }
                    }
                }
            }
            while let Some(&c) = bytes.get(i) {
                if matches!(c, b',' | b'\n' | b'\r') {
                    break;
                }
                if quoted {
                    record.problem.get_or_insert("text after a closing quote");
                } else if c == b'"' {
                    record
                        .problem
                        .get_or_insert("a quote inside an unquoted field");
                }
                field.push(c);
                i += 1;
            }
            record.fields.push((field, quoted));
            match bytes.get(i) {
                Some(b',') => i += 1,
                Some(b'\r') => {
                    i += if bytes.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    line += 1;
                    break;
                }
                Some(_) => {
                    i += 1;
                    line += 1;
                    break;
                }
                None => break,
            }
        }
        let blank =
            record.fields.len() == 1 && !record.fields[0].1 && record.fields[0].0.is_empty();
        if !blank {
            out.push(record);
        }
    }
    out
}

/// Checks a header against the expected columns; answers, per expected column, its position.
fn header(
    record: Option<Record>,
    expected: &[&'static str],
    table: &'static str,
    path: &Path,
) -> Result<Vec<usize>, ReviewsError> {
    let error = |problem: String| ReviewsError::Header {
        path: path.to_owned(),
        table,
        problem,
        expected: expected.join(","),
    };
    let Some(record) = record else {
        return Err(error("the file is empty".to_owned()));
    };
    if let Some(problem) = record.problem {
        return Err(error(problem.to_owned()));
    }
    let names: Vec<String> = record
        .fields
        .iter()
        .map(|(f, _)| String::from_utf8_lossy(f).trim().to_owned())
        .collect();
    if let Some(unknown) = names.iter().find(|n| !expected.contains(&n.as_str())) {
        return Err(error(format!("unknown column `{}`", cpr::mask(unknown))));
    }
    expected
        .iter()
        .map(|&column| {
            let mut at = names.iter().enumerate().filter(|(_, n)| *n == column);
            match (at.next(), at.next()) {
                (Some((i, _)), None) => Ok(i),
                (None, _) => Err(error(format!("column `{column}` is missing"))),
                (Some(_), Some(_)) => Err(error(format!("column `{column}` appears twice"))),
            }
        })
        .collect()
}

/// The record's fields in the expected columns' order, or what is wrong with it.
fn fields<'r>(record: &'r Record, columns: &[usize]) -> Result<Vec<Option<Value<'r>>>, String> {
    if let Some(problem) = record.problem {
        return Err(problem.to_owned());
    }
    if record.fields.len() != columns.len() {
        return Err(format!(
            "{} fields where the header has {}",
            record.fields.len(),
            columns.len()
        ));
    }
    columns
        .iter()
        .map(|&c| {
            let (bytes, quoted) = &record.fields[c];
            let text =
                std::str::from_utf8(bytes).map_err(|_| format!("field {} is not UTF-8", c + 1))?;
            // Null: an empty unquoted field.
            Ok((*quoted || !text.is_empty()).then_some(Value {
                text,
                quoted: *quoted,
            }))
        })
        .collect()
}

/// A present, non-empty text value.
fn required<'a>(value: Option<Value<'a>>, column: &str) -> Result<&'a str, String> {
    match value {
        Some(v) if !v.text.is_empty() => Ok(v.text),
        _ => Err(format!("{column} is empty")),
    }
}

/// A value as shown in a message: quoted and cut short, or `null`.
fn shown(value: Option<&str>) -> String {
    match value {
        None => "null".to_owned(),
        Some(v) => {
            let cut: String = v.chars().take(40).collect();
            format!("`{cut}`")
        }
    }
}

/// One `postings.csv` row as a posting that codes one line, or what is wrong with it.
fn posting(record: &Record, columns: &[usize]) -> Result<PostingRow, String> {
    let f = fields(record, columns)?;
    let text = |i: usize| f[i].map(|v| v.text);
    let posting_id = required(f[0], "posting_id")?;
    let invoice_id = required(f[1], "invoice_id")?;
    let line_no = match text(2) {
        None | Some("") => return Err("line_no is empty: a review codes one line".to_owned()),
        Some(s) => s
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse::<u32>().ok())
            .flatten()
            .ok_or_else(|| format!("line_no {} is not a line number", shown(Some(s))))?,
    };
    let posting_date = text(3).and_then(date).ok_or_else(|| {
        format!(
            "posting_date {} is not a date like 2026-01-31",
            shown(text(3))
        )
    })?;
    let account = required(f[4], "account")?;
    AccountId::parse(account).map_err(|e| format!("account {}: {e}", shown(Some(account))))?;
    // Required text: `""` (the empty string) is a value, null is not.
    let present = |i: usize, column: &str| match f[i] {
        Some(v) if v.quoted || !v.text.is_empty() => Ok(v.text.to_owned()),
        _ => Err(format!("{column} is null (write `\"\"` for an empty one)")),
    };
    let cost_centre = present(5, "cost_centre")?;
    let vat_code = present(6, "vat_code")?;
    let project = text(7).filter(|p| !p.is_empty()).map(str::to_owned);
    let amount = text(8)
        .and_then(money)
        .ok_or_else(|| format!("amount {} is not money like 1250.00", shown(text(8))))?;
    Ok(PostingRow {
        posting_id: posting_id.to_owned(),
        invoice_id: invoice_id.to_owned(),
        line_no: Some(line_no),
        posting_date,
        account: account.to_owned(),
        cost_centre,
        vat_code,
        project,
        amount,
    })
}

/// An ISO date, `YYYY-MM-DD` exactly.
fn date(s: &str) -> Option<NaiveDate> {
    let shape = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shape
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

/// A decimal with `.`, at most the contract's two decimals once trailing zeros are dropped.
fn money(s: &str) -> Option<Decimal> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let shape = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !digits.ends_with('.');
    if !shape {
        return None;
    }
    let value: Decimal = s.parse().ok()?;
    (value.normalize().scale() <= MONEY_SCALE).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(bytes: &[u8]) -> Vec<(usize, Vec<String>, Option<&'static str>)> {
        records(bytes)
            .into_iter()
            .map(|r| {
                let fields = r
                    .fields
                    .iter()
                    .map(|(f, q)| {
                        format!(
                            "{}{}",
                            if *q { "q:" } else { "" },
                            String::from_utf8_lossy(f)
                        )
                    })
                    .collect();
                (r.line, fields, r.problem)
            })
            .collect()
    }

    #[test]
    fn records_follow_the_contract_dialect() {
        let got = texts(b"\xEF\xBB\xBFa,b\r\n\"x,\"\"y\"\"\",\n\n\"two\nlines\",\"\"\nlast,z");
        assert_eq!(
            got,
            vec![
                (1, vec!["a".to_owned(), "b".to_owned()], None),
                (2, vec!["q:x,\"y\"".to_owned(), String::new()], None),
                (4, vec!["q:two\nlines".to_owned(), "q:".to_owned()], None),
                (6, vec!["last".to_owned(), "z".to_owned()], None),
            ]
        );
    }

    #[test]
    fn broken_quoting_is_a_problem_of_that_record_only() {
        let got = texts(b"a\"b,c\n\"d\"e,f\nok,1\n\"open");
        assert_eq!(got[0].2, Some("a quote inside an unquoted field"));
        assert_eq!(got[1].2, Some("text after a closing quote"));
        assert_eq!(got[2].2, None);
        assert_eq!(got[3].2, Some("a quoted field is not closed"));
    }

    #[test]
    fn money_has_at_most_two_decimals() {
        assert_eq!(money("1250.00"), Some(Decimal::new(125_000, 2)));
        assert_eq!(money("-3.5"), Some(Decimal::new(-35, 1)));
        assert_eq!(money("7"), Some(Decimal::from(7)));
        assert_eq!(money("1.2500"), Some(Decimal::new(12_500, 4)));
        for bad in ["1.005", "1e3", "", "-", "1.", ".5", "1,00", " 1.00"] {
            assert_eq!(money(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_iso() {
        assert!(date("2026-01-31").is_some());
        for bad in ["2026-1-31", "2026-02-30", "+2026-01-31", "31-01-2026"] {
            assert!(date(bad).is_none(), "{bad}");
        }
    }
}
