-- The ledger: an append-only log of entries, sequenced in the transaction of
-- the change they record, integrated into an RFC 6962 Merkle tree whose
-- hashes are kept as C2SP tlog-tiles, and its signed checkpoints.

CREATE TABLE ledger_sequence (
    id INTEGER PRIMARY KEY,
    next_index BIGINT NOT NULL
);
INSERT INTO ledger_sequence (id, next_index) VALUES (1, 0);

CREATE TABLE ledger_entries (
    idx BIGINT PRIMARY KEY,
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

CREATE TABLE ledger_checkpoints (
    size BIGINT PRIMARY KEY,
    note TEXT NOT NULL,
    created_at {{TIME}} NOT NULL
);
