-- Policy funds in use: every version of a programme's rules, the budget it
-- has committed, applications and their decisions, the points citizens
-- hold, the merchants that accept them and the payments made. Money is
-- whole KRW; every movement of points is also an entry of the ledger.

ALTER TABLE programmes ADD COLUMN who_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN who_en TEXT NOT NULL DEFAULT '';
-- committed: KRW promised to approved applicants (credited, or awaiting
-- the co-payment), less what expired unspent; never above budget.
ALTER TABLE programmes ADD COLUMN committed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE programmes ADD COLUMN approved INTEGER NOT NULL DEFAULT 0;
-- arrivals numbers complete applications in the order their decision
-- took the programme's row: the order a quota is filled in.
ALTER TABLE programmes ADD COLUMN arrivals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE programmes ADD COLUMN rule_id BIGINT;

CREATE TABLE programme_rules (
    id {{ID}},
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    eligibility TEXT NOT NULL,
    benefit TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at {{TIME}} NOT NULL,
    UNIQUE (programme_id, hash)
);

CREATE TABLE applications (
    id {{ID}},
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    status TEXT NOT NULL,
    request_id TEXT NOT NULL DEFAULT '',
    rule_id BIGINT REFERENCES programme_rules (id),
    -- the facts the rules were applied to and where they came from: the
    -- verified presentation (request, verifier, time) or the registry
    facts TEXT NOT NULL DEFAULT '',
    presentation TEXT NOT NULL DEFAULT '',
    arrival INTEGER,
    amount BIGINT NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    reason_detail TEXT NOT NULL DEFAULT '',
    appeal TEXT NOT NULL DEFAULT '',
    review_note TEXT NOT NULL DEFAULT '',
    reviewed_by BIGINT REFERENCES users (id),
    created_at {{TIME}} NOT NULL,
    decided_at {{TIME}},
    UNIQUE (programme_id, resident_id)
);
CREATE INDEX applications_status ON applications (status, created_at);
CREATE INDEX applications_resident ON applications (resident_id);

-- One benefit per household, for programmes paid per household.
CREATE TABLE programme_households (
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    household_id TEXT NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    PRIMARY KEY (programme_id, household_id)
);

CREATE TABLE point_accounts (
    id {{ID}},
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    balance BIGINT NOT NULL CHECK (balance >= 0),
    expires_at {{TIME}} NOT NULL,
    UNIQUE (resident_id, programme_id)
);
CREATE INDEX point_accounts_expiry ON point_accounts (expires_at);

CREATE TABLE merchants (
    id {{ID}},
    business_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    district TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    created_at {{TIME}} NOT NULL,
    decided_at {{TIME}},
    decided_by BIGINT REFERENCES users (id),
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX merchants_owner ON merchants (owner_id);
CREATE INDEX merchants_status ON merchants (status, created_at);

-- A merchant's request to be paid: what the payment QR carries.
CREATE TABLE payment_requests (
    id TEXT PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    created_at {{TIME}} NOT NULL,
    expires_at {{TIME}} NOT NULL
);

CREATE TABLE payments (
    id {{ID}},
    -- a payment request is paid at most once; the key the payer sent
    -- makes a repeated call answer with the same payment
    request_id TEXT NOT NULL UNIQUE REFERENCES payment_requests (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    account_id BIGINT NOT NULL REFERENCES point_accounts (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    refunded BIGINT NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= amount),
    paid_at {{TIME}} NOT NULL
);
CREATE INDEX payments_merchant ON payments (merchant_id, paid_at);

-- Every change of a balance, with the ledger entry that records it.
CREATE TABLE point_movements (
    id {{ID}},
    account_id BIGINT NOT NULL REFERENCES point_accounts (id),
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    balance_after BIGINT NOT NULL,
    payment_id BIGINT REFERENCES payments (id),
    idempotency_key TEXT UNIQUE,
    ledger_seq BIGINT NOT NULL,
    at {{TIME}} NOT NULL
);
CREATE INDEX point_movements_account ON point_movements (account_id, id);
CREATE INDEX point_movements_payment ON point_movements (payment_id);
