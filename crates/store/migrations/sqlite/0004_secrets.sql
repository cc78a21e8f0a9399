-- Secrets the service creates once and keeps, e.g. the salt of the audit draw. Every instance on
-- the same database reads the same value, so the audit draw agrees across instances.
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY NOT NULL,
    value      BLOB NOT NULL
);
