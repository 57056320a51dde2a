-- Which phone was shown which open conflict (GET /api/conflicts). Only an edit from a phone
-- shown a conflict resolves it: stamps alone cannot prove its author saw both versions.
CREATE TABLE conflict_views (
    device UUID NOT NULL,
    showing UUID NOT NULL,
    other UUID NOT NULL,
    viewed_ms BIGINT NOT NULL,
    PRIMARY KEY (device, showing, other)
);
