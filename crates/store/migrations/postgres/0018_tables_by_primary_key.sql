-- PostgreSQL spelling of migrations/sqlite/0018_tables_by_primary_key.sql, which rebuilds two
-- SQLite tables WITHOUT ROWID so that a row is found in its primary key's own B-tree. PostgreSQL
-- has no rowid tables and no such choice: nothing changes here. The file keeps the two
-- directories in step (every migration exists in both under the same number).
SELECT 1;
