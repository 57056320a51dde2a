-- A school's devices, in id order: the chain heads a phone asks for after a restore
-- (`GET /api/heads`) read them. Without this index that read scanned every device of every
-- school on the server, and grew with the deployment instead of with the school.
CREATE INDEX devices_by_school ON devices (school, id);
