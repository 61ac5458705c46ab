package bench.peer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bench's peer: Duplicate Message for text messages, written by hand as a team would without
 * Camel: Spring MVC, JdbcTemplate with its own plain SQL, java.net.http. The same checks (401, 400,
 * 404, 422), the same bridge call with {@code Idempotency-Key: message-{id}} and redelivery of
 * transient failures, the same reply ({@code {"data": Message}} with the reference one level deep);
 * bench/run.sh compares its reply with the service's before it measures.
 * <p>
 * Its statements are the obvious ones: the token's user; the original with its conversation and
 * contents; the message it replies to with its contents, campaign and latest error; the new
 * message and its content inserted in one transaction; the outcome as an update (and an error row
 * when the send failed, in one transaction). No recovery bookkeeping, no Idempotency-Key, no
 * templates or files in duplicates: the peer duplicates text messages.
 */
@SpringBootApplication
@RestController
public class PeerApplication {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DUPLICATE = "/third-party/v1/conversations/{conversationId}/messages/{messageId}/duplicate";

    static final String FIND_TOKEN_USER = """
            SELECT user_id FROM api_tokens WHERE token_sha256 = ? AND revoked_at IS NULL""";

    /** One row per content of the original (one row with null content columns when it has none). */
    static final String LOAD_ORIGINAL = """
            SELECT m.sender, m.whatsapp_template_id, m.reference_id, c.channel, c.recipient,
                   x.type, x.payload::text AS payload, x.file_uuid
            FROM messages m
            JOIN conversations c ON c.id = m.conversation_id
            LEFT JOIN message_contents x ON x.message_id = m.id
            WHERE m.id = ? AND m.conversation_id = ?
            ORDER BY x.position""";

    /** One row per content of the referenced message, with its campaign and latest error. */
    static final String LOAD_REFERENCE = """
            SELECT r.id, r.conversation_id, r.sender, r.source, r.user_id, r.status, r.agent_reaction,
                   r.customer_reaction, r.sent_at, r.external_id, r.whatsapp_campaign_id, w.name AS campaign_name,
                   e.id AS error_id, e.type AS error_type, e.original_message AS error_original_message,
                   e.created_at AS error_created_at,
                   x.type, x.payload::text AS payload, f.uuid AS file_uuid, f.name AS file_name,
                   f.mime_type AS file_mime_type, f.size AS file_size
            FROM messages r
            LEFT JOIN whatsapp_campaigns w ON w.id = r.whatsapp_campaign_id
            LEFT JOIN LATERAL (SELECT id, type, original_message, created_at FROM message_errors
                               WHERE message_id = r.id ORDER BY created_at DESC, id DESC LIMIT 1) e ON TRUE
            LEFT JOIN message_contents x ON x.message_id = r.id
            LEFT JOIN files f ON f.uuid = x.file_uuid
            WHERE r.id = ?
            ORDER BY x.position""";

    static final String INSERT_MESSAGE = """
            INSERT INTO messages (conversation_id, sender, source, user_id, status, reference_id, duplicate_of_id)
            VALUES (?, 'agent', 'user', ?, 'created', ?, ?)
            RETURNING id""";

    static final String INSERT_CONTENT = """
            INSERT INTO message_contents (message_id, position, type, payload) VALUES (?, 0, ?, CAST(? AS jsonb))""";

    static final String MARK_SENT = """
            UPDATE messages SET status = 'sent', sent_at = now(), external_id = ? WHERE id = ?
            RETURNING status, sent_at""";

    static final String MARK_ERROR = """
            UPDATE messages SET status = 'error' WHERE id = ?""";

