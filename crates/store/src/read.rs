//! Reading a stored decision with its lines, by idempotency key or by decision id.

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::codec::{Cell, decision_row, split_reasons};
use crate::error::db;
use crate::{Decision, Line, Store, StoreError};

/// `SELECT` of every decision column, filtered on one column.
macro_rules! select_decision_where {
    ($column:literal) => {
        concat!(
            "SELECT decision_id, idempotency_key, received_at, supplier, number, document_type, ",
            "issue_date, total, currency, area, unit, outcome, would_auto, audit, model_version, ",
            "reasons, response, eligible_confidence FROM decisions WHERE ",
            $column,
            " = $1"
        )
    };
}

const BY_KEY: &str = select_decision_where!("idempotency_key");
const BY_ID: &str = select_decision_where!("decision_id");

const LINES: &str = "SELECT line_no, description, net_amount, account, cost_centre, vat_code, \
     confidence, source FROM decision_lines WHERE decision_id = $1 ORDER BY line_no";

/// Which decision to read.
pub(crate) enum By<'a> {
    /// By idempotency key.
    Key(&'a str),
    /// By decision id.
    Id(&'a str),
}

impl Store {
    /// The decision stored under an idempotency key, with its lines.
    pub async fn decision(&self, key: &str) -> Result<Option<Decision>, StoreError> {
        let mut conn = self
            .reader()
            .acquire()
            .await
            .map_err(db("reading a decision"))?;
        load_decision(&mut conn, By::Key(key)).await
    }

    /// The decision with this decision id, with its lines.
    pub async fn decision_by_id(&self, decision_id: &str) -> Result<Option<Decision>, StoreError> {
        let mut conn = self
            .reader()
            .acquire()
            .await
            .map_err(db("reading a decision"))?;
        load_decision(&mut conn, By::Id(decision_id)).await
    }
}

/// Reads one decision and its lines on the given connection (inside a transaction or not).
pub(crate) async fn load_decision(
    conn: &mut AnyConnection,
    by: By<'_>,
) -> Result<Option<Decision>, StoreError> {
    let (sql, value) = match by {
        By::Key(key) => (BY_KEY, key),
        By::Id(id) => (BY_ID, id),
    };
    let Some(row) = sqlx::query(sql)
        .bind(value)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("reading a decision"))?
    else {
        return Ok(None);
    };
    let mut decision = decision_from_row(&row)?;
    let rows = sqlx::query(LINES)
        .bind(&decision.decision_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db("reading decision lines"))?;
    decision.lines = rows
        .iter()
        .map(|r| line_from_row(r, &decision.decision_id))
        .collect::<Result<_, _>>()?;
    Ok(Some(decision))
}

fn decision_from_row(row: &AnyRow) -> Result<Decision, StoreError> {
    decision_row(row, |c| {
        let reasons: String = c.get("reasons")?;
        Ok(Decision {
            key: c.get("idempotency_key")?,
            decision_id: c.get("decision_id")?,
            received_at: c.get("received_at")?,
            supplier: c.get("supplier")?,
            number: c.get("number")?,
            document_type: c.get("document_type")?,
            issue_date: c.date("issue_date")?,
            total: c.decimal("total")?,
            currency: c.get("currency")?,
            area: c.get("area")?,
            unit: c.get("unit")?,
            outcome: c.outcome("outcome")?,
            would_auto: c.flag("would_auto")?,
            audit: c.flag("audit")?,
            eligible_confidence: c.get("eligible_confidence")?,
            model_version: c.get("model_version")?,
            reasons: split_reasons(&reasons),
            response: c.response("response")?,
            lines: Vec::new(),
        })
    })
}

fn line_from_row(row: &AnyRow, decision_id: &str) -> Result<Line, StoreError> {
    let line_no: i64 = sqlx::Row::try_get(row, "line_no").unwrap_or_default();
    let id = || format!("line {line_no} of decision {decision_id:?}");
    let c = Cell {
        row,
        table: "decision_lines",
        id: &id,
    };
    Ok(Line {
        line_no: u32::try_from(line_no).map_err(|_| StoreError::Corrupt {
            table: "decision_lines",
            column: "line_no",
            row: id(),
            value: line_no.to_string(),
            expected: "a line number from 0 to 4294967295",
        })?,
        description: c.get("description")?,
        net_amount: c.decimal("net_amount")?,
        account: c.get("account")?,
        cost_centre: c.get("cost_centre")?,
        vat_code: c.get("vat_code")?,
        confidence: c.get("confidence")?,
        source: c.get("source")?,
    })
}
