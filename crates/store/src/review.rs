//! A controller's review of one decision: the coding per line, whether it matched the
//! suggestion, recorded once in one write transaction and read back within the caller's areas.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::codec::{Cell, decision_row, flag, placeholders};
use crate::engine::{Engine, Spelled};
use crate::error::db;
use crate::record::{LINES_PER_STATEMENT, inserts};
use crate::{AreaScope, Outcome, Store, StoreError};

const REVIEW_COLUMNS: &str =
    "decision_id, reviewer, reviewed_at, audit, area, agreed, supplier, unit";

/// At most this many reviews are read, or written, in one statement.
pub(crate) const REVIEWS_PER_STATEMENT: usize = LINES_PER_STATEMENT;

/// The reviews' insert for each number of rows (index `rows - 1`).
static INSERT_REVIEWS: LazyLock<Spelled> =
    LazyLock::new(|| inserts("reviews", REVIEW_COLUMNS, REVIEWS_PER_STATEMENT, ""));

const LINE_COLUMNS: &str = "decision_id, line_no, account, cost_centre, vat_code, matches, \
     reviewed_at, suggested_account, suggested_cost_centre, suggested_confidence";

/// The lines' insert for each number of rows (index `rows - 1`).
static INSERT_LINES: LazyLock<Spelled> =
    LazyLock::new(|| inserts("review_lines", LINE_COLUMNS, LINES_PER_STATEMENT, ""));

const REVIEWED_LINES: &str = "SELECT rl.line_no, rl.account, rl.cost_centre, rl.vat_code, \
     rl.matches, dl.account AS suggested_account, dl.cost_centre AS suggested_cost_centre, \
     dl.vat_code AS suggested_vat_code \
     FROM review_lines rl \
     JOIN decision_lines dl ON dl.decision_id = rl.decision_id AND dl.line_no = rl.line_no \
     WHERE rl.decision_id = $1 ORDER BY rl.line_no";

/// What a controller decided for a decision sent to review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReview {
    /// The decision reviewed.
    pub decision_id: String,
    /// The controller's user name.
    pub reviewer: String,
    /// When, unix ms.
    pub reviewed_at: i64,
    /// One coding per line of the decision (any order; each line number exactly once).
    pub lines: Vec<ReviewLine>,
}

/// The controller's coding of one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewLine {
    /// The decision's line number.
    pub line_no: u32,
    /// Account (required).
    pub account: String,
    /// Cost centre, if the posting has one.
    pub cost_centre: Option<String>,
    /// VAT code, if the posting has one.
    pub vat_code: Option<String>,
}

/// A review as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredReview {
    /// The decision reviewed.
    pub decision_id: String,
    /// The controller's user name.
    pub reviewer: String,
    /// When, unix ms.
    pub reviewed_at: i64,
    /// The decision was a blind audit sample.
    pub audit: bool,
    /// The decision's area, when known.
    pub area: Option<String>,
    /// Every line matched the suggested coding (true for a decision without lines).
    pub agreed: bool,
    /// The lines by line number.
    pub lines: Vec<ReviewedLine>,
}

/// One reviewed line: the controller's coding beside the suggestion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewedLine {
    /// The decision's line number.
    pub line_no: u32,
    /// The controller's account.
    pub account: String,
    /// The controller's cost centre.
    pub cost_centre: Option<String>,
    /// The controller's VAT code.
    pub vat_code: Option<String>,
    /// The suggested account (for an audit sample: what the service would have posted).
    pub suggested_account: Option<String>,
    /// The suggested cost centre.
    pub suggested_cost_centre: Option<String>,
    /// The suggested VAT code.
    pub suggested_vat_code: Option<String>,
    /// Every field the suggestion has equals the controller's value; a suggestion without any
    /// coding never matches.
    pub matches: bool,
}

/// A suggested coding, as stored in `decision_lines`.
struct Suggestion {
    line_no: u32,
    account: Option<String>,
    cost_centre: Option<String>,
    vat_code: Option<String>,
    confidence: f64,
}

impl Store {
    /// Records a controller's review, durably, in one write transaction; returns it as stored.
    ///
    /// Refused, with nothing written, when the decision is not stored or not within `scope`
    /// ([`StoreError::UnknownDecision`]: the two look alike, so other areas' decisions are not
    /// revealed), was posted automatically ([`StoreError::NotForReview`]), is reviewed already
    /// ([`StoreError::AlreadyReviewed`], naming who reviewed it), the line numbers are not exactly
    /// the decision's ([`StoreError::LinesMismatch`]), or the reviewer or an account is empty
    /// ([`StoreError::InvalidReview`]).
    pub async fn record_review(
        &self,
        scope: &AreaScope,
        review: &NewReview,
    ) -> Result<StoredReview, StoreError> {
        let mut stored = self
            .record_reviews(scope, std::slice::from_ref(review))
            .await?;
        Ok(stored.pop().expect("one review recorded"))
    }

