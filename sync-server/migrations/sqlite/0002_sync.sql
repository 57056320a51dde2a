-- The sync protocol: the org tree, enrolled devices with their chain heads, per-school pull
-- cursors, refusals and concurrent-edit conflicts.
--
-- `mutations` of 0001 numbered all schools in one sequence; pull cursors are now per school
-- (a school row holds its counter, taken in the push transaction, so readers never see a
-- later number before an earlier one commits). No server had a push endpoint before this
-- migration, so the old table is empty and is rebuilt.
DROP TABLE mutations;

CREATE TABLE counties (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);

CREATE TABLE towns (
    id TEXT PRIMARY KEY,
    county TEXT NOT NULL REFERENCES counties (id),
    name TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    UNIQUE (county, name)
);

CREATE TABLE schools (
    id TEXT PRIMARY KEY,
    town TEXT NOT NULL REFERENCES towns (id),
    name TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    -- The school's pull cursor: the server sequence of its newest mutation.
    last_server_seq INTEGER NOT NULL DEFAULT 0,
    UNIQUE (town, name)
);

-- One-time codes, stored as the SHA-256 of the code: a copy of the database enrolls nobody.
CREATE TABLE enrollment_codes (
    code_hash TEXT PRIMARY KEY,
    school TEXT NOT NULL REFERENCES schools (id),
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms INTEGER,
    used_by TEXT
);

-- An enrolled phone: its credential (as a SHA-256 hash) and the head of its mutation chain.
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    school TEXT NOT NULL REFERENCES schools (id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    enrolled_ms INTEGER NOT NULL,
    last_seen_ms INTEGER,
    revoked_ms INTEGER,
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL
);

CREATE TABLE mutations (
    school TEXT NOT NULL,
    server_seq INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    device TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    body TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    PRIMARY KEY (school, server_seq),
    UNIQUE (device, seq)
);

-- Every refused mutation, kept whole, with the reason the phone was given.
CREATE TABLE rejections (
    device TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    id TEXT NOT NULL,
    -- Whether the refusal used up the counter (the head moved past it).
    uses_counter INTEGER NOT NULL,
    reason TEXT NOT NULL,
    body TEXT NOT NULL,
    rejected_ms INTEGER NOT NULL,
    PRIMARY KEY (device, seq, hash)
);

-- Concurrent edits kept for a person to resolve (domain::sync::conflict).
CREATE TABLE conflicts (
    school TEXT NOT NULL,
    slot TEXT NOT NULL,
    showing TEXT NOT NULL,
    other TEXT NOT NULL,
    body TEXT NOT NULL,
    found_ms INTEGER NOT NULL,
    resolved_ms INTEGER,
    PRIMARY KEY (showing, other)
);

-- Which mutation holds each contested slot, to find conflicts without reading history.
CREATE TABLE contested_slots (
    school TEXT NOT NULL,
    slot TEXT NOT NULL,
    version TEXT NOT NULL,
    PRIMARY KEY (school, slot)
);
