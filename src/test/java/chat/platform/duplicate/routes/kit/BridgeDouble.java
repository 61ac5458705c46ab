package chat.platform.duplicate.routes.kit;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The messenger bridge of a {@link RouteTestKit} test: the kit replaces step
 * {@code bridge-http-post} of route {@code send-to-bridge} with {@link #URI}, and this double
 * answers every attempt as scripted in one line:
 * <pre>
 * bridge.accepts();                          // 200 {"external_id": "bridge-{message_id}"} (the default)
 * bridge.refuses(422, "template paused");    // a permanent refusal: one attempt, stored as error
 * bridge.failsTimes(2);                      // 503 twice, then accepted (redelivered)
 * bridge.isDown();                           // 503 on every attempt
 * bridge.isUnreachable();                    // connection refused on every attempt
 * bridge.isSlow(Duration.ofMillis(300));     // accepted after 300 ms; from BRIDGE_TIMEOUT_MS on, a read timeout
 * </pre>
 * A failure is what the HTTP client gives the route: an {@code HttpOperationFailedException}
 * with the bridge's status and body, or an {@code IOException}. {@link #sent()} is every attempt
 * the bridge got; {@link #mock()} is the {@code MockEndpoint} for Camel's expectations.
 * Attempts are answered one at a time (a {@code MockEndpoint} records them in order).
 */
public final class BridgeDouble {

    /** The endpoint that stands in for {@code POST {BRIDGE_URL}/messages}. */
    public static final String URI = "mock:bridge";
    /** The prefix of the external_id an accepting bridge gives: {@code bridge-{message_id}}. */
    public static final String EXTERNAL_ID_PREFIX = "bridge-";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One attempt's answer, by the attempt's number (1, 2, ...) since the script was set. */
    private interface Answer {
        void answer(Exchange attempt, int number) throws Exception;
    }

    private final MockEndpoint mock;
    private final String bridgeUrl;
    private final long timeoutMs;
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile Answer answer;

    BridgeDouble(MockEndpoint mock, String bridgeUrl, long timeoutMs) {
        this.mock = mock;
        this.bridgeUrl = bridgeUrl;
        this.timeoutMs = timeoutMs;
    }

    /** After {@link MockEndpoint#reset()}: the double answers again, and accepts. */
    void reset() {
        mock.whenAnyExchangeReceived(attempt -> answer.answer(attempt, attempts.incrementAndGet()));
        accepts();
    }

    /** Every message is accepted: 200 {@code {"external_id": "bridge-{message_id}"}}. */
    public BridgeDouble accepts() {
        return script((attempt, n) -> accept(attempt));
    }

    /** Every message is refused for good with this status (a 4xx but 408 and 429) and body. */
    public BridgeDouble refuses(int status, String body) {
        return script((attempt, n) -> {
            throw replied(status, body);
        });
    }

    /** The first {@code times} attempts get {@code 503}, the next ones are accepted. */
    public BridgeDouble failsTimes(int times) {
        return script((attempt, n) -> {
            if (n <= times) {
                throw replied(503, "{\"error\":\"bridge busy\"}");
            }
            accept(attempt);
        });
    }

    /** Every attempt gets {@code 503}. */
    public BridgeDouble isDown() {
        return script((attempt, n) -> {
            throw replied(503, "{\"error\":\"bridge down\"}");
        });
    }

    /** No attempt gets through: connection refused. */
    public BridgeDouble isUnreachable() {
        return script((attempt, n) -> {
            throw new ConnectException("Connection refused");
        });
    }

    /**
     * Every message is accepted after {@code delay}; a delay of BRIDGE_TIMEOUT_MS or more is a
     * read timeout after BRIDGE_TIMEOUT_MS, as the HTTP client would report it.
     */
    public BridgeDouble isSlow(Duration delay) {
        return script((attempt, n) -> {
            if (delay.toMillis() >= timeoutMs) {
                Thread.sleep(timeoutMs);
                throw new SocketTimeoutException("Read timed out");
            }
            Thread.sleep(delay.toMillis());
            accept(attempt);
        });
    }

    /** Every attempt the bridge got, in order. */
    public List<SentToBridge> sent() {
        return mock.getReceivedExchanges().stream().map(SentToBridge::of).toList();
    }

    /** The attempts for one message (its Idempotency-Key is {@code message-{id}}). */
    public List<SentToBridge> sentFor(long messageId) {
        return sent().stream().filter(s -> ("message-" + messageId).equals(s.idempotencyKey())).toList();
    }

    /** The {@code MockEndpoint} behind the double, for Camel's expectations. */
    public MockEndpoint mock() {
        return mock;
    }

    private BridgeDouble script(Answer next) {
        attempts.set(0);
        answer = next;
        return this;
    }

    private static void accept(Exchange attempt) throws IOException {
        JsonNode request = JSON.readTree(attempt.getMessage().getBody(String.class));
        attempt.getMessage().setBody("{\"external_id\":\"" + EXTERNAL_ID_PREFIX + request.get("message_id").asText() + "\"}");
    }

    private HttpOperationFailedException replied(int status, String body) {
        return new HttpOperationFailedException(bridgeUrl + "/messages", status, "", null, Map.of(), body);
    }

    /** One attempt as the bridge got it: its headers and body. */
    public record SentToBridge(String idempotencyKey, String authorization, String contentType, JsonNode body) {
        static SentToBridge of(Exchange attempt) {
            try {
                var message = attempt.getMessage();
                return new SentToBridge(message.getHeader("Idempotency-Key", String.class),
                        message.getHeader("Authorization", String.class), message.getHeader("Content-Type", String.class),
                        JSON.readTree(message.getBody(String.class)));
            } catch (IOException e) {
                throw new AssertionError("the bridge got a body that is not JSON", e);
            }
        }
    }
}