    /// Records several reviews, in order, in one write transaction and a few statements
    /// ([`REVIEWS_PER_STATEMENT`] decisions read, and reviews written, a statement); returns them
    /// as stored. All or nothing: the first review [`Store::record_review`] would refuse refuses
    /// the batch, with the same error (a decision reviewed earlier in the batch is
    /// [`StoreError::AlreadyReviewed`]).
    pub async fn record_reviews(
        &self,
        scope: &AreaScope,
        reviews: &[NewReview],
    ) -> Result<Vec<StoredReview>, StoreError> {
        for review in reviews {
            review.validate()?;
        }
        let mut tx = self.begin_write().await?;
        // Each decision read once, however often the batch names it.
        let mut ids: Vec<&str> = Vec::with_capacity(reviews.len());
        let mut named: HashSet<&str> = HashSet::with_capacity(reviews.len());
        for review in reviews {
            if named.insert(review.decision_id.as_str()) {
                ids.push(review.decision_id.as_str());
            }
        }
        let mut found: HashMap<String, ToReview> = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(REVIEWS_PER_STATEMENT) {
            read_to_review(&mut tx, self.engine, scope, chunk, &mut found).await?;
        }

        let mut stored: Vec<StoredReview> = Vec::with_capacity(reviews.len());
        let mut confidences: Vec<Vec<f64>> = Vec::with_capacity(reviews.len());
        let mut batch: HashMap<&str, &str> = HashMap::with_capacity(reviews.len());
        for review in reviews {
            let id = review.decision_id.as_str();
            let Some(decision) = found.get_mut(id) else {
                return Err(StoreError::UnknownDecision {
                    decision_id: id.to_owned(),
                });
            };
            if decision.outcome != Outcome::Review {
                return Err(StoreError::NotForReview {
                    decision_id: id.to_owned(),
                });
            }
            let earlier = decision
                .reviewer
                .clone()
                .or_else(|| batch.get(id).map(|r| (*r).to_owned()));
            if let Some(reviewer) = earlier {
                return Err(StoreError::AlreadyReviewed {
                    decision_id: id.to_owned(),
                    reviewer,
                });
            }
            batch.insert(id, review.reviewer.as_str());
            let suggestions = std::mem::take(&mut decision.suggestions);
            let expected: Vec<u32> = suggestions.iter().map(|s| s.line_no).collect();
            let mut given: Vec<&ReviewLine> = review.lines.iter().collect();
            given.sort_by_key(|l| l.line_no);
            if given.iter().map(|l| l.line_no).ne(expected.iter().copied()) {
                return Err(StoreError::LinesMismatch {
                    decision_id: id.to_owned(),
                    expected,
                    got: review.lines.iter().map(|l| l.line_no).collect(),
                });
            }
            confidences.push(suggestions.iter().map(|s| s.confidence).collect());
            let lines: Vec<ReviewedLine> = given
                .into_iter()
                .zip(suggestions)
                .map(|(line, suggested)| reviewed(line, suggested))
                .collect();
            stored.push(StoredReview {
                decision_id: id.to_owned(),
                reviewer: review.reviewer.clone(),
                reviewed_at: review.reviewed_at,
                audit: decision.audit,
                area: decision.area.clone(),
                agreed: lines.iter().all(|l| l.matches),
                lines,
            });
        }

        let action = "storing reviews";
        let with_rows: Vec<(&StoredReview, &ToReview)> =
            stored.iter().map(|r| (r, &found[&r.decision_id])).collect();
        for chunk in with_rows.chunks(REVIEWS_PER_STATEMENT) {
            let mut query = sqlx::query(INSERT_REVIEWS.get(self.engine, chunk.len()));
            for (r, decision) in chunk {
                query = query
                    .bind(&r.decision_id)
                    .bind(&r.reviewer)
                    .bind(r.reviewed_at)
                    .bind(flag(r.audit))
                    .bind(r.area.as_deref())
                    .bind(flag(r.agreed))
                    .bind(&decision.supplier)
                    .bind(decision.unit.as_deref());
            }
            query.execute(&mut *tx).await.map_err(db(action))?;
        }
        let rows: Vec<(&StoredReview, &ReviewedLine, f64)> = stored
            .iter()
            .zip(&confidences)
            .flat_map(|(r, c)| r.lines.iter().zip(c).map(move |(l, c)| (r, l, *c)))
            .collect();
        for chunk in rows.chunks(LINES_PER_STATEMENT) {
            let mut query = sqlx::query(INSERT_LINES.get(self.engine, chunk.len()));
            for (r, line, confidence) in chunk {
                query = query
                    .bind(&r.decision_id)
                    .bind(i64::from(line.line_no))
                    .bind(&line.account)
                    .bind(line.cost_centre.as_deref())
                    .bind(line.vat_code.as_deref())
                    .bind(flag(line.matches))
                    .bind(r.reviewed_at)
                    .bind(line.suggested_account.as_deref())
                    .bind(line.suggested_cost_centre.as_deref())
                    .bind(*confidence);
            }
            query.execute(&mut *tx).await.map_err(db(action))?;
        }
        let groups: Vec<(&StoredReview, &str, Option<&str>)> = with_rows
            .iter()
            .map(|(r, d)| (*r, d.supplier.as_str(), d.unit.as_deref()))
            .collect();
        crate::group_reviews::add_reviews(&mut tx, self.engine, &groups).await?;
        let reviewed: Vec<(&str, i64)> = stored
            .iter()
            .map(|r| (r.decision_id.as_str(), r.reviewed_at))
            .collect();
        crate::code_holds::add_reviews(&mut tx, &reviewed).await?;
        tx.commit().await.map_err(db(action))?;
        Ok(stored)
    }

