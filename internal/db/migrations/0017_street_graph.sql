-- The city's OpenStreetMap extract, kept whole: every instance builds its
-- walking graph from the newest one, and a new import replaces it in the
-- transaction that bumps the places' version.
CREATE TABLE street_extracts (
    id {{ID}},
    name TEXT NOT NULL,
    data {{BLOB}} NOT NULL,
    nodes INTEGER NOT NULL,
    segments INTEGER NOT NULL,
    imported_at {{TIME}} NOT NULL
);
