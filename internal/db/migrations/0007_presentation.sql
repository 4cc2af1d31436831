-- OpenID4VP: the relying parties (a hospital, an office) registered with the
-- claims they may ask for, the staff who verify for them, the presentation
-- requests they make, and the engagements by which a wallet shows a QR code
-- for staff to scan. A request keeps the disclosed claims only until it is
-- pruned; engagement secrets are stored as hashes.

CREATE TABLE relying_parties (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    purpose_ko TEXT NOT NULL,
    purpose_en TEXT NOT NULL,
    claims TEXT NOT NULL,
    asks TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at {{TIME}} NOT NULL
);

CREATE TABLE verifier_staff (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    party_id BIGINT NOT NULL REFERENCES relying_parties (id)
);

CREATE TABLE presentation_requests (
    id TEXT PRIMARY KEY,
    party_id BIGINT NOT NULL REFERENCES relying_parties (id),
    nonce TEXT NOT NULL,
    query TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at {{TIME}} NOT NULL,
    expires_at {{TIME}} NOT NULL,
    answered_at {{TIME}},
    outcome TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    reason_detail TEXT NOT NULL DEFAULT '',
    claims TEXT NOT NULL DEFAULT ''
);
CREATE INDEX presentation_requests_created ON presentation_requests (created_at);

CREATE TABLE engagements (
    code TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL UNIQUE,
    request_id TEXT REFERENCES presentation_requests (id),
    created_at {{TIME}} NOT NULL,
    expires_at {{TIME}} NOT NULL
);