    /// The review of a decision within `scope`, with its lines beside the suggestions; `None`
    /// when the decision is not reviewed, not stored, or of another area.
    pub async fn review(
        &self,
        scope: &AreaScope,
        decision_id: &str,
    ) -> Result<Option<StoredReview>, StoreError> {
        let mut conn = self
            .reader()
            .acquire()
            .await
            .map_err(db("reading a review"))?;
        let sql = format!(
            "SELECT decision_id, reviewer, reviewed_at, audit, area, agreed FROM reviews \
             WHERE decision_id = $1 AND {}",
            scope.condition("area", 2)
        );
        let Some(row) = scope
            .bind(sqlx::query(AssertSqlSafe(sql)).bind(decision_id))
            .fetch_optional(&mut *conn)
            .await
            .map_err(db("reading a review"))?
        else {
            return Ok(None);
        };
        let mut review = review_row(&row, |c| {
            Ok(StoredReview {
                decision_id: c.get("decision_id")?,
                reviewer: c.get("reviewer")?,
                reviewed_at: c.get("reviewed_at")?,
                audit: c.flag("audit")?,
                area: c.get("area")?,
                agreed: c.flag("agreed")?,
                lines: Vec::new(),
            })
        })?;
        // A review and its lines are written in one transaction and never updated.
        let rows = sqlx::query(REVIEWED_LINES)
            .bind(decision_id)
            .fetch_all(&mut *conn)
            .await
            .map_err(db("reading a review's lines"))?;
        review.lines = rows
            .iter()
            .map(|row| review_line_row(row, decision_id, reviewed_line))
            .collect::<Result<_, _>>()?;
        Ok(Some(review))
    }
}

impl NewReview {
    /// The checks that need no database: a reviewer, and an account on every line, with no
    /// field an empty string.
    fn validate(&self) -> Result<(), StoreError> {
        let fail = |problem: &str| {
            Err(StoreError::InvalidReview {
                decision_id: self.decision_id.clone(),
                problem: problem.to_owned(),
            })
        };
        if self.reviewer.is_empty() {
            return fail("the reviewer is empty; pass the signed-in user's name");
        }
        for line in &self.lines {
            if line.account.is_empty() {
                return fail("a line's account is empty; every line needs an account");
            }
            if line.cost_centre.as_deref() == Some("") || line.vat_code.as_deref() == Some("") {
                return fail("a line's cost centre or VAT code is empty; pass none instead");
            }
        }
        Ok(())
    }
}

/// What a review needs of its decision: the decision's row, the review stored already (its
/// reviewer), and the suggested codings of its lines by line number.
struct ToReview {
    outcome: Outcome,
    audit: bool,
    area: Option<String>,
    supplier: String,
    unit: Option<String>,
    reviewer: Option<String>,
    suggestions: Vec<Suggestion>,
}

