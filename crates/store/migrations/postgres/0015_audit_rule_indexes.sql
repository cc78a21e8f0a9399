-- PostgreSQL spelling of migrations/sqlite/0015_audit_rule_indexes.sql: the same indexes.
-- Keep the two directories in step: every migration exists in both under the same number.

-- The audit rule's two reads (crates/store/src/adjustments.rs), answered from indexes: the
-- window's audits of one area or of all, and an area's recent eligible confidences, newest first.
DROP INDEX decisions_area_model_eligible;
CREATE INDEX decisions_area_model_eligible
    ON decisions (area, model_version, received_at, decision_id, eligible_confidence)
    WHERE eligible_confidence IS NOT NULL;
CREATE INDEX decisions_eligible_by_id ON decisions (decision_id, model_version, eligible_confidence)
    WHERE eligible_confidence IS NOT NULL;
DROP INDEX reviews_audit_window;
CREATE INDEX reviews_audit_window ON reviews (area, reviewed_at, decision_id, agreed)
    WHERE audit = 1;
CREATE INDEX reviews_audit_at ON reviews (reviewed_at, decision_id, agreed) WHERE audit = 1;
