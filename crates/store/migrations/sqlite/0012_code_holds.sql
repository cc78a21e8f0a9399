-- Held codes: when controllers' corrections of the lines the model suggested one account (or
-- cost centre) credibly outnumber the errors the confidences predicted, the service holds the
-- code back from automatic posting (reason `recent_change`) until the evidence says otherwise.
--
-- Each reviewed line keeps when it was reviewed, what was suggested and with what confidence,
-- so one indexed range read gives a code's evidence; lines stored before this migration get
-- theirs from their review and decision.
ALTER TABLE review_lines ADD COLUMN reviewed_at INTEGER;
ALTER TABLE review_lines ADD COLUMN suggested_account TEXT;
ALTER TABLE review_lines ADD COLUMN suggested_cost_centre TEXT;
ALTER TABLE review_lines ADD COLUMN suggested_confidence REAL;
UPDATE review_lines SET
    reviewed_at = (SELECT r.reviewed_at FROM reviews r WHERE r.decision_id = review_lines.decision_id),
    suggested_account = (SELECT d.account FROM decision_lines d
        WHERE d.decision_id = review_lines.decision_id AND d.line_no = review_lines.line_no),
    suggested_cost_centre = (SELECT d.cost_centre FROM decision_lines d
        WHERE d.decision_id = review_lines.decision_id AND d.line_no = review_lines.line_no),
    suggested_confidence = (SELECT d.confidence FROM decision_lines d
        WHERE d.decision_id = review_lines.decision_id AND d.line_no = review_lines.line_no);
CREATE INDEX review_lines_account ON review_lines (suggested_account, reviewed_at);
CREATE INDEX review_lines_cost_centre ON review_lines (suggested_cost_centre, reviewed_at);

-- Every change of a code's hold (held or released), with its evidence; the latest row per
-- (field, code) is in force. Rows are never updated.
CREATE TABLE code_holds (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    field       TEXT    NOT NULL CHECK (field IN ('account', 'cost_centre')),
    code        TEXT    NOT NULL,
    held        INTEGER NOT NULL CHECK (held IN (0, 1)),
    judged_at   INTEGER NOT NULL,
    reviewed    INTEGER NOT NULL,
    corrected   INTEGER NOT NULL,
    expected    REAL    NOT NULL,
    message     TEXT    NOT NULL
);
CREATE INDEX code_holds_code ON code_holds (field, code, id);
