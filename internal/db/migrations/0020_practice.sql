-- The practice emulators' progress: the tasks a signed-in learner finished
-- (a learner without an account keeps theirs on the device, in a signed
-- cookie), the challenge sets they completed, and the key that signs the
-- state a practice carries in its links so that a finished task cannot be
-- made up by editing an address.

CREATE TABLE practice_keys (
    id INTEGER PRIMARY KEY,
    secret {{BLOB}} NOT NULL
);

-- mode: guided or challenge. started_at comes from the signed state, so a
-- finish recorded twice (a reload, a device's record kept again after
-- signing in) is one row.
CREATE TABLE practice_attempts (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    scenario TEXT NOT NULL,
    task TEXT NOT NULL,
    mode TEXT NOT NULL,
    mistakes INTEGER NOT NULL,
    seconds INTEGER NOT NULL,
    started_at {{TIME}} NOT NULL,
    finished_at {{TIME}} NOT NULL,
    UNIQUE (user_id, scenario, task, mode, started_at)
);
CREATE INDEX practice_attempts_user ON practice_attempts (user_id, finished_at);

-- One row per learner, taken first by every recording transaction, so two
-- tasks finished at once (two tabs) cannot both miss the other when they
-- check whether a set is complete.
CREATE TABLE practice_learners (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    updated_at {{TIME}} NOT NULL
);

CREATE TABLE practice_sets_done (
    user_id BIGINT NOT NULL REFERENCES users (id),
    set_id TEXT NOT NULL,
    finished_at {{TIME}} NOT NULL,
    PRIMARY KEY (user_id, set_id)
);

-- Owned by learn: what counts toward a course besides attending its
-- sessions (a finished practice set), each source once per learner.
CREATE TABLE course_credits (
    user_id BIGINT NOT NULL REFERENCES users (id),
    course_id BIGINT NOT NULL REFERENCES courses (id),
    source TEXT NOT NULL,
    credited_at {{TIME}} NOT NULL,
    PRIMARY KEY (user_id, course_id, source)
);
