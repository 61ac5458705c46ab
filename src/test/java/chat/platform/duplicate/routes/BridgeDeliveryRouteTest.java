package chat.platform.duplicate.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import chat.platform.duplicate.routes.kit.BridgeDouble.SentToBridge;
import chat.platform.duplicate.routes.kit.Reply;
import chat.platform.duplicate.routes.kit.RouteTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Sending a duplicate: route {@code send-to-bridge} with route configuration
 * {@code bridge-delivery} (redelivery with backoff, permanent refusals not retried), and route
 * {@code record-bridge-outcome} with {@code after-bridge-reply} (a busy database after the send
 * is waited for; the message is not sent again). The bridge is the kit's double in place of step
 * {@code bridge-http-post}; a failing database is a failing try before step
 * {@code store-bridge-outcome}.
 * <p>
 * Beside {@code flows/BridgeRedeliveryTest}, which stays for what only a real HTTP bridge shows:
 * a reset connection, the HTTP client's timeout, a 429's Retry-After and the gaps between
 * attempts on the wire. These read better for the attempts themselves (how many, each with the
 * same Idempotency-Key and body) and reach what WireMock cannot: the outcome's statement failing
 * after the bridge accepted.
 */
class BridgeDeliveryRouteTest extends RouteTestKit {

    /** Demo message 1: an agent's text. */
    private static final long AGENT_TEXT = 1;

    @Test
    void twoFailedAttemptsThenAcceptedIsThreeAttemptsOfTheSameMessage() throws Exception {
        bridge.failsTimes(2);
        bridge.mock().expectedMessageCount(3);
        storeOutcome.expectedMessageCount(1);

        JsonNode data = duplicateOk();

        MockEndpoint.assertIsSatisfied(bridge.mock(), storeOutcome);
        long id = data.get("id").asLong();
        List<SentToBridge> attempts = bridge.sent();
        assertThat(attempts).extracting(SentToBridge::idempotencyKey).containsOnly("message-" + id);
        assertThat(attempts).extracting(SentToBridge::body).containsOnly(attempts.get(0).body());
        assertThat(data.get("status").asText()).isEqualTo("sent");
        assertThat(stored(id).externalId()).isEqualTo("bridge-" + id);
        assertThat(stored(id).errors()).isEmpty();
    }

    @Test
    void aBridgeThatStaysDownIsFourAttemptsThenStoredAsError() throws Exception {
        bridge.isDown();
        bridge.mock().expectedMessageCount(1 + 3);

        JsonNode data = duplicateOk();

        bridge.mock().assertIsSatisfied();
        assertStoredAsError(data, "bridge replied 503: {\"error\":\"bridge down\"}");
    }

    @Test
    void anUnreachableBridgeIsFourAttemptsThenStoredAsError() throws Exception {
        bridge.isUnreachable();
        bridge.mock().expectedMessageCount(1 + 3);

        JsonNode data = duplicateOk();

        bridge.mock().assertIsSatisfied();
        assertStoredAsError(data, "bridge unreachable: ConnectException: Connection refused");
    }

    @Test
    void aBridgeSlowerThanTheTimeoutIsRedeliveredThenStoredAsError() throws Exception {
        bridge.isSlow(Duration.ofSeconds(5)); // every attempt ends at BRIDGE_TIMEOUT_MS (500 ms in the kit)
        bridge.mock().expectedMessageCount(1 + 3);

        JsonNode data = duplicateOk();

        bridge.mock().assertIsSatisfied();
        assertStoredAsError(data, "bridge unreachable: SocketTimeoutException: Read timed out");
    }

    @Test
    void aSlowBridgeWithinTheTimeoutIsOneAttempt() throws Exception {
        bridge.isSlow(Duration.ofMillis(200));
        bridge.mock().expectedMessageCount(1);

        long start = System.nanoTime();
        JsonNode data = duplicateOk();

        bridge.mock().assertIsSatisfied();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(200);
        assertThat(data.get("status").asText()).isEqualTo("sent");
    }

    @Test
    void aPermanentRefusalIsOneAttemptStoredAsError() throws Exception {
        bridge.refuses(422, "template paused");
        bridge.mock().expectedMessageCount(1);

        JsonNode data = duplicateOk();

        bridge.mock().assertIsSatisfied();
        assertStoredAsError(data, "bridge replied 422: template paused");
    }

    @Test
    void aBusyDatabaseAfterTheSendIsWaitedForAndTheMessageIsNotSentAgain() throws Exception {
        storeOutcome.whenExchangeReceived(1, busyDatabase());
        storeOutcome.expectedMessageCount(2);
        bridge.mock().expectedMessageCount(1);

        JsonNode data = duplicateOk();

        MockEndpoint.assertIsSatisfied(storeOutcome, bridge.mock());
        assertThat(data.get("status").asText()).isEqualTo("sent");
        assertThat(stored(data.get("id").asLong()).status()).isEqualTo("sent");
    }

    @Test
    void aDatabaseThatStaysBusyAfterTheSendIs503AndRecoveryFinishesTheDuplicateWithTheSameKey() throws Exception {
        storeOutcome.whenAnyExchangeReceived(busyDatabase());
        storeOutcome.expectedMessageCount(1 + 5);
        bridge.mock().expectedMessageCount(1);

        Reply reply = duplicate(DEMO_CONVERSATION, AGENT_TEXT);

        MockEndpoint.assertIsSatisfied(storeOutcome, bridge.mock());
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        List<Long> duplicates = duplicatesOf(AGENT_TEXT);
        long id = duplicates.get(duplicates.size() - 1);
        assertThat(stored(id).status()).as("left for the recovery route").isEqualTo("created");

        storeOutcome.reset(); // the database is back
        jdbc.update("UPDATE messages SET created_at = now() - interval '2 minutes' WHERE id = ?", id);
        NotifyBuilder recoveryRuns = timerRuns("recover-unsent-duplicates", 2);

        assertThat(recoveryRuns.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stored(id).status()).isEqualTo("sent");
        assertThat(bridge.sentFor(id)).as("sent again with the same Idempotency-Key: the bridge sends it once")
                .extracting(SentToBridge::idempotencyKey).containsExactly("message-" + id, "message-" + id);
    }

    private JsonNode duplicateOk() {
        Reply reply = duplicate(DEMO_CONVERSATION, AGENT_TEXT);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.data();
    }

    /** Stored as error with one message_errors row of type other; the reply shows it; still 200. */
    private void assertStoredAsError(JsonNode data, String error) {
        assertThat(data.get("status").asText()).isEqualTo("error");
        assertThat(data.get("latest_error").get("original_message").asText()).isEqualTo(error);
        Stored stored = stored(data.get("id").asLong());
        assertThat(stored.status()).isEqualTo("error");
        assertThat(stored.externalId()).isNull();
        assertThat(stored.sentAt()).isNull();
        assertThat(stored.errors()).containsExactly("other: " + error);
    }

    private static org.apache.camel.Processor busyDatabase() {
        return exchange -> {
            throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection: pool exhausted");
        };
    }
}