/// Reads decisions `ids` (distinct; within `scope`) into `found` in one statement: each
/// decision's row with its earlier review, once per line.
async fn read_to_review(
    conn: &mut AnyConnection,
    engine: Engine,
    scope: &AreaScope,
    ids: &[&str],
    found: &mut HashMap<String, ToReview>,
) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT d.decision_id, d.outcome, d.audit, d.area, d.supplier, d.unit, r.reviewer, \
         dl.line_no, dl.account, dl.cost_centre, dl.vat_code, dl.confidence \
         FROM decisions d LEFT JOIN reviews r ON r.decision_id = d.decision_id \
         LEFT JOIN decision_lines dl ON dl.decision_id = d.decision_id \
         WHERE d.decision_id IN ({}) AND {} ORDER BY d.decision_id, dl.line_no",
        placeholders(1, ids.len()),
        scope.condition("d.area", ids.len() + 1)
    );
    let mut query = sqlx::query(AssertSqlSafe(engine.parameters(&sql)));
    for id in ids {
        query = query.bind(*id);
    }
    let rows = scope
        .bind(query)
        .fetch_all(&mut *conn)
        .await
        .map_err(db("reading the decisions to review"))?;
    for row in &rows {
        let id: String = sqlx::Row::try_get(row, "decision_id")
            .map_err(db("reading the decisions to review"))?;
        if !found.contains_key(&id) {
            let decision = decision_row(row, |c| {
                Ok(ToReview {
                    outcome: c.outcome("outcome")?,
                    audit: c.flag("audit")?,
                    area: c.get("area")?,
                    supplier: c.get("supplier")?,
                    unit: c.get("unit")?,
                    reviewer: c.get("reviewer")?,
                    suggestions: Vec::new(),
                })
            })?;
            found.insert(id.clone(), decision);
        }
        // A decision without lines has one row, its line columns empty.
        let line: Option<i64> =
            sqlx::Row::try_get(row, "line_no").map_err(db("reading the decisions to review"))?;
        if line.is_none() {
            continue;
        }
        let c = Cell {
            row,
            table: "decision_lines",
            id: &|| format!("a line of decision {id:?}"),
        };
        let suggestion = Suggestion {
            line_no: line_no(&c)?,
            account: c.get("account")?,
            cost_centre: c.get("cost_centre")?,
            vat_code: c.get("vat_code")?,
            confidence: c.get("confidence")?,
        };
        if let Some(decision) = found.get_mut(&id) {
            decision.suggestions.push(suggestion);
        }
    }
    Ok(())
}

/// The controller's line beside the suggestion, with whether they match.
fn reviewed(line: &ReviewLine, s: Suggestion) -> ReviewedLine {
    let coded = s.account.is_some() || s.cost_centre.is_some() || s.vat_code.is_some();
    let same = |suggested: &Option<String>, given: Option<&str>| {
        suggested.as_deref().is_none_or(|v| Some(v) == given)
    };
    let matches = coded
        && same(&s.account, Some(&line.account))
        && same(&s.cost_centre, line.cost_centre.as_deref())
        && same(&s.vat_code, line.vat_code.as_deref());
    ReviewedLine {
        line_no: line.line_no,
        account: line.account.clone(),
        cost_centre: line.cost_centre.clone(),
        vat_code: line.vat_code.clone(),
        suggested_account: s.account,
        suggested_cost_centre: s.cost_centre,
        suggested_vat_code: s.vat_code,
        matches,
    }
}

/// Reads a row of `reviews` through a [`Cell`] that names the decision in errors.
pub(crate) fn review_row<T>(
    row: &AnyRow,
    read: impl FnOnce(&Cell<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let raw_id: String = sqlx::Row::try_get(row, "decision_id").unwrap_or_default();
    read(&Cell {
        row,
        table: "reviews",
        id: &|| format!("review of decision {raw_id:?}"),
    })
}

/// Reads a row of `review_lines` through a [`Cell`] that names the line in errors.
pub(crate) fn review_line_row<T>(
    row: &AnyRow,
    decision_id: &str,
    read: impl FnOnce(&Cell<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let raw_line: i64 = sqlx::Row::try_get(row, "line_no").unwrap_or_default();
    read(&Cell {
        row,
        table: "review_lines",
        id: &|| format!("line {raw_line} of the review of decision {decision_id:?}"),
    })
}

/// The `line_no` column as a line number.
/// A reviewed line from a row of `review_lines` joined with its `decision_lines` suggestion
/// (columns as [`REVIEWED_LINES`] names them).
pub(crate) fn reviewed_line(c: &Cell<'_>) -> Result<ReviewedLine, StoreError> {
    Ok(ReviewedLine {
        line_no: line_no(c)?,
        account: c.get("account")?,
        cost_centre: c.get("cost_centre")?,
        vat_code: c.get("vat_code")?,
        suggested_account: c.get("suggested_account")?,
        suggested_cost_centre: c.get("suggested_cost_centre")?,
        suggested_vat_code: c.get("suggested_vat_code")?,
        matches: c.flag("matches")?,
    })
}

pub(crate) fn line_no(c: &Cell<'_>) -> Result<u32, StoreError> {
    let n: i64 = c.get("line_no")?;
    u32::try_from(n).map_err(|_| StoreError::Corrupt {
        table: c.table,
        column: "line_no",
        row: (c.id)(),
        value: n.to_string(),
        expected: "a line number from 0 to 4294967295",
    })
}
