-- PostgreSQL spelling of migrations/sqlite/0004_secrets.sql: the same tables, columns and indexes (BIGINT for
-- SQLite's INTEGER, DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for row ids).
-- Keep the two directories in step: every migration exists in both under the same number.

-- Secrets the service creates once and keeps, e.g. the salt of the audit draw. Every instance on
-- the same database reads the same value, so the audit draw agrees across instances.
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY NOT NULL,
    value      BYTEA NOT NULL
);
