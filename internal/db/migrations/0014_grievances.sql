-- Grievances: a citizen's complaint about one of their decisions or
-- payments, or a merchant's about one of its payments, and the messages
-- between them and staff until staff close it. A grievance about a payment
-- is seen by the citizen and the merchant of that payment; one about a
-- decision by the citizen alone (and staff, always).

CREATE TABLE grievances (
    id {{ID}},
    -- exactly one of application_id and payment_id is set
    application_id BIGINT REFERENCES applications (id),
    payment_id BIGINT REFERENCES payments (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    merchant_id BIGINT REFERENCES merchants (id),
    filed_by TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at {{TIME}} NOT NULL,
    closed_at {{TIME}},
    closed_by BIGINT REFERENCES users (id),
    CHECK ((application_id IS NULL) <> (payment_id IS NULL))
);
CREATE INDEX grievances_open ON grievances (status, created_at);
CREATE INDEX grievances_resident ON grievances (resident_id);
CREATE INDEX grievances_merchant ON grievances (merchant_id);

CREATE TABLE grievance_messages (
    id {{ID}},
    grievance_id BIGINT NOT NULL REFERENCES grievances (id),
    -- the side that wrote it: citizen, merchant or staff; author_id is the
    -- account that did
    side TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id),
    body TEXT NOT NULL,
    at {{TIME}} NOT NULL
);
CREATE INDEX grievance_messages_grievance ON grievance_messages (grievance_id, id);
