-- Each living zone's board: news written by staff, citizens' posts and
-- comments, abuse reports and the moderators' decisions on them, and the
-- events the posting limits are counted from. Posts and comments keep only
-- the author's user id; the name shown is derived from the account when a
-- page is drawn.

CREATE TABLE board_news (
    id {{ID}},
    zone_code TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    author_id BIGINT NOT NULL REFERENCES users (id),
    created_at {{TIME}} NOT NULL,
    updated_at {{TIME}} NOT NULL,
    -- set when first published: the date readers see
    published_at {{TIME}}
);
CREATE INDEX board_news_zone ON board_news (zone_code, published, pinned, published_at);

-- status: visible; held (hidden automatically by reports, pending review);
-- hidden (by a moderator); deleted (by its author or a moderator, the text
-- blanked).
CREATE TABLE board_posts (
    id {{ID}},
    zone_code TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'held', 'hidden', 'deleted')),
    -- open reports, each from a different user
    reports INTEGER NOT NULL DEFAULT 0,
    created_at {{TIME}} NOT NULL,
    edited_at {{TIME}}
);
CREATE INDEX board_posts_zone ON board_posts (zone_code, status, created_at);
CREATE INDEX board_posts_author ON board_posts (author_id, created_at);

CREATE TABLE board_comments (
    id {{ID}},
    post_id BIGINT NOT NULL REFERENCES board_posts (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'held', 'hidden', 'deleted')),
    reports INTEGER NOT NULL DEFAULT 0,
    created_at {{TIME}} NOT NULL,
    edited_at {{TIME}}
);
CREATE INDEX board_comments_post ON board_comments (post_id, created_at);

CREATE TABLE board_reports (
    id {{ID}},
    item_kind TEXT NOT NULL CHECK (item_kind IN ('post', 'comment')),
    item_id BIGINT NOT NULL,
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL CHECK (reason IN ('spam', 'insult', 'personal_data', 'other')),
    created_at {{TIME}} NOT NULL,
    -- set when a moderator decided on the item
    resolved_at {{TIME}}
);
-- One open report per user and item: three reports by one user are one.
CREATE UNIQUE INDEX board_reports_open ON board_reports (item_kind, item_id, reporter_id) WHERE resolved_at IS NULL;
CREATE INDEX board_reports_item ON board_reports (item_kind, item_id);

CREATE TABLE board_moderation (
    id {{ID}},
    item_kind TEXT NOT NULL CHECK (item_kind IN ('post', 'comment')),
    item_id BIGINT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('keep', 'hide', 'delete')),
    note TEXT NOT NULL DEFAULT '',
    reports INTEGER NOT NULL,
    staff_id BIGINT NOT NULL REFERENCES users (id),
    at {{TIME}} NOT NULL
);
CREATE INDEX board_moderation_item ON board_moderation (item_kind, item_id);

-- A user's row here is locked (upserted) first by every post or comment
-- they write, so that their limit is counted by one writer at a time on
-- PostgreSQL too.
CREATE TABLE board_rate_locks (
    user_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    touched_at {{TIME}} NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- One row per post or comment written, kept a day: the hourly limits and
-- the duplicate check (digest is a hash of the normalised text, never the
-- text) are counted from it.
CREATE TABLE board_rate_events (
    id {{ID}},
    user_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    digest TEXT NOT NULL,
    at {{TIME}} NOT NULL
);
CREATE INDEX board_rate_events_user ON board_rate_events (user_id, kind, at);
