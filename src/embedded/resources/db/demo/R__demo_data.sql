-- Demo data of the embedded default run (never loaded against an external database).
-- Token 'demo-token' belongs to user 1; conversation 1 holds agent messages of several
-- content types, a customer message and a reference, so every rule can be tried by hand.
INSERT INTO users (id, name) VALUES (1, 'Demo Agent') ON CONFLICT (id) DO NOTHING;
INSERT INTO api_tokens (user_id, token_sha256)
VALUES (1, encode(sha256(convert_to('demo-token', 'UTF8')), 'hex')) ON CONFLICT (token_sha256) DO NOTHING;
INSERT INTO conversations (id, channel, recipient) VALUES (1, 'whatsapp', '+31612345678') ON CONFLICT (id) DO NOTHING;
INSERT INTO files (uuid, name, mime_type, size) VALUES
    ('8f1c2a9e-4b7d-4c1e-9a3f-2d5e6f708192', 'tulips.jpg', 'image/jpeg', 48213),
    ('0b9d3c4e-5f6a-4b7c-8d9e-a0b1c2d3e4f5', 'invoice-1042.pdf', 'application/pdf', 90412),
    ('1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'voice-note.ogg', 'audio/ogg', 15320)
ON CONFLICT (uuid) DO NOTHING;

INSERT INTO messages (id, conversation_id, sender, source, user_id, status, sent_at, external_id, created_at) VALUES
    (1, 1, 'agent', 'user', 1, 'error', NULL, NULL, now() - interval '10 minutes'),
    (2, 1, 'customer', 'user', NULL, 'read', now() - interval '9 minutes', 'wamid.demo-customer-2', now() - interval '9 minutes'),
    (3, 1, 'agent', 'user', 1, 'sent', now() - interval '8 minutes', 'wamid.demo-agent-3', now() - interval '8 minutes'),
    (4, 1, 'agent', 'user', 1, 'delivered', now() - interval '7 minutes', 'wamid.demo-agent-4', now() - interval '7 minutes'),
    (5, 1, 'agent', 'user', 1, 'sent', now() - interval '6 minutes', 'wamid.demo-agent-5', now() - interval '6 minutes'),
    (6, 1, 'agent', 'user', 1, 'read', now() - interval '5 minutes', 'wamid.demo-agent-6', now() - interval '5 minutes'),
    (7, 1, 'agent', 'user', 1, 'sent', now() - interval '4 minutes', 'wamid.demo-agent-7', now() - interval '4 minutes')
ON CONFLICT (id) DO NOTHING;
UPDATE messages SET reference_id = 2 WHERE id = 3 AND reference_id IS NULL;

INSERT INTO message_contents (message_id, position, type, payload, file_uuid) VALUES
    (1, 0, 'text', '{"content": "Hello! Your order #1042 has shipped."}', NULL),
    (2, 0, 'text', '{"content": "Where is my order?"}', NULL),
    (3, 0, 'image', '{"caption": "Your tulips, packed"}', '8f1c2a9e-4b7d-4c1e-9a3f-2d5e6f708192'),
    (4, 0, 'document', '{"filename": "invoice-1042.pdf", "caption": "Your invoice"}', '0b9d3c4e-5f6a-4b7c-8d9e-a0b1c2d3e4f5'),
    (5, 0, 'location', '{"latitude": "52.3676", "longitude": "4.9041", "name": "Pick-up point", "address": "Dam 1, Amsterdam", "url": null}', NULL),
    (6, 0, 'contact', '{"name": {"formatted_name": "Ann de Vries", "first_name": "Ann", "last_name": "de Vries"}, "birthday": null, "phones": [{"phone": "+31201234567", "type": "WORK"}], "emails": [{"email": "ann@example.com", "type": "WORK"}], "addresses": [], "org": {"company": "Tulip Shop"}}', NULL),
    (7, 0, 'audio', '{"voice": true}', '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d')
ON CONFLICT (message_id, position) DO NOTHING;

INSERT INTO message_errors (message_id, type, original_message)
SELECT 1, 'other', 'bridge replied 503: upstream unavailable'
WHERE NOT EXISTS (SELECT 1 FROM message_errors WHERE message_id = 1);

-- explicit ids above: move the identity sequences past them
SELECT setval(pg_get_serial_sequence('users', 'id'), GREATEST((SELECT max(id) FROM users), 1));
SELECT setval(pg_get_serial_sequence('conversations', 'id'), GREATEST((SELECT max(id) FROM conversations), 1));
SELECT setval(pg_get_serial_sequence('messages', 'id'), GREATEST((SELECT max(id) FROM messages), 1));
