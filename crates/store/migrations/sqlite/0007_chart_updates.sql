-- Chart-of-accounts updates loaded into the service (`PUT /v1/chart`, or the `chart_update` file
-- named in the configuration): the file as sent, its SHA-256, who loaded it and when. The latest
-- row (by time, then insertion order) is the update in force for every instance.
CREATE TABLE chart_updates (
    id        INTEGER NOT NULL PRIMARY KEY,
    body      TEXT    NOT NULL,
    sha256    TEXT    NOT NULL,
    loaded_by TEXT    NOT NULL,
    loaded_at INTEGER NOT NULL,
    note      TEXT
);
CREATE INDEX chart_updates_at ON chart_updates (loaded_at, id);
CREATE INDEX chart_updates_sha256 ON chart_updates (sha256);
