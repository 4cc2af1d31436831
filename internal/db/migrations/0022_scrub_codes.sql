-- Issue 15: staff could read live sign-in codes in the outbox, and the
-- sign-in codes and card-offer PINs were kept as plain SHA-256 hashes, which
-- trying their 10^6 values reverses at once. From this version a code is
-- never kept in the outbox (notify.SecretKinds), and codes and PINs are kept
-- only as HMAC-SHA256 under a key derived from the platform's secret
-- (internal/codehash). This scrubs what earlier versions kept.

-- Sign-in codes' messages keep their kind, recipient, subject and status; the
-- body, which held the code, is blanked. One still waiting for the
-- dispatcher is not sent: the citizen asks for a new code.
UPDATE outbox SET status = 'failed', error = 'not sent: scrubbed by the upgrade, ask for a new code'
    WHERE kind = 'login_code' AND status = 'pending';
UPDATE outbox SET body = '' WHERE kind = 'login_code';

-- Every code hash here is unkeyed. A code not yet used is simply asked for
-- again (they live 15 minutes); the used ones are worth nothing.
DELETE FROM login_codes;

-- A PIN's unkeyed hash cannot be re-keyed without the PIN, which is kept
-- nowhere, and an offer is redeemed once, so there is no later sign-in at
-- which to re-hash it: every PIN hash is blanked (a blank never matches a
-- keyed hash) and every offer not yet redeemed expires. The citizen, or
-- staff at the card desk, makes a new offer with a new PIN; offers lived at
-- most 24 hours anyway.
UPDATE credential_offers SET expires_at = created_at WHERE redeemed_at IS NULL AND expires_at > created_at;
UPDATE credential_offers SET tx_code_hash = '';
