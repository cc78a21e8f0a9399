//! Held codes: the evidence on one suggested account or cost centre from the reviewed lines (how
//! many lines suggesting it controllers reviewed, how many of those they coded otherwise in that
//! field, and how many errors the suggestions' confidences predicted), and each change of a
//! code's hold with that evidence; the latest change per code is in force.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::codec::{Cell, flag, placeholders};
use crate::error::db;
use crate::review::REVIEWS_PER_STATEMENT;
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

/// Milliseconds in a day: a reviewed line's day is `reviewed_at / DAY_MS` (UTC).
const DAY_MS: i64 = 86_400_000;

/// One field's columns in `review_lines`: the suggested code, and a line's correction (the
/// controller's other value in the field) as 1 or 0.
struct FieldColumns {
    field: CodeField,
    suggested: &'static str,
    corrected: &'static str,
}

const ACCOUNT: FieldColumns = FieldColumns {
    field: CodeField::Account,
    suggested: "suggested_account",
    corrected: "CASE WHEN account <> suggested_account THEN 1 ELSE 0 END",
};

const COST_CENTRE: FieldColumns = FieldColumns {
    field: CodeField::CostCentre,
    suggested: "suggested_cost_centre",
    corrected: "CASE WHEN cost_centre IS DISTINCT FROM suggested_cost_centre THEN 1 ELSE 0 END",
};

/// The errors a reviewed line's suggestion predicted: `1 − confidence`, at least 0.0001.
const PREDICTED: &str = "CASE WHEN COALESCE(suggested_confidence, 0.0) < 0.9999 \
     THEN 1.0 - COALESCE(suggested_confidence, 0.0) ELSE 0.0001 END";

impl FieldColumns {
    fn of(field: CodeField) -> &'static FieldColumns {
        match field {
            CodeField::Account => &ACCOUNT,
            CodeField::CostCentre => &COST_CENTRE,
        }
    }

    /// The standing of the code in `${code}` as row `index`: the whole days `$1..=$2` from
    /// `code_evidence_days`, the lines reviewed in `$3..=$4` and `$5..=$6` (the window's partial
    /// first and last days) from `review_lines` (index `review_lines_account` or
    /// `review_lines_cost_centre`), and the latest change of the code's hold.
    fn standing_sql(&self, index: usize, code: usize) -> String {
        let field = self.field.as_str();
        let line = format!(
            "SELECT 1 AS reviewed, {} AS corrected, {PREDICTED} AS expected FROM review_lines \
             WHERE {} = ${code} AND reviewed_at BETWEEN",
            self.corrected, self.suggested
        );
        format!(
            "SELECT CAST({index} AS BIGINT) AS i, \
             CAST(COALESCE(SUM(e.reviewed), 0) AS BIGINT) AS reviewed, \
             CAST(COALESCE(SUM(e.corrected), 0) AS BIGINT) AS corrected, \
             COALESCE(SUM(e.expected), 0.0) AS expected, \
             (SELECT h.held FROM code_holds h WHERE h.field = '{field}' AND h.code = ${code} \
                 ORDER BY h.id DESC LIMIT 1) AS held \
             FROM (SELECT reviewed, corrected, expected FROM code_evidence_days \
                 WHERE field = '{field}' AND code = ${code} AND day BETWEEN $1 AND $2 \
               UNION ALL {line} $3 AND $4 \
               UNION ALL {line} $5 AND $6) e"
        )
    }

    /// One field's part of [`ADD_REVIEWS`]: the reviews' lines grouped by suggested code;
    /// `ids` the placeholders of the reviewed decisions.
    fn day_sql(&self, ids: &str) -> String {
        format!(
            "SELECT '{}', {s}, CAST($1 AS BIGINT), COUNT(*), SUM({}), SUM({PREDICTED}) \
             FROM review_lines WHERE decision_id IN ({ids}) AND {s} IS NOT NULL GROUP BY {s}",
            self.field.as_str(),
            self.corrected,
            s = self.suggested
        )
    }
}

/// At most this many codes are read in one statement (one parameter each, and six for the
/// window): few, as sqlx's SQLite driver binds in time growing with the square of the
/// parameters (see `record.rs`).
const CODES_PER_READ: usize = 16;

/// The standings of `codes` in order, one row each (`i` its index), in one statement: the
/// window's six parameters first, then one per code.
fn standings_sql(codes: &[(CodeField, &str)]) -> String {
    codes
        .iter()
        .enumerate()
        .map(|(i, (field, _))| FieldColumns::of(*field).standing_sql(i, 7 + i))
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
        + " ORDER BY i"
}

