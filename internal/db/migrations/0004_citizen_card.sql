-- The resident registry (the city's source of truth for the card's claims),
-- the status lists the city publishes, and the credentials it has issued.

CREATE TABLE residents (
    id {{ID}},
    registry_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    district TEXT NOT NULL,
    zone TEXT NOT NULL,
    household_id TEXT NOT NULL,
    children_under_19 INTEGER NOT NULL,
    disability BOOLEAN NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at {{TIME}} NOT NULL
);
CREATE INDEX residents_phone ON residents (phone);

CREATE TABLE status_lists (
    id TEXT PRIMARY KEY,
    bits INTEGER NOT NULL,
    size INTEGER NOT NULL,
    packed TEXT NOT NULL,
    next_index INTEGER NOT NULL DEFAULT 0,
    updated_at {{TIME}} NOT NULL
);

CREATE TABLE credentials (
    id {{ID}},
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    batch TEXT NOT NULL,
    list_id TEXT NOT NULL REFERENCES status_lists (id),
    list_index INTEGER NOT NULL,
    kid TEXT NOT NULL,
    issued_at {{TIME}} NOT NULL,
    expires_at {{TIME}} NOT NULL,
    status TEXT NOT NULL DEFAULT 'valid',
    UNIQUE (list_id, list_index)
);
CREATE INDEX credentials_resident ON credentials (resident_id, status);
