-- Per-area controls set by administrators: automation pauses and threshold overrides, each with
-- its current value and an append-only history (who, when, why). `id INTEGER PRIMARY KEY` is
-- SQLite's row id; the PostgreSQL copy uses an identity column.

CREATE TABLE area_automation (
    area       TEXT    NOT NULL PRIMARY KEY,
    paused     INTEGER NOT NULL CHECK (paused IN (0, 1)),
    changed_by TEXT    NOT NULL,
    reason     TEXT,
    changed_at INTEGER NOT NULL
);

CREATE TABLE area_automation_history (
    id         INTEGER NOT NULL PRIMARY KEY,
    area       TEXT    NOT NULL,
    paused     INTEGER NOT NULL CHECK (paused IN (0, 1)),
    changed_by TEXT    NOT NULL,
    reason     TEXT,
    changed_at INTEGER NOT NULL
);
CREATE INDEX area_automation_history_area ON area_automation_history (area, changed_at);

CREATE TABLE area_thresholds (
    area      TEXT    NOT NULL PRIMARY KEY,
    threshold REAL    NOT NULL CHECK (threshold > 0 AND threshold <= 1),
    set_by    TEXT    NOT NULL,
    set_at    INTEGER NOT NULL
);

-- A NULL threshold records that the override was removed.
CREATE TABLE area_threshold_history (
    id        INTEGER NOT NULL PRIMARY KEY,
    area      TEXT    NOT NULL,
    threshold REAL CHECK (threshold IS NULL OR (threshold > 0 AND threshold <= 1)),
    set_by    TEXT    NOT NULL,
    set_at    INTEGER NOT NULL
);
CREATE INDEX area_threshold_history_area ON area_threshold_history (area, set_at);
