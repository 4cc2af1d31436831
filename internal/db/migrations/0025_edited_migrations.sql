-- Issue 16: migrations 0009, 0013, 0018, 0021 and 0023 were edited after
-- they had landed, before migrations were sealed. A database that applied
-- one of them before its edit lacks what the edit added: this adds it where
-- it is missing and leaves it alone where it is there, so it does nothing
-- on a database made by today's files. (ADD COLUMN IF NOT EXISTS is
-- PostgreSQL's; on SQLite the migrator looks the column up.)
--
-- Not here:
-- 0009 (ledger): before 799bc61 it numbered entries in ledger_sequence and
--   its entries had no seq; no migration converts that ledger, and the
--   migrator refuses such a database at start (and before 0023, which would
--   fail on it). Everything 310ba3a added came before that, so nothing of
--   0009 is left to add to a database that is not refused.
-- 0013 (funds, 4c752d6): the edit made point_movements' indexes on
--   payment_id and idempotency_key partial. The keys are unique either way;
--   an earlier database keeps its full indexes, slower for mass credits, and
--   gets no second unique index to maintain.

-- 0018 (booking, 2dd96a6): a lottery's draw day and hour per resource.
ALTER TABLE booking_resources ADD COLUMN IF NOT EXISTS draw_days INTEGER NOT NULL DEFAULT 1 CHECK (draw_days >= 1);
ALTER TABLE booking_resources ADD COLUMN IF NOT EXISTS draw_hour INTEGER NOT NULL DEFAULT 18 CHECK (draw_hour >= 0 AND draw_hour <= 23);

-- 0021 (guides, 3cb76b6): a guide was at a spot and nobody needed help.
CREATE TABLE IF NOT EXISTS guide_checkins (
    id {{ID}},
    guide_id BIGINT NOT NULL REFERENCES guide_guides (user_id),
    hotspot_id BIGINT NOT NULL REFERENCES guide_hotspots (id),
    at {{TIME}} NOT NULL
);
CREATE INDEX IF NOT EXISTS guide_checkins_hotspot ON guide_checkins (hotspot_id, at);

-- 0023 (ledger, b0e096d): an entry's opening travels in its pending row.
ALTER TABLE ledger_pending ADD COLUMN IF NOT EXISTS owner TEXT;
ALTER TABLE ledger_pending ADD COLUMN IF NOT EXISTS salt {{BLOB}};
