-- PostgreSQL spelling of migrations/sqlite/0001_decisions.sql: the same tables, columns and indexes (BIGINT for
-- SQLite's INTEGER, DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for row ids).
-- Keep the two directories in step: every migration exists in both under the same number.

-- Decisions: one row per invoice the service has answered, written before the response is sent.
-- Portable on purpose (a PostgreSQL copy of these files comes later): decimals and dates are TEXT
-- (exact; dates as YYYY-MM-DD so they sort), booleans and times are BIGINT  (0/1, unix ms).
-- Rows are never updated: the review queue (next issue) adds a `reviews` table that references
-- decisions (decision_id) and holds what controllers decided.

CREATE TABLE decisions (
    decision_id     TEXT    NOT NULL PRIMARY KEY,
    idempotency_key TEXT    NOT NULL UNIQUE,
    received_at     BIGINT  NOT NULL,
    supplier        TEXT    NOT NULL,
    number          TEXT    NOT NULL,
    document_type   TEXT    NOT NULL,
    issue_date      TEXT    NOT NULL,
    -- The total as given (scale kept, e.g. 100.50) and normalised (100.5) for duplicate matching.
    total           TEXT    NOT NULL,
    total_key       TEXT    NOT NULL,
    currency        TEXT    NOT NULL,
    area            TEXT,
    unit            TEXT,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('auto', 'review')),
    would_auto      BIGINT  NOT NULL CHECK (would_auto IN (0, 1)),
    audit           BIGINT  NOT NULL CHECK (audit IN (0, 1)),
    model_version   TEXT    NOT NULL,
    -- Reason codes separated by newlines (codes never contain one).
    reasons         TEXT    NOT NULL,
    response        TEXT    NOT NULL
);

-- Duplicate checks: same supplier and number; same supplier, amount and nearby issue date.
CREATE INDEX decisions_supplier_number ON decisions (supplier, number);
CREATE INDEX decisions_supplier_amount ON decisions (supplier, total_key, issue_date);
-- The review queue: an area's open reviews in arrival order.
CREATE INDEX decisions_area_outcome ON decisions (area, outcome, received_at);

CREATE TABLE decision_lines (
    decision_id TEXT    NOT NULL REFERENCES decisions (decision_id),
    line_no     BIGINT  NOT NULL,
    description TEXT    NOT NULL,
    net_amount  TEXT    NOT NULL,
    account     TEXT,
    cost_centre TEXT,
    vat_code    TEXT,
    confidence  DOUBLE PRECISION    NOT NULL,
    source      TEXT    NOT NULL,
    PRIMARY KEY (decision_id, line_no)
);
