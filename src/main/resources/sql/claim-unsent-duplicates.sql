-- Claims duplicates that were stored but whose sending never finished: status still 'created'
-- and the last send attempt began more than RECOVERY_AFTER_MS ago. message_send_attempts holds
-- unfinished sends only (send-to-bridge deletes the row with the outcome), so this reads a few
-- rows, however many messages the platform has. SKIP LOCKED and the moved started_at (the
-- lease) make sure one instance at a time works on a message.
-- Binds the property recovery.after-ms.
WITH due AS (
    SELECT a.message_id
    FROM message_send_attempts a
    JOIN messages m ON m.id = a.message_id
    WHERE m.status = 'created'
      AND a.started_at < now() - make_interval(secs => CAST(:#${properties:recovery.after-ms:60000} AS double precision) / 1000)
    ORDER BY a.started_at
    LIMIT 50
    FOR UPDATE OF a SKIP LOCKED
)
UPDATE message_send_attempts a
SET started_at = now(),
    attempts   = a.attempts + 1
FROM due, messages m
WHERE a.message_id = due.message_id
  AND m.id = a.message_id
RETURNING a.message_id, m.conversation_id
