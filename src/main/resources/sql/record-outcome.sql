-- Stores the bridge's outcome of one send and returns the duplicate's status as stored after it.
--  * Accepted (variable bridgeFailure is null): status sent, sent_at now (the time of
--    acceptance) and the bridge's external_id, unless the bridge already gave that id to another
--    message (then none is stored).
--  * Failed for good: status error and one message_errors row of type other whose
--    original_message is the failure.
-- Only a duplicate still created is changed, so a late or second send (recovery) never
-- overwrites a finished one; then the values already stored are returned.
-- Returns one row: status, sent_at and the latest error (error_id, error_type,
-- error_original_message, error_created_at; null when there is none).
-- Binds the exchange property duplicateId and the variables externalId and bridgeFailure.
WITH outcome AS (
    UPDATE messages
    SET status      = CASE WHEN CAST(:#${variable.bridgeFailure} AS text) IS NULL THEN 'sent' ELSE 'error' END,
        sent_at     = CASE WHEN CAST(:#${variable.bridgeFailure} AS text) IS NULL THEN now() END,
        external_id = CASE WHEN CAST(:#${variable.bridgeFailure} AS text) IS NULL
                            AND NOT EXISTS (SELECT 1 FROM messages WHERE external_id = :#${variable.externalId})
                           THEN :#${variable.externalId} END
    WHERE id = :#${exchangeProperty.duplicateId}
      AND status = 'created'
    RETURNING id, status, sent_at
),
stored_error AS (
    INSERT INTO message_errors (message_id, type, original_message)
    SELECT id, 'other', :#${variable.bridgeFailure}
    FROM outcome
    WHERE status = 'error'
    RETURNING id, type, original_message, created_at
)
SELECT o.status, o.sent_at,
       e.id AS error_id, e.type AS error_type, e.original_message AS error_original_message, e.created_at AS error_created_at
FROM outcome o
LEFT JOIN stored_error e ON TRUE
UNION ALL
SELECT m.status, m.sent_at, le.id, le.type, le.original_message, le.created_at
FROM messages m
LEFT JOIN LATERAL (
    SELECT id, type, original_message, created_at
    FROM message_errors
    WHERE message_id = m.id
    ORDER BY created_at DESC, id DESC
    LIMIT 1
) le ON TRUE
WHERE m.id = :#${exchangeProperty.duplicateId}
  AND NOT EXISTS (SELECT 1 FROM outcome)
