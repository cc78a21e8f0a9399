-- The audit rule's two reads (crates/store/src/adjustments.rs), answered from indexes alone. It
-- judges an area after every reviewed audit sample, reading the window's audits and up to
-- 5,000 recent eligible confidences. `eligible_confidence` is the decisions table's last column,
-- behind `response` (a few KB of JSON that SQLite keeps on overflow pages), so every row those
-- reads fetched from the table walked its overflow pages: 30–70 ms a judgement on a year of
-- 220,000 invoices, against 6–8 ms from these indexes (measured with the sqlite3 shell on a
-- replay's database).

-- Newest first within an area and model: the index holds the order and the value, so a LIMIT
-- stops early.
DROP INDEX decisions_area_model_eligible;
CREATE INDEX decisions_area_model_eligible
    ON decisions (area, model_version, received_at, decision_id, eligible_confidence)
    WHERE eligible_confidence IS NOT NULL;
-- An audited decision's model and confidence by its id.
CREATE INDEX decisions_eligible_by_id ON decisions (decision_id, model_version, eligible_confidence)
    WHERE eligible_confidence IS NOT NULL;
-- The audit window of one area, and of every area, in review order.
DROP INDEX reviews_audit_window;
CREATE INDEX reviews_audit_window ON reviews (area, reviewed_at, decision_id, agreed)
    WHERE audit = 1;
CREATE INDEX reviews_audit_at ON reviews (reviewed_at, decision_id, agreed) WHERE audit = 1;
