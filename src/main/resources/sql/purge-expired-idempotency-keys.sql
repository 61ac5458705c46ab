-- Idempotency-Keys are kept 24 hours; this deletes the older ones.
DELETE FROM idempotency_keys
WHERE created_at < now() - interval '24 hours'
