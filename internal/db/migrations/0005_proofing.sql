-- How each resident's identity was checked before a card was issued.

CREATE TABLE proofings (
    id {{ID}},
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    method TEXT NOT NULL,
    document_type TEXT NOT NULL DEFAULT '',
    staff_id BIGINT REFERENCES users (id),
    user_id BIGINT REFERENCES users (id),
    channel TEXT NOT NULL DEFAULT '',
    at {{TIME}} NOT NULL
);
CREATE INDEX proofings_resident ON proofings (resident_id, at);
