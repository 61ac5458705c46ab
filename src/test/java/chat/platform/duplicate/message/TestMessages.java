package chat.platform.duplicate.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Test fixtures: a fluent builder of {@link StoredMessage} and JSON helpers. */
final class TestMessages {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private TestMessages() {
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }

    static ObjectNode object(String text) {
        return (ObjectNode) json(text);
    }

    static Content content(int position, String type, String payload, StoredFile file) {
        return new Content(position, type, object(payload), file);
    }

    static Builder message() {
        return new Builder();
    }

    static final class Builder {
        long id = 101;
        long conversationId = 12;
        String sender = "agent";
        String source = "user";
        Long userId = 3L;
        String status = "sent";
        String agentReaction;
        String customerReaction;
        Instant sentAt;
        Long referenceId;
        StoredMessage reference;
        Long whatsappCampaignId;
        String whatsappCampaignName;
        Long whatsappTemplateId;
        JsonNode templateComponents;
        JsonNode templateParameters;
        List<StoredFile> templateFiles = new ArrayList<>();
        String externalId;
        Long duplicateOfId;
        Instant createdAt = Instant.parse("2026-01-01T09:00:00Z");
        String channel = "whatsapp";
        String recipient = "+31612345678";
        List<Content> contents = new ArrayList<>();
        MessageError latestError;

        Builder id(long v) { id = v; return this; }
        Builder conversationId(long v) { conversationId = v; return this; }
        Builder sender(String v) { sender = v; return this; }
        Builder source(String v) { source = v; return this; }
        Builder userId(Long v) { userId = v; return this; }
        Builder status(String v) { status = v; return this; }
        Builder agentReaction(String v) { agentReaction = v; return this; }
        Builder customerReaction(String v) { customerReaction = v; return this; }
        Builder sentAt(Instant v) { sentAt = v; return this; }
        Builder referenceId(Long v) { referenceId = v; return this; }
        Builder reference(StoredMessage v) { reference = v; return this; }
        Builder campaign(Long id, String name) { whatsappCampaignId = id; whatsappCampaignName = name; return this; }
        Builder template(Long id, String components, String parameters) {
            whatsappTemplateId = id;
            templateComponents = components == null ? null : json(components);
            templateParameters = parameters == null ? null : json(parameters);
            return this;
        }
        Builder templateFiles(StoredFile... v) { templateFiles = List.of(v); return this; }
        Builder externalId(String v) { externalId = v; return this; }
        Builder duplicateOfId(Long v) { duplicateOfId = v; return this; }
        Builder createdAt(Instant v) { createdAt = v; return this; }
        Builder channel(String v) { channel = v; return this; }
        Builder recipient(String v) { recipient = v; return this; }
        Builder contents(Content... v) { contents = List.of(v); return this; }
        Builder latestError(MessageError v) { latestError = v; return this; }

        StoredMessage build() {
            return new StoredMessage(id, conversationId, sender, source, userId, status, agentReaction,
                    customerReaction, sentAt, referenceId, reference, whatsappCampaignId, whatsappCampaignName,
                    whatsappTemplateId, templateComponents, templateParameters, templateFiles, externalId,
                    duplicateOfId, createdAt, channel, recipient, contents, latestError);
        }
    }
}
