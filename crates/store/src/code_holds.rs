//! Held codes: the evidence on one suggested account or cost centre from the reviewed lines (how
//! many lines suggesting it controllers reviewed, how many of those they coded otherwise in that
//! field, and how many errors the suggestions' confidences predicted), and each change of a
//! code's hold with that evidence; the latest change per code is in force.

use std::collections::BTreeMap;

use sqlx::any::AnyRow;

use crate::codec::{Cell, flag};
use crate::error::db;
use crate::{Store, StoreError};

/// A coding field a code is held in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CodeField {
    /// The account.
    Account,
    /// The cost centre.
    CostCentre,
}

impl CodeField {
    /// Both fields.
    pub const ALL: [CodeField; 2] = [CodeField::Account, CodeField::CostCentre];

    /// The field's name as stored (and in the coding vocabulary).
    pub fn as_str(self) -> &'static str {
        match self {
            CodeField::Account => "account",
            CodeField::CostCentre => "cost_centre",
        }
    }

    fn parse(s: &str) -> Option<CodeField> {
        CodeField::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// Reviewed lines that suggested a code: a correction is a controller's other value in the field;
/// each line predicts `1 − confidence` errors (at least 0.0001). Uses the indexes
/// `review_lines_account` and `review_lines_cost_centre`.
const ACCOUNT_EVIDENCE: &str = "SELECT COUNT(*) AS reviewed, \
     COALESCE(SUM(CASE WHEN account <> suggested_account THEN 1 ELSE 0 END), 0) AS corrected, \
     COALESCE(SUM(CASE WHEN COALESCE(suggested_confidence, 0.0) < 0.9999 \
         THEN 1.0 - COALESCE(suggested_confidence, 0.0) ELSE 0.0001 END), 0.0) AS expected \
     FROM review_lines WHERE suggested_account = $1 AND reviewed_at BETWEEN $2 AND $3";

const COST_CENTRE_EVIDENCE: &str = "SELECT COUNT(*) AS reviewed, \
     COALESCE(SUM(CASE WHEN cost_centre IS DISTINCT FROM suggested_cost_centre \
         THEN 1 ELSE 0 END), 0) AS corrected, \
     COALESCE(SUM(CASE WHEN COALESCE(suggested_confidence, 0.0) < 0.9999 \
         THEN 1.0 - COALESCE(suggested_confidence, 0.0) ELSE 0.0001 END), 0.0) AS expected \
     FROM review_lines WHERE suggested_cost_centre = $1 AND reviewed_at BETWEEN $2 AND $3";

const INSERT: &str = "INSERT INTO code_holds \
     (field, code, held, judged_at, reviewed, corrected, expected, message) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Each code's latest change, where it holds the code.
const IN_FORCE: &str = "SELECT h.field, h.code, h.held, h.judged_at, h.reviewed, h.corrected, \
     h.expected, h.message FROM code_holds h \
     WHERE h.held = 1 AND h.id = (SELECT MAX(g.id) FROM code_holds g \
         WHERE g.field = h.field AND g.code = h.code) \
     ORDER BY h.field, h.code";

/// What the reviewed lines say of one suggested code.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CodeEvidence {
    /// Reviewed lines that suggested the code.
    pub reviewed: u64,
    /// Of those, coded otherwise in the field by the controller.
    pub corrected: u64,
    /// The errors their confidences predicted: the sum of `1 − confidence`.
    pub expected: f64,
}

/// A change of a code's hold.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeHold {
    /// The field the code is in.
    pub field: CodeField,
    /// The account or cost centre.
    pub code: String,
    /// Held from now on (`false`: released).
    pub held: bool,
    /// When, unix ms.
    pub judged_at: i64,
    /// The evidence it was judged on.
    pub evidence: CodeEvidence,
    /// The judgement as one sentence, for controllers.
    pub message: String,
}

impl Store {
    /// The evidence on `code` in `field` from the lines reviewed from `since_ms` to `until_ms`.
    pub async fn code_evidence(
        &self,
        field: CodeField,
        code: &str,
        since_ms: i64,
        until_ms: i64,
    ) -> Result<CodeEvidence, StoreError> {
        let sql = match field {
            CodeField::Account => ACCOUNT_EVIDENCE,
            CodeField::CostCentre => COST_CENTRE_EVIDENCE,
        };
        let (reviewed, corrected, expected): (i64, i64, f64) = sqlx::query_as(sql)
            .bind(code)
            .bind(since_ms)
            .bind(until_ms)
            .fetch_one(self.reader())
            .await
            .map_err(db("reading a code's reviewed lines"))?;
        Ok(CodeEvidence {
            reviewed: u64::try_from(reviewed).unwrap_or(0),
            corrected: u64::try_from(corrected).unwrap_or(0),
            expected,
        })
    }

    /// Records a change of a code's hold; from now on it is the code's hold in force.
    pub async fn record_code_hold(&self, h: &CodeHold) -> Result<(), StoreError> {
        sqlx::query(INSERT)
            .bind(h.field.as_str())
            .bind(&h.code)
            .bind(flag(h.held))
            .bind(h.judged_at)
            .bind(i64::try_from(h.evidence.reviewed).unwrap_or(i64::MAX))
            .bind(i64::try_from(h.evidence.corrected).unwrap_or(i64::MAX))
            .bind(h.evidence.expected)
            .bind(&h.message)
            .execute(self.writer())
            .await
            .map_err(db("recording a code's hold"))?;
        Ok(())
    }

    /// The codes held now, with the change that held them.
    pub async fn code_holds(&self) -> Result<BTreeMap<(CodeField, String), CodeHold>, StoreError> {
        let rows = sqlx::query(IN_FORCE)
            .fetch_all(self.reader())
            .await
            .map_err(db("reading the held codes"))?;
        rows.iter()
            .map(|row| {
                let h = hold(row)?;
                Ok(((h.field, h.code.clone()), h))
            })
            .collect()
    }
}

fn hold(row: &AnyRow) -> Result<CodeHold, StoreError> {
    let code: String = sqlx::Row::try_get(row, "code").unwrap_or_default();
    let id = || format!("the hold of code {code:?}");
    let c = Cell {
        row,
        table: "code_holds",
        id: &id,
    };
    let count = |column: &'static str| -> Result<u64, StoreError> {
        let n: i64 = c.get(column)?;
        u64::try_from(n).map_err(|_| c.corrupt(column, n.to_string(), "a count"))
    };
    let field: String = c.get("field")?;
    Ok(CodeHold {
        field: CodeField::parse(&field)
            .ok_or_else(|| c.corrupt("field", field.clone(), "account or cost_centre"))?,
        code: c.get("code")?,
        held: c.flag("held")?,
        judged_at: c.get("judged_at")?,
        evidence: CodeEvidence {
            reviewed: count("reviewed")?,
            corrected: count("corrected")?,
            expected: c.get("expected")?,
        },
        message: c.get("message")?,
    })
}
