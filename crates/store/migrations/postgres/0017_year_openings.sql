-- PostgreSQL spelling of migrations/sqlite/0017_year_openings.sql: the same table.
-- Keep the two directories in step: every migration exists in both under the same number.
CREATE TABLE year_openings (
    area      TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    opened_at BIGINT  NOT NULL,
    reviews   BIGINT  NOT NULL,
    PRIMARY KEY (area, year)
);
