-- Which phone was shown which open conflict (GET /api/conflicts). Only an edit from a phone
-- shown a conflict resolves it: stamps alone cannot prove its author saw both versions.
CREATE TABLE conflict_views (
    device TEXT NOT NULL,
    showing TEXT NOT NULL,
    other TEXT NOT NULL,
    viewed_ms INTEGER NOT NULL,
    PRIMARY KEY (device, showing, other)
);
