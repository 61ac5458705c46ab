package bench.peer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bench's peer: Duplicate Message for text messages, written by hand as a team would without
 * Camel (Spring MVC, JdbcTemplate, java.net.http). It runs the service's own SQL statements (read
 * from its sql/ folder, {@code :#...} binds turned into named parameters), so both do the same
 * database work: token, original, store, outcome. The same checks (401, 400, 404, 422), the same
 * bridge call with {@code Idempotency-Key: message-{id}} and redelivery of transient failures, the
 * same reply ({@code {"data": Message}} with the reference one level deep).
 */
@SpringBootApplication
@RestController
public class PeerApplication {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BIND = Pattern.compile(":#\\$\\{(?:variable|exchangeProperty)\\.(\\w+)}|:#(\\w+)");
    private static final String DUPLICATE = "/third-party/v1/conversations/{conversationId}/messages/{messageId}/duplicate";

    private final NamedParameterJdbcTemplate jdbc;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String bridgeUrl;
    private final String bridgeToken;
    private final String filesBaseUrl;
    private final byte[] signingKey;
    private final String findTokenUser;
    private final String loadOriginal;
    private final String storeDuplicate;
    private final String recordOutcome;

    public PeerApplication(NamedParameterJdbcTemplate jdbc, @Value("${peer.sql-dir}") String sqlDir,
            @Value("${bridge.url}") String bridgeUrl, @Value("${bridge.token:}") String bridgeToken,
            @Value("${files.base-url:http://localhost:8080}") String filesBaseUrl,
            @Value("${files.signing-key:peer}") String signingKey) throws IOException {
        this.jdbc = jdbc;
        this.bridgeUrl = bridgeUrl;
        this.bridgeToken = bridgeToken;
        this.filesBaseUrl = filesBaseUrl;
        this.signingKey = signingKey.getBytes(StandardCharsets.UTF_8);
        this.findTokenUser = statement(sqlDir, "find-token-user.sql");
        this.loadOriginal = statement(sqlDir, "load-original.sql");
        this.storeDuplicate = statement(sqlDir, "store-duplicate.sql");
        this.recordOutcome = statement(sqlDir, "record-outcome.sql");
    }

    public static void main(String[] args) {
        SpringApplication.run(PeerApplication.class, args);
    }

    /** The service's statement with its binds as named parameters ({@code :#${variable.x}} and {@code :#x} become {@code :x}). */
    static String statement(String dir, String file) throws IOException {
        return BIND.matcher(Files.readString(Path.of(dir, file)))
                .replaceAll(match -> ":" + (match.group(1) != null ? match.group(1) : match.group(2)));
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
        List<Long> users = jdbc.queryForList(findTokenUser, new MapSqlParameterSource("tokenSha256", tokenSha256), Long.class);
        if (users.isEmpty()) {
            return problem(401, "The bearer token is unknown or revoked.");
        }
        long userId = users.get(0);
        long conversation = id(conversationId);
        long message = id(messageId);
        if (conversation <= 0 || message <= 0) {
            return problem(400, "Ids must be positive integers that fit in 64 bits.");
        }

        List<Map<String, Object>> rows = jdbc.queryForList(loadOriginal, new MapSqlParameterSource()
                .addValue("conversationId", conversation, Types.BIGINT).addValue("messageId", message, Types.BIGINT));
        if (rows.isEmpty()) {
            return problem(404, "No such message in this conversation.");
        }
        Map<String, Object> original = rows.get(0);
        Map<String, Object> reference = rows.size() > 1 ? rows.get(1) : null;
        if (!"agent".equals(original.get("sender"))) {
            return problem(422, "Only messages from an agent can be duplicated.");
        }
        JsonNode contents = original.get("contents") == null ? JSON.createArrayNode() : JSON.readTree((String) original.get("contents"));
        if (original.get("whatsapp_template_id") != null || contents.size() != 1) {
            return problem(422, "Only a message with exactly one content can be duplicated.");
        }
        JsonNode content = contents.get(0);
        JsonNode file = content.get("file");
        String fileUuid = file == null || file.isNull() ? null : file.get("uuid").asText();

        Long duplicateId = jdbc.queryForObject(storeDuplicate, new MapSqlParameterSource()
                .addValue("conversationId", conversation, Types.BIGINT)
                .addValue("userId", userId, Types.BIGINT)
                .addValue("referenceId", original.get("reference_id"), Types.BIGINT)
                .addValue("duplicateOfId", message, Types.BIGINT)
                .addValue("contentType", content.get("type").asText(), Types.VARCHAR)
                .addValue("payloadJson", content.get("payload").toString(), Types.VARCHAR)
                .addValue("fileUuid", fileUuid, Types.VARCHAR)
                .addValue("tokenSha256", tokenSha256, Types.VARCHAR)
                .addValue("idempotencyKey", null, Types.VARCHAR), Long.class);

        ObjectNode body = JSON.createObjectNode();
        body.put("message_id", duplicateId);
        body.put("conversation_id", conversation);
        body.put("channel", (String) original.get("channel"));
        body.put("recipient", (String) original.get("recipient"));
        body.put("reply_to_external_id", reference == null ? null : (String) reference.get("external_id"));
        ObjectNode bridgeContent = body.putObject("content");
        bridgeContent.put("type", content.get("type").asText());
        if ("text".equals(content.get("type").asText())) {
            bridgeContent.set("text", content.get("payload").get("content"));
        } else {
            return problem(422, "The peer duplicates text messages only.");
        }
        String[] outcome = send(body.toString(), duplicateId);

        Map<String, Object> stored = jdbc.queryForMap(recordOutcome, new MapSqlParameterSource()
                .addValue("duplicateId", duplicateId, Types.BIGINT)
                .addValue("externalId", outcome[0], Types.VARCHAR)
                .addValue("bridgeFailure", outcome[1], Types.VARCHAR));

        ObjectNode duplicate = JSON.createObjectNode();
        duplicate.put("id", duplicateId);
        duplicate.put("conversation_id", conversation);
        duplicate.put("from", "agent");
        duplicate.put("source", "user");
        duplicate.put("user_id", userId);
        duplicate.putArray("contents").add(content(content));
        duplicate.put("status", (String) stored.get("status"));
        duplicate.putNull("agent_reaction");
        duplicate.putNull("customer_reaction");
        duplicate.put("sent_at", time(stored.get("sent_at")));
        duplicate.set("reference", reference == null ? null : message(reference));
        duplicate.set("latest_error", error(stored, duplicateId));
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

    private ObjectNode message(Map<String, Object> row) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", ((Number) row.get("id")).longValue());
        node.put("conversation_id", ((Number) row.get("conversation_id")).longValue());
        node.put("from", (String) row.get("sender"));
        node.put("source", (String) row.get("source"));
        node.put("user_id", row.get("user_id") == null ? null : ((Number) row.get("user_id")).longValue());
        ArrayNode contents = node.putArray("contents");
        if (row.get("contents") != null) {
            for (JsonNode content : JSON.readTree((String) row.get("contents"))) {
                contents.add(content(content));
            }
        }
        node.put("status", (String) row.get("status"));
        node.put("agent_reaction", (String) row.get("agent_reaction"));
        node.put("customer_reaction", (String) row.get("customer_reaction"));
        node.put("sent_at", time(row.get("sent_at")));
        node.putNull("reference");
        node.set("latest_error", error(row, ((Number) row.get("id")).longValue()));
        if (row.get("whatsapp_campaign_id") == null) {
            node.putNull("whatsapp_campaign");
        } else {
            node.putObject("whatsapp_campaign").put("id", ((Number) row.get("whatsapp_campaign_id")).longValue())
                    .put("name", (String) row.get("whatsapp_campaign_name"));
        }
        return node;
    }

    /** A stored content as the Client API shows it: its type, its file (with download URLs) and its payload's fields. */
    private ObjectNode content(JsonNode stored) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", stored.get("type").asText());
        JsonNode file = stored.get("file");
        if (file != null && !file.isNull()) {
            String uuid = file.get("uuid").asText();
            node.put("has_file", true);
            node.put("uuid", uuid);
            node.set("name", file.get("name"));
            node.set("mime_type", file.get("mime_type"));
            node.set("size", file.get("size"));
            node.put("download_url", filesBaseUrl + "/files/" + uuid);
            node.put("public_download_url", filesBaseUrl + "/files/" + uuid + "?signature=" + signature(uuid));
        }
        stored.get("payload").fields().forEachRemaining(field -> node.set(field.getKey(), field.getValue()));
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

    private static ObjectNode error(Map<String, Object> row, long messageId) {
        if (row.get("error_id") == null) {
            return null;
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("id", ((Number) row.get("error_id")).longValue());
        node.put("message_id", messageId);
        node.put("type", (String) row.get("error_type"));
        node.put("original_message", (String) row.get("error_original_message"));
        node.put("created_at", time(row.get("error_created_at")));
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