    static final String INSERT_ERROR = """
            INSERT INTO message_errors (message_id, type, original_message) VALUES (?, 'other', ?)
            RETURNING id, type, original_message, created_at""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String bridgeUrl;
    private final String bridgeToken;
    private final String filesBaseUrl;
    private final byte[] signingKey;

    public PeerApplication(JdbcTemplate jdbc, TransactionTemplate transaction, @Value("${bridge.url}") String bridgeUrl,
            @Value("${bridge.token:}") String bridgeToken,
            @Value("${files.base-url:http://localhost:8080}") String filesBaseUrl,
            @Value("${files.signing-key:peer}") String signingKey) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.bridgeUrl = bridgeUrl;
        this.bridgeToken = bridgeToken;
        this.filesBaseUrl = filesBaseUrl;
        this.signingKey = signingKey.getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) {
        SpringApplication.run(PeerApplication.class, args);
    }

    /** The bench waits for this before it sends anything. */
    @GetMapping("/ready")
    public String ready() {
        return "ready";
    }

    @PostMapping(DUPLICATE)
    public ResponseEntity<String> duplicate(@PathVariable String conversationId, @PathVariable String messageId,
            @RequestHeader(value = "Authorization", required = false) String authorization) throws Exception {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : "";
        if (token.isEmpty()) {
            return problem(401, "A bearer token is required.");
        }
        String tokenSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        List<Long> users = jdbc.queryForList(FIND_TOKEN_USER, Long.class, tokenSha256);
        if (users.isEmpty()) {
            return problem(401, "The bearer token is unknown or revoked.");
        }
        long userId = users.get(0);
        long conversation = id(conversationId);
        long message = id(messageId);
        if (conversation <= 0 || message <= 0) {
            return problem(400, "Ids must be positive integers that fit in 64 bits.");
        }

        List<Map<String, Object>> original = jdbc.queryForList(LOAD_ORIGINAL, message, conversation);
        if (original.isEmpty()) {
            return problem(404, "No such message in this conversation.");
        }
        Map<String, Object> first = original.get(0);
        if (!"agent".equals(first.get("sender"))) {
            return problem(422, "Only messages from an agent can be duplicated.");
        }
        if (first.get("whatsapp_template_id") != null || original.size() != 1 || first.get("type") == null) {
            return problem(422, "Only a message with exactly one content can be duplicated.");
        }
        String type = (String) first.get("type");
        if (!"text".equals(type) || first.get("file_uuid") != null) {
            return problem(422, "The peer duplicates text messages only.");
        }
        String payload = (String) first.get("payload");
        Long referenceId = (Long) first.get("reference_id");
        List<Map<String, Object>> reference = referenceId == null ? List.of() : jdbc.queryForList(LOAD_REFERENCE, referenceId);

        long duplicateId = transaction.execute(tx -> {
            Long id = jdbc.queryForObject(INSERT_MESSAGE, Long.class, conversation, userId, referenceId, message);
            jdbc.update(INSERT_CONTENT, id, type, payload);
            return id;
        });

        ObjectNode body = JSON.createObjectNode();
        body.put("message_id", duplicateId);
        body.put("conversation_id", conversation);
        body.put("channel", (String) first.get("channel"));
        body.put("recipient", (String) first.get("recipient"));
        body.put("reply_to_external_id", reference.isEmpty() ? null : (String) reference.get(0).get("external_id"));
        ObjectNode bridgeContent = body.putObject("content");
        bridgeContent.put("type", type);
        bridgeContent.set("text", JSON.readTree(payload).get("content"));
        String[] outcome = send(body.toString(), duplicateId);

        String status;
        Object sentAt;
        ObjectNode latestError = null;
        if (outcome[1] == null) {
            Map<String, Object> sent = jdbc.queryForMap(MARK_SENT, outcome[0], duplicateId);
            status = (String) sent.get("status");
            sentAt = sent.get("sent_at");
        } else {
            Map<String, Object> error = transaction.execute(tx -> {
                jdbc.update(MARK_ERROR, duplicateId);
                return jdbc.queryForMap(INSERT_ERROR, duplicateId, outcome[1]);
            });
            status = "error";
            sentAt = null;
            latestError = error(error.get("id"), duplicateId, error.get("type"), error.get("original_message"),
                    error.get("created_at"));
        }

        ObjectNode duplicate = JSON.createObjectNode();
        duplicate.put("id", duplicateId);
        duplicate.put("conversation_id", conversation);
        duplicate.put("from", "agent");
        duplicate.put("source", "user");
        duplicate.put("user_id", userId);
        duplicate.putArray("contents").add(content(type, payload, null));
        duplicate.put("status", status);
        duplicate.putNull("agent_reaction");
        duplicate.putNull("customer_reaction");
        duplicate.put("sent_at", time(sentAt));
        duplicate.set("reference", reference.isEmpty() ? null : message(reference));
        duplicate.set("latest_error", latestError);
        duplicate.putNull("whatsapp_campaign");
        ObjectNode reply = JSON.createObjectNode();
        reply.set("data", duplicate);
        return ResponseEntity.ok().header("Content-Type", "application/json").body(reply.toString());
    }

    /** The bridge call with the contract's redelivery: {external_id, null} or {null, failure}. */
    private String[] send(String body, long duplicateId) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(bridgeUrl + "/messages"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + bridgeToken)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "message-" + duplicateId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String failure = null;
        long delay = 200;
        for (int attempt = 0; attempt <= 3; attempt++) {
            if (attempt > 0) {
                Thread.sleep(delay);
                delay = Math.min(delay * 2, 5000);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    JsonNode id = JSON.readTree(response.body()).get("external_id");
                    return new String[] {id == null || id.isNull() ? null : id.asText(), null};
                }
                failure = "bridge replied " + status + (response.body().isEmpty() ? "" : ": " + response.body());
                if (status != 408 && status != 429 && status < 500) {
                    break;
                }
            } catch (IOException e) {
                failure = "bridge unreachable: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        return new String[] {null, failure.length() > 4000 ? failure.substring(0, 4000) : failure};
    }

    /** The referenced message from its rows (one per content), its own reference not shown. */
    private ObjectNode message(List<Map<String, Object>> rows) throws IOException {
        Map<String, Object> row = rows.get(0);
        ObjectNode node = JSON.createObjectNode();
        node.put("id", (Long) row.get("id"));
        node.put("conversation_id", (Long) row.get("conversation_id"));
        node.put("from", (String) row.get("sender"));
        node.put("source", (String) row.get("source"));
        node.put("user_id", (Long) row.get("user_id"));
        ArrayNode contents = node.putArray("contents");
        for (Map<String, Object> content : rows) {
            if (content.get("type") != null) {
                contents.add(content((String) content.get("type"), (String) content.get("payload"), content));
            }
        }
        node.put("status", (String) row.get("status"));
        node.put("agent_reaction", (String) row.get("agent_reaction"));
        node.put("customer_reaction", (String) row.get("customer_reaction"));
        node.put("sent_at", time(row.get("sent_at")));
        node.putNull("reference");
        node.set("latest_error", row.get("error_id") == null ? null : error(row.get("error_id"), (Long) row.get("id"),
                row.get("error_type"), row.get("error_original_message"), row.get("error_created_at")));
        if (row.get("whatsapp_campaign_id") == null) {
            node.putNull("whatsapp_campaign");
        } else {
            node.putObject("whatsapp_campaign").put("id", (Long) row.get("whatsapp_campaign_id"))
                    .put("name", (String) row.get("campaign_name"));
        }
        return node;
    }

    /** A content as the Client API shows it: its type, its file (with download URLs) and its payload's fields. */
    private ObjectNode content(String type, String payload, Map<String, Object> file) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        if (file != null && file.get("file_uuid") != null) {
            String uuid = file.get("file_uuid").toString();
            node.put("has_file", true);
            node.put("uuid", uuid);
            node.put("name", (String) file.get("file_name"));
            node.put("mime_type", (String) file.get("file_mime_type"));
            node.put("size", (Long) file.get("file_size"));
            node.put("download_url", filesBaseUrl + "/files/" + uuid);
            node.put("public_download_url", filesBaseUrl + "/files/" + uuid + "?signature=" + signature(uuid));
        }
        JSON.readTree(payload).fields().forEachRemaining(field -> node.set(field.getKey(), field.getValue()));
        return node;
    }

    private String signature(String uuid) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(uuid.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode error(Object id, long messageId, Object type, Object originalMessage, Object createdAt) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", ((Number) id).longValue());
        node.put("message_id", messageId);
        node.put("type", (String) type);
        node.put("original_message", (String) originalMessage);
        node.put("created_at", time(createdAt));
        return node;
    }

    private static String time(Object value) {
        if (value == null) {
            return null;
        }
        return DateTimeFormatter.ISO_INSTANT.format(value instanceof Timestamp timestamp ? timestamp.toInstant()
                : ((OffsetDateTime) value).toInstant());
    }

    private static long id(String text) {
        if (text == null || text.isEmpty() || text.length() > 19 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return -1;
        }
    }

    private static ResponseEntity<String> problem(int status, String detail) {
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", "about:blank");
        problem.put("title", status == 401 ? "Unauthorized" : status == 404 ? "Not Found" : "Bad Request");
        problem.put("status", status);
        problem.put("detail", detail);
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(status).header("Content-Type", "application/problem+json");
        if (status == 401) {
            reply.header("WWW-Authenticate", "Bearer");
        }
        return reply.body(problem.toString());
    }
}
