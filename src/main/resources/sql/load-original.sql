-- The message to duplicate, with what the duplicate needs of it, and the message it
-- references (one level deep), which the reply shows in full. Returns no row when the
-- conversation or the message does not exist, or the message is in another conversation;
-- else the message itself first and its reference (if any) second.
-- Of the original: its sender, contents and files, template (components, parameters and the
-- files its media parameters name), reference, and the conversation's channel and recipient.
-- Of the reference: everything the Client API's Message shows (latest error, campaign) and its
-- external_id (the bridge's reply_to_external_id).
-- Binds the exchange properties conversationId and messageId.
-- (No hash sign anywhere in this file but in the binds: Camel's sql component reads it as a parameter.)
SELECT m.id,
       m.conversation_id,
       m.sender,
       m.source,
       m.user_id,
       m.status,
       m.agent_reaction,
       m.customer_reaction,
       m.sent_at,
       m.reference_id,
       m.whatsapp_campaign_id,
       wc.name                 AS whatsapp_campaign_name,
       m.whatsapp_template_id,
       wt.components::text     AS template_components,
       m.template_parameters::text AS template_parameters,
       tf.files::text          AS template_files,
       m.external_id,
       m.duplicate_of_id,
       m.created_at,
       c.channel,
       c.recipient,
       mc.contents::text       AS contents,
       e.id                    AS error_id,
       e.type                  AS error_type,
       e.original_message      AS error_original_message,
       e.created_at            AS error_created_at
FROM messages t
JOIN messages m ON m.id = t.id OR m.id = t.reference_id
JOIN conversations c ON c.id = m.conversation_id
-- the reference's campaign and latest error (the reply shows them); the original's are not needed
LEFT JOIN whatsapp_campaigns wc ON wc.id = m.whatsapp_campaign_id AND m.id <> t.id
LEFT JOIN LATERAL (
    SELECT id, type, original_message, created_at
    FROM message_errors
    WHERE message_id = m.id
      AND m.id <> t.id
    ORDER BY created_at DESC, id DESC
    LIMIT 1
) e ON TRUE
-- the original's template (it is compiled into the duplicate's content); the reference's is not shown
LEFT JOIN whatsapp_templates wt ON wt.id = m.whatsapp_template_id AND m.id = t.id
LEFT JOIN LATERAL (
    -- files named by a template's media header parameter (compared as text: a parameter
    -- may hold anything)
    SELECT json_agg(json_build_object('uuid', f.uuid, 'name', f.name, 'mime_type', f.mime_type, 'size', f.size)) AS files
    FROM files f
    WHERE m.id = t.id
      AND m.template_parameters IS NOT NULL
      AND f.uuid::text IN (SELECT lower(btrim(v::text, '"'))
                          FROM jsonb_path_query(m.template_parameters, '$[*].parameters[*].*.file_uuid') AS v)
) tf ON TRUE
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object(
               'position', x.position, 'type', x.type, 'payload', x.payload,
               'file', CASE WHEN f.uuid IS NULL THEN NULL ELSE json_build_object(
                   'uuid', f.uuid, 'name', f.name, 'mime_type', f.mime_type, 'size', f.size) END)
           ORDER BY x.position) AS contents
    FROM message_contents x
    LEFT JOIN files f ON f.uuid = x.file_uuid
    WHERE x.message_id = m.id
) mc ON TRUE
WHERE t.id = :#${exchangeProperty.messageId}
  AND t.conversation_id = :#${exchangeProperty.conversationId}
ORDER BY (m.id = t.id) DESC
