package chat.platform.duplicate.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

import chat.platform.duplicate.auth.TokenAuthenticator;
import chat.platform.duplicate.bridge.BridgeRequests;
import chat.platform.duplicate.problem.ApiProblem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The bridge's status updates (bridge-api.md): its bearer token, the body's shape, and the
 * outcome of applying one. Applying is the route's single SQL statement.
 */
@Component("statusUpdates")
public class StatusUpdates {

    static final Set<String> STATUSES = Set.of("sent", "delivered", "read", "error");
    static final int MAX_ERROR_LENGTH = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] callbackToken;

    public StatusUpdates(@Value("${bridge.callback-token:}") String callbackToken) {
        this.callbackToken = callbackToken == null || callbackToken.isEmpty()
                ? null : callbackToken.getBytes(StandardCharsets.UTF_8);
    }

    /** The callback as the route reads it: its token first ({@link #authenticate}), then its body ({@link #parse}). */
    public StatusUpdate read(String authorization, String body) {
        authenticate(authorization);
        return parse(body);
    }

    /** 401 unless the header is {@code Bearer BRIDGE_CALLBACK_TOKEN}; always 401 when that is not set. */
    public void authenticate(String authorization) {
        String token = TokenAuthenticator.bearerToken(authorization);
        boolean ok = callbackToken != null && token != null
                && MessageDigest.isEqual(callbackToken, token.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            throw ApiProblem.unauthorized(callbackToken == null
                    ? "Status updates are switched off: BRIDGE_CALLBACK_TOKEN is not set."
                    : "The bridge's bearer token is missing or wrong.");
        }
    }

    public StatusUpdate parse(String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("The body is not JSON.");
        }
        if (node == null || !node.isObject()) {
            throw ApiProblem.badRequest("The body must be a JSON object with external_id, status, error and timestamp.");
        }
        String externalId = text(node, "external_id");
        if (externalId == null || externalId.isBlank()) {
            throw ApiProblem.badRequest("external_id must be a non-empty string.");
        }
        String status = text(node, "status");
        if (status == null || !STATUSES.contains(status)) {
            throw ApiProblem.badRequest("status must be one of sent, delivered, read, error.");
        }
        JsonNode error = node.get("error");
        if (error != null && !error.isNull() && !error.isTextual()) {
            throw ApiProblem.badRequest("error must be a string or null.");
        }
        JsonNode timestamp = node.get("timestamp");
        if (timestamp != null && !timestamp.isNull()) {
            try {
                OffsetDateTime.parse(timestamp.asText());
            } catch (DateTimeParseException e) {
                throw ApiProblem.badRequest("timestamp must be an ISO-8601 date-time such as 2026-01-01T12:00:00Z.");
            }
        }
        String errorText = error == null || error.isNull() || error.asText().isEmpty() ? "unknown error" : error.asText();
        return new StatusUpdate(externalId, status, BridgeRequests.cut(errorText, MAX_ERROR_LENGTH));
    }

    /** How many messages the update's statement found (one); 404 when it found none with that external_id. */
    public long requireFound(Object found) {
        if (!(found instanceof Number number) || number.longValue() == 0) {
            throw ApiProblem.notFound("No message has this external_id.");
        }
        return number.longValue();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw ApiProblem.badRequest(field + " must be a string.");
        }
        return value == null || value.isNull() ? null : value.asText();
    }
}
