-- Claims duplicates that were stored but whose sending never finished (the process died between
-- storing one and the bridge's reply): status still created, stored more than RECOVERY_AFTER_MS
-- ago, and no send attempt begun within RECOVERY_AFTER_MS. The partial index
-- messages_unsent_duplicates holds duplicates still created only, so this reads a handful of
-- rows however many messages the platform has.
-- A claim is a lease in message_send_attempts (started_at now): the upsert takes a message only
-- when no other instance holds a lease younger than RECOVERY_AFTER_MS, and PostgreSQL decides
-- that on the row itself, so one instance at a time works on a message. Leases of messages that
-- are no longer created are removed.
-- Binds the property recovery.after-ms. Returns message_id and conversation_id of each claim.
WITH finished AS (
    DELETE FROM message_send_attempts a
    USING messages m
    WHERE m.id = a.message_id
      AND m.status <> 'created'
),
due AS (
    SELECT m.id
    FROM messages m
    WHERE m.status = 'created'
      AND m.duplicate_of_id IS NOT NULL
      AND m.created_at < now() - make_interval(secs => CAST(:#${properties:recovery.after-ms:60000} AS double precision) / 1000)
      AND NOT EXISTS (
          SELECT 1 FROM message_send_attempts a
          WHERE a.message_id = m.id
            AND a.started_at >= now() - make_interval(secs => CAST(:#${properties:recovery.after-ms:60000} AS double precision) / 1000))
    ORDER BY m.created_at
    LIMIT 50
),
claimed AS (
    INSERT INTO message_send_attempts AS a (message_id, started_at, attempts)
    SELECT id, now(), 2 FROM due
    ON CONFLICT (message_id) DO UPDATE
        SET started_at = now(),
            attempts   = a.attempts + 1
        WHERE a.started_at < now() - make_interval(secs => CAST(:#${properties:recovery.after-ms:60000} AS double precision) / 1000)
    RETURNING a.message_id
)
SELECT c.message_id, m.conversation_id
FROM claimed c
JOIN messages m ON m.id = c.message_id
