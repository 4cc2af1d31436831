-- Booking what facilities offer: rooms, courts and equipment with their
-- rules, slots materialised when first booked, and bookings. A booking
-- keeps the user id and party size, nothing else about the person.

CREATE TABLE booking_resources (
    id {{ID}},
    -- a facility of the places part, by id; no foreign key, so that the
    -- parts stay apart
    facility_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity >= 1),
    max_party INTEGER NOT NULL CHECK (max_party >= 1),
    slot_minutes INTEGER NOT NULL CHECK (slot_minutes >= 15),
    -- opening hours in places.Hours' syntax; empty: the facility's
    hours TEXT NOT NULL DEFAULT '',
    days_ahead INTEGER NOT NULL CHECK (days_ahead >= 0),
    weekly_limit INTEGER NOT NULL DEFAULT 0 CHECK (weekly_limit >= 0),
    eligibility TEXT NOT NULL DEFAULT 'everyone',
    approval BOOLEAN NOT NULL DEFAULT FALSE,
    allocation TEXT NOT NULL DEFAULT 'first_come',
    monthly_wins INTEGER NOT NULL DEFAULT 0 CHECK (monthly_wins >= 0),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    -- bumped by every draw of the resource: draws of one resource take turns
    draws INTEGER NOT NULL DEFAULT 0,
    created_at {{TIME}} NOT NULL,
    updated_at {{TIME}} NOT NULL
);
CREATE INDEX booking_resources_facility ON booking_resources (facility_id);

CREATE TABLE booking_slots (
    id {{ID}},
    resource_id BIGINT NOT NULL REFERENCES booking_resources (id),
    starts_at {{TIME}} NOT NULL,
    ends_at {{TIME}} NOT NULL,
    capacity INTEGER NOT NULL,
    taken INTEGER NOT NULL DEFAULT 0,
    queue_seq INTEGER NOT NULL DEFAULT 0,
    -- lotteries: when applications close, when drawn and with which seed
    draw_at {{TIME}},
    drawn_at {{TIME}},
    draw_seed TEXT NOT NULL DEFAULT '',
    UNIQUE (resource_id, starts_at),
    CHECK (taken >= 0 AND taken <= capacity)
);
CREATE INDEX booking_slots_draw ON booking_slots (draw_at, drawn_at);

-- One row per person who has booked, locked by each of their bookings so
-- that the weekly limit holds under concurrency.
CREATE TABLE booking_people (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    seq BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE bookings (
    id {{ID}},
    slot_id BIGINT NOT NULL REFERENCES booking_slots (id),
    resource_id BIGINT NOT NULL REFERENCES booking_resources (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    party INTEGER NOT NULL CHECK (party >= 1),
    status TEXT NOT NULL,
    queue_pos INTEGER NOT NULL,
    -- the slot's times, kept here for the weekly limit and the lists
    starts_at {{TIME}} NOT NULL,
    ends_at {{TIME}} NOT NULL,
    won BOOLEAN NOT NULL DEFAULT FALSE,
    ticket TEXT NOT NULL UNIQUE,
    note TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL,
    updated_at {{TIME}} NOT NULL,
    checked_in_at {{TIME}}
);
CREATE INDEX bookings_slot ON bookings (slot_id, status, queue_pos);
CREATE INDEX bookings_user ON bookings (user_id, resource_id, starts_at);
CREATE INDEX bookings_resource ON bookings (resource_id, starts_at);
CREATE UNIQUE INDEX bookings_one_per_slot ON bookings (slot_id, user_id)
    WHERE status IN ('requested', 'confirmed', 'waitlisted', 'applied');
