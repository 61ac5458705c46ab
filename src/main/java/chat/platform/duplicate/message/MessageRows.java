package chat.platform.duplicate.message;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chat.platform.duplicate.problem.ApiProblem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/**
 * Reads rows into a {@link StoredMessage}: those of {@code sql/load-message.sql} and
 * {@code sql/load-original.sql} (the first row is the message, the second, if any, its
 * reference; no row is a {@code 404}), and a duplicate as stored after its send from what the
 * flow stored and what {@code sql/record-outcome.sql} returned, without reading it again.
 */
@Component("messageRows")
public class MessageRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    public StoredMessage read(List<Map<String, Object>> rows) {
        if (rows == null || rows.isEmpty()) {
            throw ApiProblem.notFound("No such message in this conversation.");
        }
        StoredMessage reference = rows.size() > 1 ? message(rows.get(1), null) : null;
        return message(rows.get(0), reference);
    }

    /**
     * The duplicate as stored after the send: the values the flow stored (sender agent, source
     * user, the content, the reference) and those the outcome statement returned (status,
     * sent_at, latest error). A duplicate has no reactions, campaign, template or other error.
     */
    public StoredMessage sentDuplicate(OutgoingMessage duplicate, long id, Map<String, Object> outcome) {
        if (outcome == null) {
            throw new IllegalStateException("duplicate " + id + " has no stored outcome");
        }
        Content content = duplicate.content();
        return new StoredMessage(
                id,
                duplicate.conversationId(),
                "agent",
                "user",
                duplicate.userId(),
                (String) outcome.get("status"),
                null,
                null,
                instant(outcome.get("sent_at")),
                duplicate.referenceId(),
                duplicate.reference(),
                null,
                null,
                null,
                null,
                null,
                List.of(),
                null,
                duplicate.duplicateOfId(),
                null,
                duplicate.channel(),
                duplicate.recipient(),
                List.of(new Content(0, content.type(), content.payload(), content.file())),
                error(outcome, id));
    }

    private static StoredMessage message(Map<String, Object> row, StoredMessage reference) {
        return new StoredMessage(
                longValue(row, "id"),
                longValue(row, "conversation_id"),
                (String) row.get("sender"),
                (String) row.get("source"),
                (Long) row.get("user_id"),
                (String) row.get("status"),
                (String) row.get("agent_reaction"),
                (String) row.get("customer_reaction"),
                instant(row.get("sent_at")),
                (Long) row.get("reference_id"),
                reference,
                (Long) row.get("whatsapp_campaign_id"),
                (String) row.get("whatsapp_campaign_name"),
                (Long) row.get("whatsapp_template_id"),
                json(row.get("template_components")),
                json(row.get("template_parameters")),
                files(json(row.get("template_files"))),
                (String) row.get("external_id"),
                (Long) row.get("duplicate_of_id"),
                instant(row.get("created_at")),
                (String) row.get("channel"),
                (String) row.get("recipient"),
                contents(json(row.get("contents"))),
                error(row, longValue(row, "id")));
    }

    /** The latest error of a row's error_* columns; null when it has none. */
    private static MessageError error(Map<String, Object> row, long messageId) {
        return row.get("error_id") == null ? null : new MessageError(
                longValue(row, "error_id"),
                messageId,
                (String) row.get("error_type"),
                (String) row.get("error_original_message"),
                instant(row.get("error_created_at")));
    }

    private static List<Content> contents(JsonNode array) {
        List<Content> contents = new ArrayList<>();
        if (array != null) {
            for (JsonNode item : array) {
                JsonNode payload = item.get("payload");
                contents.add(new Content(
                        item.get("position").asInt(),
                        item.get("type").asText(),
                        payload instanceof ObjectNode object ? object : JSON.createObjectNode(),
                        file(item.get("file"))));
            }
        }
        return contents;
    }

    private static List<StoredFile> files(JsonNode array) {
        List<StoredFile> files = new ArrayList<>();
        if (array != null) {
            array.forEach(item -> files.add(file(item)));
        }
        return files;
    }

    private static StoredFile file(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode name = node.get("name");
        return new StoredFile(node.get("uuid").asText(), name == null || name.isNull() ? null : name.asText(),
                node.get("mime_type").asText(), node.get("size").asLong());
    }

    private static long longValue(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime offsetDateTime) {
            return offsetDateTime.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        throw new IllegalArgumentException("not a time: " + value.getClass());
    }

    private static JsonNode json(Object text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database returned malformed JSON", e);
        }
    }
}
