-- PostgreSQL spelling of migrations/sqlite/0013_activation_checksums.sql (the same column).
-- Keep the two directories in step: every migration exists in both under the same number.

-- The SHA-256 of the activated model.bin, as the instance or command that activated it loaded it.
-- Every instance following the database refuses to serve a file with another checksum under
-- that version (a stale or different copy on its disk). NULL for activations recorded before.
ALTER TABLE model_activations ADD COLUMN checksum TEXT;
