-- Thresholds that follow the audit: every move of an area's threshold the audit rule made for a
-- model version (raised when the blind audits show more errors than the confidences promised,
-- back towards the model's own threshold as the evidence recovers), with the evidence it rested
-- on and the sentence shown to controllers and analysts. Append-only: the latest row per area and
-- model version is the adapted threshold in force. `threshold` may exceed 1 (nothing automated).
-- `id INTEGER PRIMARY KEY` is SQLite's row id; the PostgreSQL copy uses an identity column.
CREATE TABLE threshold_adjustments (
    id                  INTEGER NOT NULL PRIMARY KEY,
    area                TEXT    NOT NULL,
    model_version       TEXT    NOT NULL,
    adjusted_at         INTEGER NOT NULL,
    -- The threshold without the audit rule (the model's, the configuration's or an override).
    base                REAL    NOT NULL,
    -- The audit rule's threshold before this row (NULL: none recorded for the area and model).
    previous            REAL,
    threshold           REAL    NOT NULL CHECK (threshold > 0),
    basis               TEXT    NOT NULL
        CHECK (basis IN ('too_little_evidence', 'enough_audits', 'credible_breach')),
    audited             INTEGER NOT NULL CHECK (audited >= 0),
    errors              INTEGER NOT NULL CHECK (errors >= 0),
    expected            REAL    NOT NULL,
    -- Observed over expected errors and its upper bound (NULL while nothing was expected).
    ratio_estimate      REAL,
    ratio_upper         REAL,
    -- Precision's lower bound projected at `threshold` (NULL when nothing clears it).
    projected_precision REAL,
    automated_share     REAL    NOT NULL,
    message             TEXT    NOT NULL
);

-- The adapted threshold in force: an area's latest row for a model version.
CREATE INDEX threshold_adjustments_model_area
    ON threshold_adjustments (model_version, area, adjusted_at, id);
-- The dashboard: the latest adjustments, of every area or of a controller's.
CREATE INDEX threshold_adjustments_at ON threshold_adjustments (adjusted_at, id);
CREATE INDEX threshold_adjustments_area_at ON threshold_adjustments (area, adjusted_at, id);
