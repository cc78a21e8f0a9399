-- PostgreSQL spelling of migrations/sqlite/0006_reviews.sql: the same tables, columns and indexes (BIGINT for
-- SQLite's INTEGER, DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for row ids).
-- Keep the two directories in step: every migration exists in both under the same number.

-- Reviews: what a controller decided for a decision sent to review, one row per decision (a
-- decision is reviewed once), with the coding per line and whether it matched the suggestion in
-- decision_lines. `audit` and `area` are copied from the decision so the dashboard and the audit
-- window read this table alone. `reviewer` is a user name; rows are never updated.

CREATE TABLE reviews (
    decision_id TEXT    NOT NULL PRIMARY KEY REFERENCES decisions (decision_id),
    reviewer    TEXT    NOT NULL,
    reviewed_at BIGINT  NOT NULL,
    audit       BIGINT  NOT NULL CHECK (audit IN (0, 1)),
    area        TEXT,
    -- 1 when every line matched the suggested coding.
    agreed      BIGINT  NOT NULL CHECK (agreed IN (0, 1))
);

-- The dashboard: an area's reviews in time order.
CREATE INDEX reviews_area_at ON reviews (area, reviewed_at);
-- The audit window: an area's reviewed audit samples since a time.
CREATE INDEX reviews_audit_window ON reviews (area, reviewed_at) WHERE audit = 1;
-- The export: reviews since a time, in order.
CREATE INDEX reviews_at ON reviews (reviewed_at, decision_id);

-- A line matches when every field the suggestion has (non-NULL) equals the controller's value; a
-- suggestion without any coding never matches.
CREATE TABLE review_lines (
    decision_id TEXT    NOT NULL REFERENCES reviews (decision_id),
    line_no     BIGINT  NOT NULL,
    account     TEXT    NOT NULL,
    cost_centre TEXT,
    vat_code    TEXT,
    matches     BIGINT  NOT NULL CHECK (matches IN (0, 1)),
    PRIMARY KEY (decision_id, line_no),
    FOREIGN KEY (decision_id, line_no) REFERENCES decision_lines (decision_id, line_no)
);
