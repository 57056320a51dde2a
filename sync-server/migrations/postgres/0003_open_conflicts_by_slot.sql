-- A push that resolves conflicts looks up the open ones of its slots.
CREATE INDEX conflicts_open_by_slot ON conflicts (school, slot) WHERE resolved_ms IS NULL;
