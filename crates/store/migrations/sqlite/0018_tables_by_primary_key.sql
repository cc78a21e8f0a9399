-- The codes' per-day evidence (0014) and each supplier × unit's newest reviewed lines (0016) are
-- only ever read and upserted by their primary key: before every held-code judgement (a code's
-- 90 days of sums) and before every invoice is decided (its supplier × unit's rows). As tables
-- with a rowid each row was found through the key's index and then fetched from the table, two
-- B-tree searches; WITHOUT ROWID tables keep the rows in the key's own B-tree, one search, and an
-- upsert writes one B-tree instead of two (benches/RESULTS.md, "Tables stored by their primary
-- key"). Small rows keyed by text, the case SQLite recommends WITHOUT ROWID for. The rows are
-- copied as they are.
CREATE TABLE code_evidence_days_by_key (
    field     TEXT    NOT NULL CHECK (field IN ('account', 'cost_centre')),
    code      TEXT    NOT NULL,
    day       INTEGER NOT NULL,
    reviewed  INTEGER NOT NULL,
    corrected INTEGER NOT NULL,
    expected  REAL    NOT NULL,
    PRIMARY KEY (field, code, day)
) WITHOUT ROWID;
INSERT INTO code_evidence_days_by_key (field, code, day, reviewed, corrected, expected)
SELECT field, code, day, reviewed, corrected, expected FROM code_evidence_days;
DROP TABLE code_evidence_days;
ALTER TABLE code_evidence_days_by_key RENAME TO code_evidence_days;

CREATE TABLE review_group_latest_by_key (
    supplier        TEXT    NOT NULL,
    unit_key        TEXT    NOT NULL,
    account_key     TEXT    NOT NULL,
    cost_centre_key TEXT    NOT NULL,
    vat_code_key    TEXT    NOT NULL,
    decision_id     TEXT    NOT NULL,
    reviewed_at     INTEGER NOT NULL,
    line_no         INTEGER NOT NULL,
    account         TEXT    NOT NULL,
    cost_centre     TEXT,
    vat_code        TEXT,
    matches         INTEGER NOT NULL CHECK (matches IN (0, 1)),
    PRIMARY KEY (supplier, unit_key, account_key, cost_centre_key, vat_code_key)
) WITHOUT ROWID;
INSERT INTO review_group_latest_by_key (supplier, unit_key, account_key, cost_centre_key,
    vat_code_key, decision_id, reviewed_at, line_no, account, cost_centre, vat_code, matches)
SELECT supplier, unit_key, account_key, cost_centre_key, vat_code_key, decision_id, reviewed_at,
    line_no, account, cost_centre, vat_code, matches
FROM review_group_latest;
DROP TABLE review_group_latest;
ALTER TABLE review_group_latest_by_key RENAME TO review_group_latest;
