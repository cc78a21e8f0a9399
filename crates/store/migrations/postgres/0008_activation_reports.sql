-- PostgreSQL spelling of migrations/sqlite/0008_activation_reports.sql: the same tables, columns and indexes (BIGINT for
-- SQLite's INTEGER, DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for row ids).
-- Keep the two directories in step: every migration exists in both under the same number.

-- The comparison report an activation rests on (its path, checksum and verdict line), so the
-- activation log says not only who and when but on what evidence.
ALTER TABLE model_activations ADD COLUMN report TEXT;
