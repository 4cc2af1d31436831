-- What happened to a resident's cards, with the ledger entry of each
-- change, so that the citizen can see it and check its receipt.

CREATE TABLE card_events (
    id {{ID}},
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    kind TEXT NOT NULL,
    cards INTEGER NOT NULL,
    ledger_seq BIGINT NOT NULL,
    at {{TIME}} NOT NULL
);
CREATE INDEX card_events_resident ON card_events (resident_id, id);
