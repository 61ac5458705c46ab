package chat.platform.duplicate.message;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import chat.platform.duplicate.files.FileUrls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/**
 * The Client API's {@code Message} (the seed's schema) of a stored message: the one mapping
 * behind the duplicate reply, Get Message and {@code reference}. Every field of the schema is
 * present, null where it has no value; times are UTC ISO-8601 with {@code Z}.
 */
@Component("messageJson")
public class MessageJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fields each content type shows besides {@code type} and the file fields, in schema order. */
    private static final Map<String, List<String>> CONTENT_FIELDS = Map.of(
            "text", List.of("content"),
            "image", List.of("caption"),
            "video", List.of("caption"),
            "audio", List.of("voice"),
            "document", List.of("filename", "caption"),
            "location", List.of("latitude", "longitude", "address", "name", "url"),
            "contact", List.of("name", "birthday", "phones", "emails", "addresses", "org"));

    private final FileUrls fileUrls;

    public MessageJson(FileUrls fileUrls) {
        this.fileUrls = fileUrls;
    }

    /** The reply body {@code {"data": Message}}. */
    public String reply(StoredMessage message) {
        ObjectNode body = JSON.createObjectNode();
        body.set("data", message(message));
        return body.toString();
    }

    public ObjectNode message(StoredMessage m) {
        return message(m, true);
    }

    /** {@code reference} is one level deep: the referenced message's own reference is null. */
    private ObjectNode message(StoredMessage m, boolean withReference) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", m.id());
        node.put("conversation_id", m.conversationId());
        node.put("from", m.sender());
        node.put("source", m.source());
        node.put("user_id", m.userId());
        node.putArray("contents").addAll(m.contents().stream().map(this::content).toList());
        node.put("status", m.status());
        node.put("agent_reaction", m.agentReaction());
        node.put("customer_reaction", m.customerReaction());
        node.put("sent_at", time(m.sentAt()));
        node.set("reference", !withReference || m.reference() == null ? null : message(m.reference(), false));
        node.set("latest_error", m.latestError() == null ? null : error(m.latestError()));
        node.set("whatsapp_campaign", m.whatsappCampaignId() == null ? null : campaign(m));
        return node;
    }

    public ObjectNode content(Content content) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", content.type());
        if (content.hasFile()) {
            StoredFile file = content.file();
            node.put("has_file", true);
            node.put("uuid", file.uuid());
            node.put("name", file.name());
            node.put("mime_type", file.mimeType());
            node.put("size", file.size());
            node.put("download_url", fileUrls.downloadUrl(file.uuid()));
            node.put("public_download_url", fileUrls.publicDownloadUrl(file.uuid()));
        }
        ObjectNode payload = content.payload();
        for (String field : CONTENT_FIELDS.getOrDefault(content.type(), List.of())) {
            JsonNode value = payload.get(field);
            node.set(field, value == null ? JSON.nullNode() : value);
        }
        payload.fields().forEachRemaining(field -> {
            if (!node.has(field.getKey())) {
                node.set(field.getKey(), field.getValue());
            }
        });
        return node;
    }

    private static ObjectNode error(MessageError error) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", error.id());
        node.put("message_id", error.messageId());
        node.put("type", error.type());
        node.put("original_message", error.originalMessage());
        node.put("created_at", time(error.createdAt()));
        return node;
    }

    private static ObjectNode campaign(StoredMessage m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", m.whatsappCampaignId());
        node.put("name", m.whatsappCampaignName());
        return node;
    }

    static String time(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
