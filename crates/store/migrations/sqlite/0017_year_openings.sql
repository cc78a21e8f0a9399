-- The year an area's automation opened: in each calendar year an area posts nothing
-- automatically until controllers have reviewed enough of its invoices received that year
-- (`trust.year_opening_reviews`); the moment that happened, with the count, is stored once per
-- area and year, so every instance serves it and controllers and analysts can see it.
CREATE TABLE year_openings (
    area      TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    -- The reviews of the year's invoices counted when it opened.
    reviews   INTEGER NOT NULL,
    PRIMARY KEY (area, year)
);
