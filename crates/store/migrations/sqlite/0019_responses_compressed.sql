-- From here on a decision's `response` is stored on SQLite as an LZ4-compressed BLOB
-- (crates/store/src/response.rs); rows stored before keep their text and read as they are. The
-- schema does not change: this migration marks the database, so that a binary older than the
-- compressed responses refuses it ("migration 19 was previously applied but is missing") instead
-- of taking every new response for a damaged row.
SELECT 1;
