-- PostgreSQL spelling of migrations/sqlite/0016_review_group_latest.sql: the same table and rows
-- (BIGINT for SQLite's INTEGER).
-- Keep the two directories in step: every migration exists in both under the same number.

-- A supplier × unit's newest reviewed line for each coding the service suggested: what the
-- service reads before it decides another invoice of the same supplier and unit (reason
-- `recent_change`, crates/store/src/group_reviews.rs). Kept up to date in each review's own write
-- transaction, so the read is a handful of rows by primary key, not a join over every line of the
-- group reviewed within a year (a large supplier's invoices to one unit are reviewed hundreds of
-- times a year, and that read was a third of a replay's time). A missing unit and a missing
-- suggested field are '' in the key columns. Lines reviewed before
-- this migration are taken from `reviews`, `review_lines` and `decision_lines`.
CREATE TABLE review_group_latest (
    supplier        TEXT    NOT NULL,
    unit_key        TEXT    NOT NULL,
    account_key     TEXT    NOT NULL,
    cost_centre_key TEXT    NOT NULL,
    vat_code_key    TEXT    NOT NULL,
    decision_id     TEXT    NOT NULL,
    reviewed_at     BIGINT  NOT NULL,
    line_no         BIGINT  NOT NULL,
    account         TEXT    NOT NULL,
    cost_centre     TEXT,
    vat_code        TEXT,
    matches         BIGINT  NOT NULL CHECK (matches IN (0, 1)),
    PRIMARY KEY (supplier, unit_key, account_key, cost_centre_key, vat_code_key)
);
INSERT INTO review_group_latest (supplier, unit_key, account_key, cost_centre_key, vat_code_key,
    decision_id, reviewed_at, line_no, account, cost_centre, vat_code, matches)
SELECT supplier, unit_key, account_key, cost_centre_key, vat_code_key,
    decision_id, reviewed_at, line_no, account, cost_centre, vat_code, matches
FROM (
    SELECT r.supplier, COALESCE(r.unit, '') AS unit_key, COALESCE(dl.account, '') AS account_key,
        COALESCE(dl.cost_centre, '') AS cost_centre_key, COALESCE(dl.vat_code, '') AS vat_code_key,
        r.decision_id, r.reviewed_at, rl.line_no, rl.account, rl.cost_centre, rl.vat_code,
        rl.matches,
        ROW_NUMBER() OVER (
            PARTITION BY r.supplier, COALESCE(r.unit, ''), COALESCE(dl.account, ''),
                COALESCE(dl.cost_centre, ''), COALESCE(dl.vat_code, '')
            ORDER BY r.reviewed_at DESC, r.decision_id DESC, rl.line_no) AS newest
    FROM reviews r
    JOIN review_lines rl ON rl.decision_id = r.decision_id
    JOIN decision_lines dl ON dl.decision_id = rl.decision_id AND dl.line_no = rl.line_no
    WHERE r.supplier IS NOT NULL
) g
WHERE newest = 1;
-- Read from the table above alone now.
DROP INDEX reviews_group;
