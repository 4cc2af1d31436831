-- The openings of the ledger's version 2 entries about a person: the
-- owner (the person as the ledger names them, in no published entry) and
-- the salt their entry's subject commits to. They are private: the ledger
-- never publishes them, and gives one only in the receipt of its entry,
-- which the part that appended the entry gives only to its person. Without
-- its row an entry stays in the log and in every total, but nobody can
-- show any more whose it is.
CREATE TABLE ledger_openings (
    seq BIGINT PRIMARY KEY,
    owner TEXT NOT NULL,
    salt {{BLOB}} NOT NULL
);
