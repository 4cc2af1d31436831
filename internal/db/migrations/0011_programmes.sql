-- Policy-fund programmes: what staff define before a programme opens. The
-- rules are CEL expressions, kept as written; money is whole KRW.

CREATE TABLE programmes (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_ko TEXT NOT NULL,
    description_en TEXT NOT NULL,
    budget BIGINT NOT NULL,
    eligibility TEXT NOT NULL,
    benefit TEXT NOT NULL,
    quota INTEGER NOT NULL,
    co_payment BIGINT NOT NULL,
    unit TEXT NOT NULL,
    mode TEXT NOT NULL,
    categories TEXT NOT NULL,
    opens_at {{TIME}} NOT NULL,
    closes_at {{TIME}} NOT NULL,
    points_expire_at {{TIME}} NOT NULL,
    updated_at {{TIME}} NOT NULL
);
