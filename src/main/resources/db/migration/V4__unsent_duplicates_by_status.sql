-- A duplicate whose send never finished is found by its status: it is still 'created'. This
-- partial index holds exactly those duplicates (a handful: a duplicate leaves it when its send
-- finishes), so the recovery route's query reads only them, however large messages grows. The
-- request path writes nothing else for recovery; message_send_attempts holds only the leases of
-- duplicates the recovery route is resending.
CREATE INDEX messages_unsent_duplicates ON messages (created_at)
    WHERE status = 'created' AND duplicate_of_id IS NOT NULL;

-- Rows of sends that began before this version: their duplicates are found by status now.
DELETE FROM message_send_attempts a
USING messages m
WHERE m.id = a.message_id
  AND m.status <> 'created';

-- The newest error of a message (the Client API's latest_error), read for every message shown.
CREATE INDEX message_errors_latest ON message_errors (message_id, created_at DESC, id DESC);
