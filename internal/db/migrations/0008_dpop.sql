-- DPoP (RFC 9449) at the OpenID4VCI token and credential endpoints: an
-- access token may be bound to the thumbprint of the wallet's key, and every
-- proof's jti is kept until it could no longer be accepted anyway.

ALTER TABLE issuance_tokens ADD COLUMN jkt TEXT NOT NULL DEFAULT '';

CREATE TABLE dpop_proofs (
    jti_hash TEXT PRIMARY KEY,
    expires_at {{TIME}} NOT NULL
);
