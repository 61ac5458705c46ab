-- The user of a known, unrevoked bearer token, looked up by the token's SHA-256 (lower-case hex).
-- No row when the token is unknown or revoked.
-- Binds the exchange variable tokenSha256.
SELECT user_id
FROM api_tokens
WHERE token_sha256 = :#${variable.tokenSha256}
  AND revoked_at IS NULL
