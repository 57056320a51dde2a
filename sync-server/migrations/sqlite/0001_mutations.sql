-- Every mutation a device has pushed, in the order the server accepted them. The server
-- sequence is the pull cursor; (device, seq) is the device's own chain.
CREATE TABLE mutations (
    server_seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    school TEXT NOT NULL,
    device TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (device, seq)
);
CREATE INDEX mutations_by_school ON mutations (school, server_seq);
