-- The comparison report an activation rests on (its path, checksum and verdict line), so the
-- activation log says not only who and when but on what evidence.
ALTER TABLE model_activations ADD COLUMN report TEXT;
