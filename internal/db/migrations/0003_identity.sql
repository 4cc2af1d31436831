-- The city's issuer keys for the digital citizen card. Private keys are
-- stored sealed (AES-256-GCM) under a secret that never enters the database.

CREATE TABLE issuer_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    private_sealed TEXT NOT NULL,
    created_at {{TIME}} NOT NULL,
    retired_at {{TIME}},
    publish_until {{TIME}}
);
