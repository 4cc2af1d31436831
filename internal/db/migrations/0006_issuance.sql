-- OpenID4VCI pre-authorized code flow: credential offers, access tokens and
-- the nonces that wallets' key proofs must carry. Only hashes of codes,
-- tokens and nonces are stored.

CREATE TABLE credential_offers (
    id {{ID}},
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    code_hash TEXT NOT NULL UNIQUE,
    tx_code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at {{TIME}} NOT NULL,
    expires_at {{TIME}} NOT NULL,
    redeemed_at {{TIME}}
);

CREATE TABLE issuance_tokens (
    token_hash TEXT PRIMARY KEY,
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    expires_at {{TIME}} NOT NULL,
    used_at {{TIME}}
);

CREATE TABLE issuance_nonces (
    nonce_hash TEXT PRIMARY KEY,
    expires_at {{TIME}} NOT NULL,
    used_at {{TIME}}
);
