-- Every mutation a device has pushed, in the order the server accepted them. The server
-- sequence is the pull cursor; (device, seq) is the device's own chain.
CREATE TABLE mutations (
    server_seq BIGSERIAL PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    school UUID NOT NULL,
    device UUID NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    body JSONB NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (device, seq)
);
CREATE INDEX mutations_by_school ON mutations (school, server_seq);
