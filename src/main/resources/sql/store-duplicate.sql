-- Stores a new duplicate in one statement: the message (status created, duplicate_of_id set),
-- its one content and, when the request carries an Idempotency-Key, the duplicate's id on the
-- key's row (so that a repeat after this request died answers with it). Nothing else is written
-- for recovery: a duplicate still created RECOVERY_AFTER_MS after it was stored is found by its
-- status (index messages_unsent_duplicates).
-- Binds, by name, the map of variable newMessage (conversationId, userId, referenceId,
-- duplicateOfId, contentType, payloadJson, fileUuid) and the variables tokenSha256 and
-- idempotencyKey. Returns the new message's id.
WITH new_message AS (
    INSERT INTO messages (conversation_id, sender, source, user_id, status, reference_id, duplicate_of_id)
    VALUES (:#conversationId, 'agent', 'user', :#userId, 'created', :#referenceId, :#duplicateOfId)
    RETURNING id
),
keyed AS (
    UPDATE idempotency_keys
    SET duplicate_id = (SELECT id FROM new_message)
    WHERE token_sha256 = :#${variable.tokenSha256}
      AND idempotency_key = :#${variable.idempotencyKey}
)
INSERT INTO message_contents (message_id, position, type, payload, file_uuid)
SELECT id, 0, :#contentType, CAST(:#payloadJson AS jsonb), CAST(:#fileUuid AS uuid)
FROM new_message
RETURNING message_id