/// Adds the lines of the reviews of decisions `$2`, `$3`, … (one for each of `reviews`, all
/// reviewed on day `$1`) to their codes' day in `code_evidence_days`.
fn add_reviews_sql(reviews: usize) -> String {
    let ids = placeholders(2, reviews);
    format!(
        "INSERT INTO code_evidence_days (field, code, day, reviewed, corrected, expected) \
         {} UNION ALL {} \
         ON CONFLICT (field, code, day) DO UPDATE SET \
         reviewed = code_evidence_days.reviewed + excluded.reviewed, \
         corrected = code_evidence_days.corrected + excluded.corrected, \
         expected = code_evidence_days.expected + excluded.expected",
        ACCOUNT.day_sql(&ids),
        COST_CENTRE.day_sql(&ids)
    )
}

/// [`add_reviews_sql`] for each number of reviews (index `reviews - 1`).
static ADD_REVIEWS: LazyLock<Vec<String>> =
    LazyLock::new(|| (1..=REVIEWS_PER_STATEMENT).map(add_reviews_sql).collect());

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

/// What the store holds on one code: its evidence over a window, and whether the hold in force
/// holds it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CodeStanding {
    /// The reviewed lines' evidence within the window asked for.
    pub evidence: CodeEvidence,
    /// The code's latest change held it (no change, or a release: `false`).
    pub held: bool,
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
    /// The standing of each of `codes` (in order) over the lines reviewed from `since_ms` to
    /// `until_ms` (unix ms, both included), read together: the whole days between from the
    /// per-day sums, the two partial days from their lines, so the cost does not grow with the
    /// lines that suggested a code, nor the round trips with the codes.
    pub async fn code_standings(
        &self,
        codes: &[(CodeField, &str)],
        since_ms: i64,
        until_ms: i64,
    ) -> Result<Vec<CodeStanding>, StoreError> {
        let window = Window::new(since_ms, until_ms);
        let mut out = Vec::with_capacity(codes.len());
        for chunk in codes.chunks(CODES_PER_READ) {
            let sql = standings_sql(chunk);
            let mut query =
                sqlx::query_as::<_, (i64, i64, i64, f64, Option<i64>)>(AssertSqlSafe(sql))
                    .bind(window.days.0)
                    .bind(window.days.1)
                    .bind(window.first.0)
                    .bind(window.first.1)
                    .bind(window.last.0)
                    .bind(window.last.1);
            for (_, code) in chunk {
                query = query.bind(*code);
            }
            let rows = query
                .fetch_all(self.reader())
                .await
                .map_err(db("reading codes' reviewed lines"))?;
            out.extend(
                rows.into_iter()
                    .map(|(_, reviewed, corrected, expected, held)| CodeStanding {
                        evidence: CodeEvidence {
                            reviewed: u64::try_from(reviewed).unwrap_or(0),
                            corrected: u64::try_from(corrected).unwrap_or(0),
                            expected,
                        },
                        held: held == Some(1),
                    }),
            );
        }
        Ok(out)
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

/// A window of review times split for [`Store::code_standings`]: whole days (inclusive day
/// numbers) and the two partial days' ms ranges (inclusive; an empty range is `(1, 0)`). A first
/// or last day the window covers from its first to its last millisecond is a whole day: read
/// from its sums, not its lines (a replay judges at midnight, so its windows start on one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    days: (i64, i64),
    first: (i64, i64),
    last: (i64, i64),
}

impl Window {
    const EMPTY: (i64, i64) = (1, 0);

    fn new(since_ms: i64, until_ms: i64) -> Window {
        let (d0, d1) = (since_ms.div_euclid(DAY_MS), until_ms.div_euclid(DAY_MS));
        if d0 >= d1 {
            // Within one day, or backwards (`first` is then an empty range): the lines alone.
            return Window {
                days: Window::EMPTY,
                first: (since_ms, until_ms),
                last: Window::EMPTY,
            };
        }
        let first_whole = since_ms == d0 * DAY_MS;
        let last_whole = until_ms == (d1 + 1) * DAY_MS - 1;
        Window {
            days: (
                if first_whole { d0 } else { d0 + 1 },
                if last_whole { d1 } else { d1 - 1 },
            ),
            first: if first_whole {
                Window::EMPTY
            } else {
                (since_ms, (d0 + 1) * DAY_MS - 1)
            },
            last: if last_whole {
                Window::EMPTY
            } else {
                (d1 * DAY_MS, until_ms)
            },
        }
    }
}

