-- Seed of bench/run.sh, plain SQL run once after Flyway created the schema. bench/run.sh replaces
-- @RUN@ (a tag of this run, so several runs can share a scratch database), @TOKEN@ (the bearer
-- token), @CONVERSATIONS@ and @PER_CONVERSATION@.
-- One user with one API token; @CONVERSATIONS@ WhatsApp conversations, each with one customer
-- message and @PER_CONVERSATION@ sent agent text messages replying to it (so the load query also
-- joins a reference, as for a typical reply).
INSERT INTO users (name) VALUES ('bench @RUN@');

INSERT INTO api_tokens (user_id, token_sha256)
SELECT id, encode(sha256(convert_to('@TOKEN@', 'UTF8')), 'hex') FROM users WHERE name = 'bench @RUN@';

INSERT INTO conversations (channel, recipient)
SELECT 'whatsapp', '+3161' || lpad(g::text, 7, '0') || ' bench-@RUN@'
FROM generate_series(1, @CONVERSATIONS@) AS g;

WITH conversation AS (
    SELECT id FROM conversations WHERE recipient LIKE '% bench-@RUN@'
),
customer AS (
    INSERT INTO messages (conversation_id, sender, source, status, external_id)
    SELECT id, 'customer', 'user', 'delivered', 'wamid.bench-@RUN@-c' || id FROM conversation
    RETURNING id, conversation_id
)
INSERT INTO message_contents (message_id, position, type, payload)
SELECT id, 0, 'text', jsonb_build_object('content', 'Hello, I have a question about my order ' || conversation_id || '.')
FROM customer;

WITH agent AS (
    INSERT INTO messages (conversation_id, sender, source, user_id, status, sent_at, reference_id, external_id)
    SELECT c.conversation_id, 'agent', 'user', u.id, 'sent', now(), c.id, 'wamid.bench-@RUN@-a' || c.id || '-' || k
    FROM messages c
    JOIN conversations v ON v.id = c.conversation_id AND v.recipient LIKE '% bench-@RUN@'
    CROSS JOIN generate_series(1, @PER_CONVERSATION@) AS k
    CROSS JOIN (SELECT id FROM users WHERE name = 'bench @RUN@') AS u
    WHERE c.sender = 'customer'
    RETURNING id
)
INSERT INTO message_contents (message_id, position, type, payload)
SELECT id, 0, 'text', jsonb_build_object('content',
    'Thanks for your message! Your order ' || id || ' ships tomorrow; we will send you the tracking link.')
FROM agent;

ANALYZE users, api_tokens, conversations, messages, message_contents, message_errors, message_send_attempts;
