-- Claims an Idempotency-Key for this token and these ids, or reads who holds it.
-- A key is free when unknown, older than 24 hours, or 'running' for more than 2 minutes (its
-- request died, or the database went away before it could finish: no request runs that long).
-- Returns claimed = 1 when this request holds it now, with resume_duplicate_id = the duplicate
-- a dead first request already stored (answer with it, create nothing); else the holder's row
-- (its columns are null when a concurrent first request claimed it a moment ago: a 409 too).
-- Binds the exchange variables tokenSha256 and idempotencyKey and the properties conversationId and messageId.
-- (No hash sign anywhere in this file but in the binds: Camel's sql component reads it as a parameter.)
WITH claim AS (
    INSERT INTO idempotency_keys AS k (token_sha256, idempotency_key, conversation_id, message_id, state, created_at)
    VALUES (:#${variable.tokenSha256}, :#${variable.idempotencyKey}, :#${exchangeProperty.conversationId},
            :#${exchangeProperty.messageId}, 'running', now())
    ON CONFLICT (token_sha256, idempotency_key) DO UPDATE
        SET conversation_id = EXCLUDED.conversation_id,
            message_id      = EXCLUDED.message_id,
            state           = 'running',
            response_status = NULL,
            response_body   = NULL,
            duplicate_id    = CASE WHEN k.created_at < now() - interval '24 hours' THEN NULL ELSE k.duplicate_id END,
            created_at      = now()
        WHERE k.created_at < now() - interval '24 hours'
           OR (k.state = 'running' AND k.created_at < now() - interval '2 minutes')
    RETURNING k.duplicate_id
)
SELECT (SELECT count(*) FROM claim) AS claimed,
       (SELECT duplicate_id FROM claim) AS resume_duplicate_id,
       k.conversation_id, k.message_id, k.state, k.response_status, k.response_body
FROM (SELECT 1) AS one
LEFT JOIN idempotency_keys k
       ON k.token_sha256 = :#${variable.tokenSha256}
      AND k.idempotency_key = :#${variable.idempotencyKey}
