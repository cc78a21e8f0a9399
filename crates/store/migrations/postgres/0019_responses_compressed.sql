-- PostgreSQL spelling of migrations/sqlite/0019_responses_compressed.sql, which marks an SQLite
-- database whose responses are stored compressed. PostgreSQL keeps responses as text (it
-- compresses long values itself): nothing changes here. The file keeps the two directories in
-- step (every migration exists in both under the same number).
SELECT 1;
