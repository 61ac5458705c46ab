-- Keeps the reply of a request that claimed an Idempotency-Key, so that repeats replay it
-- (status and body, a 4xx too); a 5xx reply (the database was unavailable, say) frees the key
-- instead, so that a retry runs again.
-- Binds the reply (header CamelHttpResponseCode, none meaning 200, and the body) and the
-- exchange variables tokenSha256 and idempotencyKey.
WITH reply AS (
    SELECT COALESCE(CAST(:#${header.CamelHttpResponseCode} AS integer), 200) AS status
),
kept AS (
    UPDATE idempotency_keys
    SET state = 'done', response_status = reply.status, response_body = :#${body}
    FROM reply
    WHERE reply.status < 500
      AND token_sha256 = :#${variable.tokenSha256}
      AND idempotency_key = :#${variable.idempotencyKey}
)
DELETE FROM idempotency_keys
USING reply
WHERE reply.status >= 500
  AND token_sha256 = :#${variable.tokenSha256}
  AND idempotency_key = :#${variable.idempotencyKey}
