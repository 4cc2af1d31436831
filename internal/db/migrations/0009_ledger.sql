-- The ledger: an append-only log of entries, written in the transaction of
-- the change they record, integrated into an RFC 6962 Merkle tree whose
-- hashes are kept as C2SP tlog-tiles, its signed checkpoints and what its
-- witnesses have seen.

-- Entries as business transactions write them: one insert, no shared row
-- to lock. The integrator gives them their place in the log.
CREATE TABLE ledger_pending (
    id {{ID}},
    data {{BLOB}} NOT NULL
);

CREATE TABLE ledger_entries (
    idx BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    data {{BLOB}} NOT NULL
);

CREATE TABLE ledger_tree (
    id INTEGER PRIMARY KEY,
    size BIGINT NOT NULL,
    compact {{BLOB}} NOT NULL
);
INSERT INTO ledger_tree (id, size, compact) VALUES (1, 0, '');

CREATE TABLE ledger_tiles (
    level INTEGER NOT NULL,
    idx BIGINT NOT NULL,
    hashes {{BLOB}} NOT NULL,
    PRIMARY KEY (level, idx)
);

-- A checkpoint is published (served, used in receipts) once enough
-- witnesses have cosigned it; note then carries their cosignatures.
CREATE TABLE ledger_checkpoints (
    size BIGINT PRIMARY KEY,
    note TEXT NOT NULL,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{TIME}} NOT NULL
);

-- The size each witness last cosigned, from which the next consistency
-- proof it gets starts.
CREATE TABLE ledger_witnesses (
    name TEXT PRIMARY KEY,
    size BIGINT NOT NULL
);
