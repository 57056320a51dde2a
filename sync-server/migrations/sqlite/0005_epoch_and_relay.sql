-- The database's epoch: a random id made when the database is created and again by every
-- restore. Pull answers carry it and phones send it back; a phone that pulled under another
-- epoch pulls from the start and sends back what the server lacks (docs/protocol.md,
-- "Restore"). Its one row is written by the server at start (the id comes from the OS's
-- random source), never copied by a backup's restore.
CREATE TABLE server_epoch (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    epoch TEXT NOT NULL
);

-- The device that sent a mutation made on another one (`POST /api/relay`), or NULL when the
-- device that made it pushed it.
ALTER TABLE mutations ADD COLUMN relayed_by TEXT;
