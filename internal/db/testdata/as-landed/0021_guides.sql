-- The digital guides: the spots where seniors gather (hotspots) with the
-- people expected there by weekday and hour, the guides with their area
-- and shifts, the day's patrol plans, the help they log on site and the
-- citizens' requests for help. Phone numbers are kept only on call-back
-- requests, and blanked when the request is closed.

CREATE TABLE guide_hotspots (
    id {{ID}},
    -- the importer's identifier: importing a file again updates, never duplicates
    ref TEXT NOT NULL UNIQUE,
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('station', 'market', 'senior_centre', 'park', 'other')),
    -- microdegrees, as the places part keeps them
    lon BIGINT NOT NULL,
    lat BIGINT NOT NULL,
    zone_code TEXT NOT NULL DEFAULT '',
    -- 168 integers, Monday 00h first: the people expected each hour of the week
    profile TEXT NOT NULL,
    -- help logged here: counted under the row, for the coverage page
    help_count INTEGER NOT NULL DEFAULT 0,
    last_visit_at {{TIME}},
    updated_at {{TIME}} NOT NULL
);
CREATE INDEX guide_hotspots_zone ON guide_hotspots (zone_code);

-- A guide is an account holding the guide role; the name is the one the
-- coordinator picked it by, so that this part never reads the accounts.
-- Area: zone codes (space-separated), or a home hotspot and a radius;
-- neither: the whole city.
CREATE TABLE guide_guides (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    name TEXT NOT NULL,
    zones TEXT NOT NULL DEFAULT '',
    home_hotspot_id BIGINT REFERENCES guide_hotspots (id),
    radius_m INTEGER NOT NULL DEFAULT 0 CHECK (radius_m >= 0),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at {{TIME}} NOT NULL
);

-- day is the date in the city (YYYY-MM-DD); hours are whole hours of it.
CREATE TABLE guide_shifts (
    id {{ID}},
    guide_id BIGINT NOT NULL REFERENCES guide_guides (user_id),
    day TEXT NOT NULL,
    start_hour INTEGER NOT NULL CHECK (start_hour BETWEEN 0 AND 23),
    end_hour INTEGER NOT NULL CHECK (end_hour BETWEEN 1 AND 24 AND end_hour > start_hour),
    created_at {{TIME}} NOT NULL
);
CREATE INDEX guide_shifts_day ON guide_shifts (day, guide_id);

-- One plan per day. version changes with every adjustment, so that two
-- coordinators working on the same plan never overwrite each other.
CREATE TABLE guide_plans (
    id {{ID}},
    day TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at {{TIME}} NOT NULL,
    confirmed_at {{TIME}},
    confirmed_by BIGINT
);

CREATE TABLE guide_plan_visits (
    plan_id BIGINT NOT NULL REFERENCES guide_plans (id),
    guide_id BIGINT NOT NULL REFERENCES guide_guides (user_id),
    hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    hotspot_id BIGINT NOT NULL REFERENCES guide_hotspots (id),
    need BIGINT NOT NULL,
    PRIMARY KEY (plan_id, guide_id, hour)
);

-- Help given on site. note must hold no personal data: the form says so.
CREATE TABLE guide_help (
    id {{ID}},
    guide_id BIGINT NOT NULL REFERENCES guide_guides (user_id),
    hotspot_id BIGINT NOT NULL REFERENCES guide_hotspots (id),
    topic TEXT NOT NULL CHECK (topic IN ('kiosk', 'smartphone', 'app', 'payment', 'mobile_id', 'other')),
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 240),
    outcome TEXT NOT NULL CHECK (outcome IN ('solved', 'referred')),
    note TEXT NOT NULL DEFAULT '',
    at {{TIME}} NOT NULL
);
CREATE INDEX guide_help_at ON guide_help (at);
CREATE INDEX guide_help_hotspot ON guide_help (hotspot_id, at);

-- A citizen's request: a call back (phone kept until closed) or a visit at
-- a hotspot and hour (no personal data at all).
CREATE TABLE guide_requests (
    id {{ID}},
    kind TEXT NOT NULL CHECK (kind IN ('callback', 'visit')),
    topic TEXT NOT NULL CHECK (topic IN ('kiosk', 'smartphone', 'app', 'payment', 'mobile_id', 'other')),
    phone TEXT NOT NULL DEFAULT '',
    hotspot_id BIGINT REFERENCES guide_hotspots (id),
    wanted_day TEXT NOT NULL DEFAULT '',
    wanted_hour INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'closed')),
    taken_by BIGINT,
    created_at {{TIME}} NOT NULL,
    taken_at {{TIME}},
    closed_at {{TIME}}
);
CREATE INDEX guide_requests_status ON guide_requests (status, created_at);
CREATE INDEX guide_requests_hotspot ON guide_requests (hotspot_id, created_at);
