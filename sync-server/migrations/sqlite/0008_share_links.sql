-- Supervisors' shared links (issue #14) and the figures behind them.
--
-- A link opens the figures of one org unit (a county, a town or a school) until it expires or
-- is revoked. Only the SHA-256 of its token is kept: a copy of the database opens no link.
CREATE TABLE share_links (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    unit_kind TEXT NOT NULL CHECK (unit_kind IN ('county', 'town', 'school')),
    unit_id TEXT NOT NULL,
    label TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);

-- Each school's figures (a `domain::supervision::SchoolSummary` as JSON, or null before its
-- first term), worked out by the server with the phones' rules on `taken_on` from the school's
-- changes up to `watermark` (its pull cursor then). Any server process may write them; a row
-- is only ever replaced by one taken on a later day or from more changes, so processes that
-- race agree. Derived data: a restore deletes them, and they are worked out again.
CREATE TABLE school_figures (
    school TEXT PRIMARY KEY,
    taken_on TEXT NOT NULL,
    watermark INTEGER NOT NULL,
    summary TEXT NOT NULL,
    computed_ms INTEGER NOT NULL
);
