-- One message of one conversation and the message it references (one level deep), with
-- everything the Client API's Message shows and the bridge needs. Returns no row when the
-- conversation or the message does not exist, or the message is in another conversation;
-- else the message itself first and its reference (if any) second.
-- Binds the exchange properties conversationId and messageId.
-- (No hash sign anywhere in this file but in the two binds: Camel's sql component reads it as a parameter.)
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
LEFT JOIN whatsapp_campaigns wc ON wc.id = m.whatsapp_campaign_id
LEFT JOIN whatsapp_templates wt ON wt.id = m.whatsapp_template_id
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
LEFT JOIN LATERAL (
    -- files named by a template's media header parameter (compared as text: a parameter
    -- may hold anything)
    SELECT json_agg(json_build_object('uuid', f.uuid, 'name', f.name, 'mime_type', f.mime_type, 'size', f.size)) AS files
    FROM files f
    WHERE m.template_parameters IS NOT NULL
      AND f.uuid::text IN (SELECT lower(btrim(v::text, '"'))
                          FROM jsonb_path_query(m.template_parameters, '$[*].parameters[*].*.file_uuid') AS v)
) tf ON TRUE
LEFT JOIN LATERAL (
    SELECT id, type, original_message, created_at
    FROM message_errors
    WHERE message_id = m.id
    ORDER BY created_at DESC, id DESC
    LIMIT 1
) e ON TRUE
WHERE t.id = :#${exchangeProperty.messageId}
  AND t.conversation_id = :#${exchangeProperty.conversationId}
ORDER BY (m.id = t.id) DESC
