package chat.platform.duplicate.bridge;

import chat.platform.duplicate.files.FileUrls;
import chat.platform.duplicate.message.Content;
import chat.platform.duplicate.message.OutgoingMessage;
import chat.platform.duplicate.message.StoredFile;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;
import org.springframework.stereotype.Component;

/**
 * The messenger bridge's side of a send ({@code bridge-api.md}): the request body for a
 * stored duplicate, the {@code external_id} of an accepted one, and the error text stored
 * when the last attempt failed.
 */
@Component("bridgeRequests")
public class BridgeRequests {

    /** {@code message_errors.original_message} is cut to this many characters. */
    public static final int MAX_ERROR_LENGTH = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileUrls fileUrls;

    public BridgeRequests(FileUrls fileUrls) {
        this.fileUrls = fileUrls;
    }

    public String body(OutgoingMessage message, long messageId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("message_id", messageId);
        body.put("conversation_id", message.conversationId());
        body.put("channel", message.channel());
        body.put("recipient", message.recipient());
        body.put("reply_to_external_id", message.referenceExternalId());
        body.set("content", content(message.content()));
        return body.toString();
    }

    ObjectNode content(Content content) {
        ObjectNode payload = content.payload();
        ObjectNode node = JSON.createObjectNode();
        node.put("type", content.type());
        switch (content.type()) {
            case "text" -> copy(payload, node, "content", "text");
            case "image", "video" -> {
                node.set("file", file(content.file()));
                copy(payload, node, "caption", "caption");
            }
            case "audio" -> {
                node.set("file", file(content.file()));
                node.put("voice", payload.path("voice").asBoolean(false));
            }
            case "document" -> {
                node.set("file", file(content.file()));
                copy(payload, node, "filename", "filename");
                copy(payload, node, "caption", "caption");
            }
            case "location" -> {
                for (String field : new String[] {"latitude", "longitude", "name", "address", "url"}) {
                    copy(payload, node, field, field);
                }
            }
            case "contact" -> {
                ObjectNode contact = node.putObject("contact");
                copy(payload, contact, "name", "name");
                copy(payload, contact, "birthday", "birthday");
                for (String list : new String[] {"phones", "emails", "addresses"}) {
                    JsonNode value = payload.get(list);
                    contact.set(list, value != null && value.isArray() ? value : JSON.createArrayNode());
                }
                copy(payload, contact, "org", "org");
            }
            default -> throw new IllegalArgumentException("unknown content type " + content.type());
        }
        return node;
    }

    private ObjectNode file(StoredFile file) {
        if (file == null) {
            throw new IllegalArgumentException("a file content without a file");
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("uuid", file.uuid());
        node.put("name", file.name());
        node.put("mime_type", file.mimeType());
        node.put("size", file.size());
        node.put("url", fileUrls.downloadUrl(file.uuid()));
        return node;
    }

    private static void copy(ObjectNode from, ObjectNode to, String fromField, String toField) {
        JsonNode value = from.get(fromField);
        to.set(toField, value == null ? JSON.nullNode() : value);
    }

    /** A reply of the bridge that retrying will not change: any 4xx but 408 and 429. */
    public boolean isPermanent(Throwable failure) {
        return failure instanceof HttpOperationFailedException http
                && http.getStatusCode() >= 400 && http.getStatusCode() < 500
                && http.getStatusCode() != 408 && http.getStatusCode() != 429;
    }

    /** The bridge's id of an accepted message, from its {@code 2xx} reply; null when it gave none. */
    public String externalId(String replyBody) {
        if (replyBody == null || replyBody.isBlank()) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(replyBody).get("external_id");
            return id != null && id.isValueNode() && !id.isNull() && !id.asText().isBlank() ? id.asText() : null;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    /** What is stored as the error of a send whose last attempt failed. */
    public String failure(Throwable failure) {
        String text;
        // the bridge's HTTP reply, also when Camel wrapped it; null for an I/O error
        HttpOperationFailedException http = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        if (http != null) {
            String body = http.getResponseBody();
            text = "bridge replied " + http.getStatusCode() + (body == null || body.isEmpty() ? "" : ": " + body);
        } else if (failure == null) {
            text = "bridge send failed";
        } else {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            text = "bridge unreachable: " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage());
        }
        return cut(text, MAX_ERROR_LENGTH);
    }

    /** At most {@code max} characters, never half of a surrogate pair. */
    public static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
