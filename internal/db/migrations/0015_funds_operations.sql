-- Operations of policy funds: each merchant's settled days, per programme,
-- and the payment cycles of programmes paid to everyone eligible, whose
-- beneficiaries are frozen when the cycle starts.

-- One settlement per merchant and day (city time, YYYY-MM-DD): settling a
-- day again finds it done and settles nothing twice.
CREATE TABLE settlements (
    id {{ID}},
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    day TEXT NOT NULL,
    settled_at {{TIME}} NOT NULL,
    UNIQUE (merchant_id, day)
);
CREATE INDEX settlements_day ON settlements (day);

-- A settlement's figures per programme. carried is what earlier days left
-- owing (refunds above takings, never paid out as a negative transfer);
-- net = max(0, paid - refunded + carried) is what the bank transfers.
CREATE TABLE settlement_lines (
    settlement_id BIGINT NOT NULL REFERENCES settlements (id),
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    payments INTEGER NOT NULL,
    paid BIGINT NOT NULL,
    refunded BIGINT NOT NULL,
    carried BIGINT NOT NULL,
    net BIGINT NOT NULL CHECK (net >= 0),
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (settlement_id, programme_id)
);

CREATE TABLE payment_cycles (
    id {{ID}},
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    number INTEGER NOT NULL,
    rule_id BIGINT REFERENCES programme_rules (id),
    beneficiaries INTEGER NOT NULL,
    total BIGINT NOT NULL,
    started_at {{TIME}} NOT NULL,
    finished_at {{TIME}},
    UNIQUE (programme_id, number)
);

-- Who a cycle pays and how much, as the rules said when it started; paid
-- is set in the transaction that credits the points.
CREATE TABLE cycle_beneficiaries (
    cycle_id BIGINT NOT NULL REFERENCES payment_cycles (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    paid BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (cycle_id, resident_id)
);
