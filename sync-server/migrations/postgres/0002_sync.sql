-- The sync protocol: the org tree, enrolled devices with their chain heads, per-school pull
-- cursors, refusals and concurrent-edit conflicts.
--
-- `mutations` of 0001 numbered all schools in one sequence; pull cursors are now per school
-- (a school row holds its counter, taken with a row lock in the push transaction, so pushes of
-- one school commit in cursor order and readers never see a later number before an earlier one
-- commits). No server had a push endpoint before this migration, so the old table is empty and
-- is rebuilt.
DROP TABLE mutations;

CREATE TABLE counties (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL
);

CREATE TABLE towns (
    id UUID PRIMARY KEY,
    county UUID NOT NULL REFERENCES counties (id),
    name TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    UNIQUE (county, name)
);

CREATE TABLE schools (
    id UUID PRIMARY KEY,
    town UUID NOT NULL REFERENCES towns (id),
    name TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    -- The school's pull cursor: the server sequence of its newest mutation.
    last_server_seq BIGINT NOT NULL DEFAULT 0,
    UNIQUE (town, name)
);

-- One-time codes, stored as the SHA-256 of the code: a copy of the database enrolls nobody.
CREATE TABLE enrollment_codes (
    code_hash TEXT PRIMARY KEY,
    school UUID NOT NULL REFERENCES schools (id),
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    used_ms BIGINT,
    used_by UUID
);

-- An enrolled phone: its credential (as a SHA-256 hash) and the head of its mutation chain.
CREATE TABLE devices (
    id UUID PRIMARY KEY,
    school UUID NOT NULL REFERENCES schools (id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    enrolled_ms BIGINT NOT NULL,
    last_seen_ms BIGINT,
    revoked_ms BIGINT,
    last_seq BIGINT NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL
);

CREATE TABLE mutations (
    school UUID NOT NULL,
    server_seq BIGINT NOT NULL,
    id UUID NOT NULL UNIQUE,
    device UUID NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    body JSONB NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (school, server_seq),
    UNIQUE (device, seq)
);

-- Every refused mutation, kept whole, with the reason the phone was given.
CREATE TABLE rejections (
    device UUID NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    id UUID NOT NULL,
    -- Whether the refusal used up the counter (the head moved past it).
    uses_counter BOOLEAN NOT NULL,
    reason JSONB NOT NULL,
    body JSONB NOT NULL,
    rejected_ms BIGINT NOT NULL,
    PRIMARY KEY (device, seq, hash)
);

-- Concurrent edits kept for a person to resolve (domain::sync::conflict).
CREATE TABLE conflicts (
    school UUID NOT NULL,
    slot TEXT NOT NULL,
    showing UUID NOT NULL,
    other UUID NOT NULL,
    body JSONB NOT NULL,
    found_ms BIGINT NOT NULL,
    resolved_ms BIGINT,
    PRIMARY KEY (showing, other)
);

-- Which mutation holds each contested slot, to find conflicts without reading history.
CREATE TABLE contested_slots (
    school UUID NOT NULL,
    slot TEXT NOT NULL,
    version JSONB NOT NULL,
    PRIMARY KEY (school, slot)
);
