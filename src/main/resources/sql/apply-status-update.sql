-- Applies one status update of the messenger bridge in one statement (one transaction):
--  * the status only moves forward along created, sent, delivered, read (a message in error
--    counts as sent: a later delivered or read from the bridge overtakes the error);
--  * error, from any status but read, sets status error and writes one status-update row of
--    message_errors, unless the message is already in error with that same text.
-- Binds the exchange variable update (a StatusUpdate). Returns found: 0 when no message has
-- the external_id (and then nothing changes).
-- (No hash sign anywhere in this file but in the binds: Camel's sql component reads it as a parameter.)
WITH input AS (
    SELECT CAST(:#${variable.update.externalId} AS text) AS external_id,
           CAST(:#${variable.update.status} AS text)     AS new_status,
           CAST(:#${variable.update.errorText} AS text)  AS error_text
),
target AS (
    SELECT m.id, m.status, i.new_status, i.error_text,
           (SELECT e.original_message FROM message_errors e WHERE e.message_id = m.id
            ORDER BY e.created_at DESC, e.id DESC LIMIT 1) AS latest_error
    FROM messages m
    JOIN input i ON m.external_id = i.external_id
    FOR UPDATE OF m
),
moved_forward AS (
    UPDATE messages m
    SET status = t.new_status
    FROM target t
    WHERE m.id = t.id
      AND t.new_status <> 'error'
      AND array_position(ARRAY['created', 'sent', 'delivered', 'read'], t.new_status)
        > array_position(ARRAY['created', 'sent', 'delivered', 'read'],
                         CASE WHEN t.status = 'error' THEN 'sent' ELSE t.status END)
    RETURNING m.id
),
failed AS (
    UPDATE messages m
    SET status = 'error'
    FROM target t
    WHERE m.id = t.id
      AND t.new_status = 'error'
      AND t.status <> 'read'
      AND NOT (t.status = 'error' AND t.latest_error IS NOT DISTINCT FROM t.error_text)
    RETURNING m.id, t.error_text
),
error_row AS (
    INSERT INTO message_errors (message_id, type, original_message)
    SELECT id, 'status-update', error_text FROM failed
    RETURNING id
)
SELECT count(*) AS found FROM target
