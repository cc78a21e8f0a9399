-- PostgreSQL spelling of migrations/sqlite/0005_users.sql: the same tables, columns and indexes (BIGINT for
-- SQLite's INTEGER, DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for row ids).
-- Keep the two directories in step: every migration exists in both under the same number.

-- Who may use the service: users with one role each, the areas a controller works, API tokens and
-- browser sessions. Secrets are never stored: passwords as argon2id hashes (PHC strings), tokens
-- and session ids as SHA-256 hex digests of high-entropy random values.

CREATE TABLE users (
    name          TEXT    NOT NULL PRIMARY KEY,
    role          TEXT    NOT NULL CHECK (role IN ('integration', 'controller', 'analyst', 'admin')),
    -- NULL: the user cannot sign in with a password (API tokens only).
    password_hash TEXT,
    disabled      BIGINT  NOT NULL CHECK (disabled IN (0, 1)),
    created_at    BIGINT  NOT NULL
);

-- The areas a user works; the area '*' stands for every area, including invoices with none.
CREATE TABLE user_areas (
    user_name TEXT NOT NULL REFERENCES users (name),
    area      TEXT NOT NULL,
    PRIMARY KEY (user_name, area)
);

CREATE TABLE api_tokens (
    token_hash TEXT    NOT NULL PRIMARY KEY,
    user_name  TEXT    NOT NULL REFERENCES users (name),
    label      TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    revoked    BIGINT  NOT NULL CHECK (revoked IN (0, 1))
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);

CREATE TABLE sessions (
    session_hash TEXT    NOT NULL PRIMARY KEY,
    user_name    TEXT    NOT NULL REFERENCES users (name),
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);
