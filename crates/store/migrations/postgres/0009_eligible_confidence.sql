-- PostgreSQL spelling of migrations/sqlite/0009_eligible_confidence.sql: the same tables, columns and indexes (BIGINT for
-- SQLite's INTEGER, DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for row ids).
-- Keep the two directories in step: every migration exists in both under the same number.

-- The confidence of a decision the model could have posted (screening passed, every line coded
-- with enough support; its least confident line), whatever the threshold and pause then said;
-- NULL otherwise. The audit rule projects precision over these when it moves an area's threshold.
ALTER TABLE decisions ADD COLUMN eligible_confidence DOUBLE PRECISION;
CREATE INDEX decisions_area_model_eligible ON decisions (area, model_version, received_at)
    WHERE eligible_confidence IS NOT NULL;
