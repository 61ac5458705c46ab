package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Overload after the send: the bridge has accepted the duplicate, and then the database gives
 * no connection for longer than Hikari's connection-timeout (2 s). The caller must not get a
 * 503 for a message that exists and was sent (a retry without Idempotency-Key would duplicate
 * it again): storing the outcome and reading the reply wait for the database (route
 * configuration after-bridge-reply) and the reply is the sent duplicate.
 */
class BusyDatabaseAfterSendTest extends ServiceTest {

    /** Longer than the pool's connection-timeout (2000 ms), shorter than the retries' window (about 6.6 s in tests). */
    private static final long HOLD_MS = 3500;
    /** Longer than the retries' window. */
    private static final long OUTAGE_MS = 9000;

    @Autowired
    private DataSource dataSource;

    @Value("${spring.datasource.hikari.maximum-pool-size}")
    private int poolSize;

    private final List<Connection> held = new ArrayList<>();
    private String token;
    private long conversation;

    @BeforeEach
    void caller() {
        token = fixtures.token(fixtures.user("Agent"));
        conversation = fixtures.conversation("+31600000042");
    }

    @AfterEach
    void nothingHeld() throws Exception {
        releaseConnections();
    }

    @Test
    void aDatabaseOutOfConnectionsAfterTheBridgeAcceptedStillAnswersTheSentDuplicate() throws Exception {
        long original = fixtures.message(conversation, "agent").text("busy database");
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(acceptedByBridge("busy-").withFixedDelay(400)));

        HttpResponse<String> response = duplicateWhileTheDatabaseIsBusyAfterTheSend(original, HOLD_MS);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode data = json(response.body()).get("data");
        assertThat(data.get("status").asText()).as(response.body()).isEqualTo("sent");
        long duplicateId = data.get("id").asLong();
        assertThat(fixtures.row("SELECT status, external_id FROM messages WHERE id = ?", duplicateId))
                .containsEntry("status", "sent").containsEntry("external_id", "busy-" + duplicateId);
        assertThat(BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages")))).hasSize(1);
    }

    @Test
    void aDatabaseBusyForLongerThanTheRetriesIs503AndTheDuplicateIsLeftToRecovery() throws Exception {
        long original = fixtures.message(conversation, "agent").text("long outage");
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(acceptedByBridge("outage-").withFixedDelay(400)));

        HttpResponse<String> response = duplicateWhileTheDatabaseIsBusyAfterTheSend(original, OUTAGE_MS);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response.body()).get("status").asInt()).isEqualTo(503);
        long duplicateId = fixtures.row("SELECT id FROM messages WHERE duplicate_of_id = ?", original).get("id") instanceof Number n
                ? n.longValue() : -1;
        assertThat(fixtures.leftForRecovery(duplicateId)).as("still created: the recovery route finishes it").isTrue();
        assertThat(BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages")))).hasSize(1);
    }

    /** Duplicates {@code original}; once the bridge has the message, holds every pooled connection for {@code holdMs}. */
    private HttpResponse<String> duplicateWhileTheDatabaseIsBusyAfterTheSend(long original, long holdMs) throws Exception {
        CompletableFuture<HttpResponse<String>> reply = CompletableFuture.supplyAsync(() -> duplicate(conversation, original, token));
        awaitBridgeRequests(1);
        for (int i = 0; i < poolSize; i++) {
            held.add(dataSource.getConnection());
        }
        Thread.sleep(holdMs);
        releaseConnections();
        return reply.get(30, TimeUnit.SECONDS);
    }

    private void releaseConnections() throws Exception {
        for (Connection connection : held) {
            connection.close();
        }
        held.clear();
    }
}
