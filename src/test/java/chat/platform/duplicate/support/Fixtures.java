package chat.platform.duplicate.support;

import java.util.Map;
import java.util.UUID;

import chat.platform.duplicate.auth.TokenAuthenticator;
import org.springframework.jdbc.core.JdbcTemplate;

/** Rows of the platform's tables, written straight into the test database. */
public class Fixtures {

    private final JdbcTemplate jdbc;

    public Fixtures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long user(String name) {
        return jdbc.queryForObject("INSERT INTO users (name) VALUES (?) RETURNING id", Long.class, name);
    }

    /** A fresh token of a fresh user; returns the token's clear text. */
    public String token(long userId) {
        String token = "tok-" + UUID.randomUUID();
        jdbc.update("INSERT INTO api_tokens (user_id, token_sha256) VALUES (?, ?)", userId, TokenAuthenticator.sha256Hex(token));
        return token;
    }

    public String revokedToken(long userId) {
        String token = "tok-" + UUID.randomUUID();
        jdbc.update("INSERT INTO api_tokens (user_id, token_sha256, revoked_at) VALUES (?, ?, now())",
                userId, TokenAuthenticator.sha256Hex(token));
        return token;
    }

    public long conversation(String recipient) {
        return jdbc.queryForObject("INSERT INTO conversations (channel, recipient) VALUES ('whatsapp', ?) RETURNING id",
                Long.class, recipient);
    }

    public String file(String name, String mimeType, long size) {
        UUID uuid = UUID.randomUUID();
        jdbc.update("INSERT INTO files (uuid, name, mime_type, size) VALUES (?, ?, ?, ?)", uuid, name, mimeType, size);
        return uuid.toString();
    }

    public long campaign(String name) {
        return jdbc.queryForObject("INSERT INTO whatsapp_campaigns (name) VALUES (?) RETURNING id", Long.class, name);
    }

    public MessageBuilder message(long conversationId, String sender) {
        return new MessageBuilder(conversationId, sender);
    }

    public void content(long messageId, int position, String type, String payloadJson, String fileUuid) {
        jdbc.update("INSERT INTO message_contents (message_id, position, type, payload, file_uuid) VALUES (?, ?, ?, ?::jsonb, ?::uuid)",
                messageId, position, type, payloadJson, fileUuid);
    }

    public void error(long messageId, String type, String text) {
        jdbc.update("INSERT INTO message_errors (message_id, type, original_message) VALUES (?, ?, ?)", messageId, type, text);
    }

    public long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }

    /** Recovery leases of a message (message_send_attempts): only while the recovery route resends it. */
    public long sendAttempts(long messageId) {
        return jdbc.queryForObject("SELECT count(*) FROM message_send_attempts WHERE message_id = ?", Long.class, messageId);
    }

    /** Whether the recovery route would resend the message once RECOVERY_AFTER_MS has passed: a duplicate still created. */
    public boolean leftForRecovery(long messageId) {
        return jdbc.queryForObject("SELECT status = 'created' AND duplicate_of_id IS NOT NULL FROM messages WHERE id = ?",
                Boolean.class, messageId);
    }

    /**
     * What a test left for recovery is finished, so that it is not resent in a later test's window:
     * duplicates still created are marked error, and their leases go.
     */
    public void nothingLeftForRecovery() {
        jdbc.update("UPDATE messages SET status = 'error' WHERE status = 'created' AND duplicate_of_id IS NOT NULL");
        jdbc.update("DELETE FROM message_send_attempts");
    }

    public Map<String, Object> row(String sql, Object... args) {
        return jdbc.queryForMap(sql, args);
    }

    public final class MessageBuilder {
        private final long conversationId;
        private final String sender;
        private String source = "user";
        private Long userId;
        private String status = "sent";
        private Long referenceId;
        private Long campaignId;
        private String externalId;
        private Long templateId;
        private String templateParameters;

        MessageBuilder(long conversationId, String sender) {
            this.conversationId = conversationId;
            this.sender = sender;
        }

        public MessageBuilder user(Long id) { this.userId = id; return this; }
        public MessageBuilder status(String value) { this.status = value; return this; }
        public MessageBuilder reference(Long id) { this.referenceId = id; return this; }
        public MessageBuilder campaign(Long id) { this.campaignId = id; this.source = "whatsapp-campaign"; return this; }
        public MessageBuilder externalId(String value) { this.externalId = value; return this; }
        public MessageBuilder template(long id, String parametersJson) { this.templateId = id; this.templateParameters = parametersJson; return this; }

        public long insert() {
            return jdbc.queryForObject("""
                    INSERT INTO messages (conversation_id, sender, source, user_id, status, reference_id,
                                          whatsapp_campaign_id, external_id, whatsapp_template_id, template_parameters, sent_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, CASE WHEN ? = 'created' THEN NULL ELSE now() END)
                    RETURNING id""", Long.class, conversationId, sender, source, userId, status, referenceId,
                    campaignId, externalId, templateId, templateParameters, status);
        }

        /** Inserts the message with one text content. */
        public long text(String text) {
            long id = insert();
            content(id, 0, "text", "{\"content\": " + quote(text) + "}", null);
            return id;
        }
    }

    public long template(String name, String componentsJson) {
        return jdbc.queryForObject("INSERT INTO whatsapp_templates (name, language, components) VALUES (?, 'en', ?::jsonb) RETURNING id",
                Long.class, name, componentsJson);
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
