-- Tables of the duplicate-message service itself, beside the platform's (V1). A platform
-- database run with SPRING_FLYWAY_ENABLED=false needs these applied by its owners.

-- Idempotency-Key: one row per (token, key) for 24 hours. 'running' while the first request
-- is under way, then 'done' with the reply to replay. The primary key makes a key single-use
-- across every instance of the service. duplicate_id remembers the duplicate the first request
-- stored, so a repeat after that request died answers with it instead of creating another.
CREATE TABLE idempotency_keys (
    token_sha256    TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    conversation_id BIGINT      NOT NULL,
    message_id      BIGINT      NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN ('running', 'done')),
    response_status INTEGER,
    response_body   TEXT,
    duplicate_id    BIGINT      REFERENCES messages (id), -- set in the statement that stores the duplicate
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (token_sha256, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- When the service last began to send a duplicate. A duplicate still 'created' whose last
-- attempt began more than RECOVERY_AFTER_MS ago was never finished (the process died) and is
-- sent again by the recovery route; claiming it moves started_at, a lease the other instances
-- respect.
CREATE TABLE message_send_attempts (
    message_id BIGINT      PRIMARY KEY REFERENCES messages (id),
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts   INTEGER     NOT NULL DEFAULT 1
);
CREATE INDEX message_send_attempts_started_at ON message_send_attempts (started_at);
