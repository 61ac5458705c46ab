package chat.platform.duplicate.routes.kit;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * What a route answered, as the caller would get it: the status (the route's
 * {@code CamelHttpResponseCode}, 200 when it set none), the reply's headers and its body.
 */
public record Reply(int status, Map<String, Object> headers, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Reply of(Exchange exchange) {
        if (exchange.getException() != null) {
            throw new AssertionError("the route failed instead of answering", exchange.getException());
        }
        var message = exchange.getMessage();
        Map<String, Object> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(message.getHeaders());
        return new Reply(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class),
                Collections.unmodifiableMap(headers), message.getBody(String.class));
    }

    public String contentType() {
        Object type = headers.get("Content-Type");
        return type == null ? null : type.toString();
    }

    public JsonNode json() {
        if (body == null) {
            throw new AssertionError("the reply has no body (status " + status + ")");
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** The {@code data} of a {@code 200 {"data": Message}}. */
    public JsonNode data() {
        return json().get("data");
    }

    /** The {@code detail} of a problem reply. */
    public String detail() {
        return json().get("detail").asText();
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
