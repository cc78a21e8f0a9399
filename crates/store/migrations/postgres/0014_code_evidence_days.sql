-- PostgreSQL spelling of migrations/sqlite/0014_code_evidence_days.sql: the same table and rows
-- (BIGINT for SQLite's INTEGER, DOUBLE PRECISION for REAL).
-- Keep the two directories in step: every migration exists in both under the same number.

-- A held code's evidence per day: the reviewed lines that suggested each account and cost
-- centre, summed per (field, code, UTC day) in the review's own write transaction. A code's
-- evidence over 90 days then reads at most 89 of these rows and the lines of the window's two
-- partial days, not every reviewed line that suggested it (thousands a quarter for a common
-- account, read again after every review). Lines reviewed before this migration are summed here.
CREATE TABLE code_evidence_days (
    field     TEXT    NOT NULL CHECK (field IN ('account', 'cost_centre')),
    code      TEXT    NOT NULL,
    -- reviewed_at / 86,400,000: days since 1970-01-01, UTC.
    day       BIGINT  NOT NULL,
    reviewed  BIGINT  NOT NULL,
    corrected BIGINT  NOT NULL,
    expected  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (field, code, day)
);
INSERT INTO code_evidence_days (field, code, day, reviewed, corrected, expected)
SELECT 'account', suggested_account, reviewed_at / 86400000, COUNT(*),
    SUM(CASE WHEN account <> suggested_account THEN 1 ELSE 0 END),
    SUM(CASE WHEN COALESCE(suggested_confidence, 0.0) < 0.9999
        THEN 1.0 - COALESCE(suggested_confidence, 0.0) ELSE 0.0001 END)
FROM review_lines WHERE suggested_account IS NOT NULL AND reviewed_at IS NOT NULL
GROUP BY suggested_account, reviewed_at / 86400000
UNION ALL
SELECT 'cost_centre', suggested_cost_centre, reviewed_at / 86400000, COUNT(*),
    SUM(CASE WHEN cost_centre IS DISTINCT FROM suggested_cost_centre THEN 1 ELSE 0 END),
    SUM(CASE WHEN COALESCE(suggested_confidence, 0.0) < 0.9999
        THEN 1.0 - COALESCE(suggested_confidence, 0.0) ELSE 0.0001 END)
FROM review_lines WHERE suggested_cost_centre IS NOT NULL AND reviewed_at IS NOT NULL
GROUP BY suggested_cost_centre, reviewed_at / 86400000;
