-- Places of the 15-minute city: living zones with their boundaries and
-- population, public facilities with their opening hours and
-- accessibility, and events at them. Coordinates are whole
-- microdegrees (WGS 84), exact on both backends.

CREATE TABLE zones (
    code TEXT PRIMARY KEY,
    district TEXT NOT NULL DEFAULT '',
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    population INTEGER NOT NULL CHECK (population >= 0),
    -- the boundary as a GeoJSON MultiPolygon's coordinates
    boundary TEXT NOT NULL,
    centre_lon BIGINT NOT NULL,
    centre_lat BIGINT NOT NULL,
    demo BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE facilities (
    id {{ID}},
    -- the importer's identifier: importing a file again updates, never duplicates
    ref TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    address_ko TEXT NOT NULL DEFAULT '',
    address_en TEXT NOT NULL DEFAULT '',
    lon BIGINT NOT NULL,
    lat BIGINT NOT NULL,
    zone_code TEXT NOT NULL DEFAULT '',
    -- opening hours in the OpenStreetMap opening_hours subset places.Hours reads
    hours TEXT NOT NULL DEFAULT '',
    step_free BOOLEAN NOT NULL DEFAULT FALSE,
    accessible_toilet BOOLEAN NOT NULL DEFAULT FALSE,
    hearing_loop BOOLEAN NOT NULL DEFAULT FALSE,
    phone TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at {{TIME}} NOT NULL
);
CREATE INDEX facilities_zone ON facilities (zone_code, category);

CREATE TABLE place_events (
    id {{ID}},
    ref TEXT NOT NULL UNIQUE,
    facility_id BIGINT NOT NULL REFERENCES facilities (id),
    title_ko TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_ko TEXT NOT NULL DEFAULT '',
    summary_en TEXT NOT NULL DEFAULT '',
    starts_at {{TIME}} NOT NULL,
    ends_at {{TIME}} NOT NULL,
    free BOOLEAN NOT NULL DEFAULT TRUE,
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (ends_at > starts_at)
);
CREATE INDEX place_events_starts ON place_events (starts_at);
CREATE INDEX place_events_facility ON place_events (facility_id, starts_at);

-- Bumped by every change to zones or facilities, so that each instance
-- knows when its in-memory spatial index is stale.
CREATE TABLE places_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO places_version (id, version) VALUES (1, 0);
