package chat.platform.duplicate.message;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message as stored, with what belongs to it: its contents and their files, its newest
 * error, its campaign, its template and the conversation's channel and recipient.
 * {@code reference} is the referenced message, one level deep (its own reference is null).
 */
public record StoredMessage(
        long id,
        long conversationId,
        String sender,
        String source,
        Long userId,
        String status,
        String agentReaction,
        String customerReaction,
        Instant sentAt,
        Long referenceId,
        StoredMessage reference,
        Long whatsappCampaignId,
        String whatsappCampaignName,
        Long whatsappTemplateId,
        JsonNode templateComponents,
        JsonNode templateParameters,
        List<StoredFile> templateFiles,
        String externalId,
        Long duplicateOfId,
        Instant createdAt,
        String channel,
        String recipient,
        List<Content> contents,
        MessageError latestError) {

    public StoredMessage {
        contents = List.copyOf(contents);
        templateFiles = List.copyOf(templateFiles);
    }

    public boolean isTemplate() {
        return whatsappTemplateId != null;
    }
}
