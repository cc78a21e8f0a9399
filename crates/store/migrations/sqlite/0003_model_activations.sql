-- Model activations: who made which model version the active one, when. The latest row (by time,
-- then insertion order) is the active model.

CREATE TABLE model_activations (
    id           INTEGER NOT NULL PRIMARY KEY,
    version      TEXT    NOT NULL,
    activated_by TEXT    NOT NULL,
    activated_at INTEGER NOT NULL,
    note         TEXT
);
CREATE INDEX model_activations_at ON model_activations (activated_at, id);
