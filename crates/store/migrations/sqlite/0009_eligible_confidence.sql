-- The confidence of a decision the model could have posted (screening passed, every line coded
-- with enough support; its least confident line), whatever the threshold and pause then said;
-- NULL otherwise. The audit rule projects precision over these when it moves an area's threshold.
ALTER TABLE decisions ADD COLUMN eligible_confidence REAL;
CREATE INDEX decisions_area_model_eligible ON decisions (area, model_version, received_at)
    WHERE eligible_confidence IS NOT NULL;
