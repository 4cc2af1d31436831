-- The Digital Learning Center: venues, courses, sessions, registrations,
-- attendance, completion, feedback and mobile-class requests.

CREATE TABLE venues (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    district TEXT NOT NULL,
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    address_ko TEXT NOT NULL DEFAULT '',
    address_en TEXT NOT NULL DEFAULT '',
    hours_ko TEXT NOT NULL DEFAULT '',
    hours_en TEXT NOT NULL DEFAULT '',
    access_ko TEXT NOT NULL DEFAULT '',
    access_en TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    demo BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE courses (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    theme TEXT NOT NULL,
    level TEXT NOT NULL,
    title_ko TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_ko TEXT NOT NULL DEFAULT '',
    summary_en TEXT NOT NULL DEFAULT '',
    sessions_to_complete INTEGER NOT NULL DEFAULT 1,
    demo BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX courses_theme ON courses (theme);

CREATE TABLE class_sessions (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    course_id BIGINT NOT NULL REFERENCES courses (id),
    venue_id BIGINT NOT NULL REFERENCES venues (id),
    tutor_id BIGINT REFERENCES users (id),
    starts_at {{TIME}} NOT NULL,
    ends_at {{TIME}} NOT NULL,
    capacity INTEGER NOT NULL,
    seats_taken INTEGER NOT NULL DEFAULT 0,
    queue_seq INTEGER NOT NULL DEFAULT 0,
    allocation TEXT NOT NULL DEFAULT 'first_come',
    lottery_closes_at {{TIME}},
    lottery_drawn_at {{TIME}},
    lottery_seed TEXT NOT NULL DEFAULT '',
    access_ko TEXT NOT NULL DEFAULT '',
    access_en TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'scheduled',
    reminded_at {{TIME}},
    demo BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX class_sessions_starts ON class_sessions (starts_at);
CREATE INDEX class_sessions_course ON class_sessions (course_id);
CREATE INDEX class_sessions_venue ON class_sessions (venue_id, starts_at);
CREATE INDEX class_sessions_tutor ON class_sessions (tutor_id, starts_at);

CREATE TABLE registrations (
    id {{ID}},
    session_id BIGINT NOT NULL REFERENCES class_sessions (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    seats INTEGER NOT NULL DEFAULT 1,
    queue_pos INTEGER NOT NULL,
    group_name TEXT NOT NULL DEFAULT '',
    group_contact TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    registered_by BIGINT NOT NULL REFERENCES users (id),
    -- A snapshot of the learner for statistics, taken at registration:
    -- the age group rather than the birth date, to keep no more than needed.
    learner_district TEXT NOT NULL DEFAULT '',
    learner_age_group TEXT NOT NULL DEFAULT '',
    learner_disability BOOLEAN NOT NULL DEFAULT FALSE,
    ticket TEXT NOT NULL UNIQUE,
    created_at {{TIME}} NOT NULL,
    updated_at {{TIME}} NOT NULL,
    attended_at {{TIME}}
);
CREATE UNIQUE INDEX registrations_active ON registrations (session_id, user_id)
    WHERE status IN ('confirmed', 'waitlisted', 'applied');
CREATE INDEX registrations_user ON registrations (user_id);
CREATE INDEX registrations_queue ON registrations (session_id, status, queue_pos);

CREATE TABLE completions (
    user_id BIGINT NOT NULL REFERENCES users (id),
    course_id BIGINT NOT NULL REFERENCES courses (id),
    completed_at {{TIME}} NOT NULL,
    PRIMARY KEY (user_id, course_id)
);

CREATE TABLE feedback (
    id {{ID}},
    session_id BIGINT NOT NULL REFERENCES class_sessions (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    rating INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL,
    UNIQUE (session_id, user_id)
);

CREATE TABLE mobile_requests (
    id {{ID}},
    centre_name TEXT NOT NULL,
    centre_kind TEXT NOT NULL,
    district TEXT NOT NULL,
    address TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    theme TEXT NOT NULL,
    preferred_dates TEXT NOT NULL,
    learners INTEGER NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'requested',
    decline_reason TEXT NOT NULL DEFAULT '',
    session_id BIGINT REFERENCES class_sessions (id),
    requested_by BIGINT REFERENCES users (id),
    decided_by BIGINT REFERENCES users (id),
    created_at {{TIME}} NOT NULL,
    decided_at {{TIME}}
);
