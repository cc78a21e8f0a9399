-- The supplier and unit of a reviewed decision, copied from the decision as `audit` and `area`
-- are, so the service can read a supplier × unit's latest reviews from this table's index alone:
-- a controller's correction of the suggestion tells the service that the group's coding may have
-- changed (reason `recent_change`). Reviews stored before this migration get theirs from their
-- decisions.
ALTER TABLE reviews ADD COLUMN supplier TEXT;
ALTER TABLE reviews ADD COLUMN unit TEXT;
UPDATE reviews SET
    supplier = (SELECT d.supplier FROM decisions d WHERE d.decision_id = reviews.decision_id),
    unit = (SELECT d.unit FROM decisions d WHERE d.decision_id = reviews.decision_id);
CREATE INDEX reviews_group ON reviews (supplier, unit, reviewed_at);
