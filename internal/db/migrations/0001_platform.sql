-- Accounts, sessions, sign-in codes, rate limits, notifications and the audit log:
-- the plumbing every part of Maeul shares.

CREATE TABLE users (
    id {{ID}},
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT UNIQUE,
    email TEXT,
    username TEXT UNIQUE,
    password_hash TEXT,
    totp_secret TEXT,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    birth_year INTEGER,
    district TEXT,
    disability BOOLEAN NOT NULL DEFAULT FALSE,
    lang TEXT NOT NULL DEFAULT 'ko',
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{TIME}} NOT NULL
);
CREATE INDEX users_role ON users (role);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at {{TIME}} NOT NULL,
    seen_at {{TIME}} NOT NULL,
    expires_at {{TIME}} NOT NULL,
    acting_for BIGINT REFERENCES users (id) ON DELETE SET NULL,
    acting_channel TEXT,
    acting_started_at {{TIME}},
    acting_seen_at {{TIME}}
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_codes (
    id {{ID}},
    phone TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    used BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{TIME}} NOT NULL,
    expires_at {{TIME}} NOT NULL
);
CREATE INDEX login_codes_phone ON login_codes (phone, created_at);

CREATE TABLE rate_events (
    id {{ID}},
    bucket TEXT NOT NULL,
    at {{TIME}} NOT NULL
);
CREATE INDEX rate_events_bucket ON rate_events (bucket, at);

CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE outbox (
    id {{ID}},
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    created_at {{TIME}} NOT NULL
);
CREATE INDEX outbox_created ON outbox (created_at);
CREATE INDEX outbox_recipient ON outbox (recipient);

CREATE TABLE audit_log (
    id {{ID}},
    at {{TIME}} NOT NULL,
    actor_id BIGINT,
    on_behalf_of BIGINT,
    channel TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);