/// Adds the lines of the reviews of `reviewed` (decision id and review time; stored in `tx`) to
/// the per-day evidence of the codes they suggested: one statement per day and
/// [`REVIEWS_PER_STATEMENT`] reviews.
pub(crate) async fn add_reviews(
    tx: &mut sqlx::AnyConnection,
    reviewed: &[(&str, i64)],
) -> Result<(), StoreError> {
    let mut by_day: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for (id, at) in reviewed {
        by_day.entry(at.div_euclid(DAY_MS)).or_default().push(id);
    }
    for (day, ids) in by_day {
        for chunk in ids.chunks(REVIEWS_PER_STATEMENT) {
            let mut query = sqlx::query(ADD_REVIEWS[chunk.len() - 1].as_str()).bind(day);
            for id in chunk {
                query = query.bind(*id);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(db("adding reviews to their codes' evidence"))?;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_splits_into_its_partial_first_and_last_days_and_the_whole_days_between() {
        let at = |day: i64, ms: i64| day * DAY_MS + ms;
        let w = Window::new(at(10, 500), at(100, 7));
        assert_eq!(w.days, (11, 99));
        assert_eq!(w.first, (at(10, 500), at(11, 0) - 1));
        assert_eq!(w.last, (at(100, 0), at(100, 7)));
        // Every ms of the window is in exactly one part.
        for ms in [
            at(10, 500),
            at(11, 0) - 1,
            at(11, 0),
            at(99, DAY_MS - 1),
            at(100, 0),
            at(100, 7),
        ] {
            let day = ms.div_euclid(DAY_MS);
            let parts = [
                (w.days.0..=w.days.1).contains(&day),
                (w.first.0..=w.first.1).contains(&ms),
                (w.last.0..=w.last.1).contains(&ms),
            ];
            assert_eq!(parts.iter().filter(|p| **p).count(), 1, "{ms}: {parts:?}");
        }
        // Next days: no whole day between.
        let w = Window::new(at(10, 500), at(11, 3));
        assert!(w.days.0 > w.days.1);
        assert_eq!(
            (w.first, w.last),
            ((at(10, 500), at(11, 0) - 1), (at(11, 0), at(11, 3)))
        );
        // One day: its lines only.
        let w = Window::new(at(10, 5), at(10, 9));
        assert_eq!(
            (w.first, w.last.0 > w.last.1, w.days.0 > w.days.1),
            ((at(10, 5), at(10, 9)), true, true)
        );
        // Backwards: nothing.
        let w = Window::new(at(10, 9), at(10, 5));
        assert!(w.days.0 > w.days.1 && w.first.0 > w.first.1 && w.last.0 > w.last.1);
    }

    #[test]
    fn a_first_or_last_day_covered_whole_is_read_from_its_sums() {
        let at = |day: i64, ms: i64| day * DAY_MS + ms;
        let empty = |r: (i64, i64)| r.0 > r.1;
        // From midnight: the first day is whole, the last partial.
        let w = Window::new(at(10, 0), at(100, 7));
        assert_eq!(w.days, (10, 99));
        assert!(empty(w.first));
        assert_eq!(w.last, (at(100, 0), at(100, 7)));
        // To the last millisecond of a day: the last day is whole.
        let w = Window::new(at(10, 500), at(101, 0) - 1);
        assert_eq!(w.days, (11, 100));
        assert_eq!(w.first, (at(10, 500), at(11, 0) - 1));
        assert!(empty(w.last));
        // Both: whole days only.
        let w = Window::new(at(10, 0), at(101, 0) - 1);
        assert_eq!(w.days, (10, 100));
        assert!(empty(w.first) && empty(w.last));
        // A window ending at midnight keeps that day's first millisecond as its partial day.
        let w = Window::new(at(10, 0), at(100, 0));
        assert_eq!((w.days, w.last), ((10, 99), (at(100, 0), at(100, 0))));
    }

    /// A code's days are read from the table's own key (migration 0018 stores it WITHOUT ROWID),
    /// not through an index and then the table.
    #[tokio::test]
    async fn a_codes_days_are_read_by_the_tables_own_key() {
        let (_dir, store) = crate::query_plan::new_sqlite_store().await;
        let sql = standings_sql(&[(CodeField::Account, "4400")]);
        let plan = crate::query_plan::sqlite_plan(&store, &sql, &[]).await;
        assert!(
            plan.contains("SEARCH code_evidence_days USING PRIMARY KEY (field=? AND code=? AND day>? AND day<?)"),
            "{plan}"
        );
    }
}
