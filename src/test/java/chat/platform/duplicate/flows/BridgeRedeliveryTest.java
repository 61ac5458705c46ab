package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge fails the ways real ones do; the redelivery policy of bridge-api.md applies
 * (tests run with BRIDGE_REDELIVERY_DELAY_MS=20, BRIDGE_MAX_DELAY_MS=2000, 3 redeliveries,
 * BRIDGE_TIMEOUT_MS=2000). The attempts themselves, and a database failing after the send, are
 * counted on the route's steps in {@code routes/BridgeDeliveryRouteTest}.
 */
class BridgeRedeliveryTest extends ServiceTest {

    /** Under the tests' BRIDGE_TIMEOUT_MS (2000): each send is one slow, successful attempt. */
    private static final int BRIDGE_DELAY_MS = 1800;

    private String token;
    private long conversation;

    @BeforeEach
    void caller() {
        token = fixtures.token(fixtures.user("Agent"));
        conversation = fixtures.conversation("+31666666666");
    }

    @Test
    void twoServerErrorsThenAcceptedIsSentAfterThreeAttemptsWithGrowingGaps() {
        bridgeAnswers(aResponse().withStatus(500), aResponse().withStatus(500), accepted());

        JsonNode data = duplicateOk();

        assertThat(data.get("status").asText()).isEqualTo("sent");
        assertThat(data.get("latest_error").isNull()).isTrue();
        List<LoggedRequest> attempts = attempts(data);
        assertThat(attempts).hasSize(3);
        long firstGap = gapMs(attempts, 0);
        long secondGap = gapMs(attempts, 1);
        assertThat(firstGap).isGreaterThanOrEqualTo(20);
        assertThat(secondGap).isGreaterThanOrEqualTo(40);
    }

    @Test
    void aDroppedConnectionIsRedelivered() {
        bridgeAnswers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), accepted());

        JsonNode data = duplicateOk();

        assertThat(data.get("status").asText()).isEqualTo("sent");
        assertThat(attempts(data)).hasSize(2);
    }

    @Test
    void aTimeoutIsRedelivered() {
        bridgeAnswers(accepted().withFixedDelay(3000), accepted());

        JsonNode data = duplicateOk();

        assertThat(data.get("status").asText()).isEqualTo("sent");
        assertThat(attempts(data)).hasSize(2);
    }

    @Test
    void tooManyRequestsWaitsAtLeastRetryAfter() {
        bridgeAnswers(aResponse().withStatus(429).withHeader("Retry-After", "1"), accepted());

        JsonNode data = duplicateOk();

        assertThat(data.get("status").asText()).isEqualTo("sent");
        List<LoggedRequest> attempts = attempts(data);
        assertThat(attempts).hasSize(2);
        assertThat(gapMs(attempts, 0)).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aPermanentRefusalIsOneAttempt() {
        bridgeAnswers(aResponse().withStatus(422).withBody("template paused"));

        JsonNode data = duplicateOk();

        assertThat(data.get("status").asText()).isEqualTo("error");
        assertThat(data.get("latest_error").get("original_message").asText()).isEqualTo("bridge replied 422: template paused");
        assertThat(attempts(data)).hasSize(1);
    }

    @Test
    void aBridgeThatNeverAnswersIsStoredWithTheIoError() {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        JsonNode data = duplicateOk();

        assertThat(data.get("status").asText()).isEqualTo("error");
        assertThat(data.get("latest_error").get("original_message").asText()).startsWith("bridge unreachable: ");
        assertThat(attempts(data)).hasSize(4);
    }

    @Test
    void whileTheBridgeIsSlowOtherRequestsAreAnsweredQuickly() throws Exception {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(accepted().withFixedDelay(BRIDGE_DELAY_MS)));
        List<Long> originals = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            originals.add(fixtures.message(conversation, "agent").text("slow " + i));
        }
        long readable = originals.get(0);
        ExecutorService callers = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<HttpResponse<String>>> inFlight = originals.stream()
                    .map(id -> CompletableFuture.supplyAsync(() -> duplicate(conversation, id, token), callers))
                    .toList();
            Thread.sleep(300);

            long slowest = 0;
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertThat(duplicate(conversation, readable, "wrong-token").statusCode()).isEqualTo(401);
                assertThat(get("/third-party/v1/conversations/" + conversation + "/messages/" + readable, token).statusCode())
                        .isEqualTo(200);
                slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
            }
            long stillInFlight = inFlight.stream().filter(f -> !f.isDone()).count();

            assertThat(stillInFlight).as("the probes ran while duplicates waited for the bridge").isPositive();
            // never queued behind a send: had they waited for a route thread, it would take a bridge attempt
            assertThat(slowest).as("a 401 and a Get Message while 20 sends wait for the bridge").isLessThan(BRIDGE_DELAY_MS);
            for (CompletableFuture<HttpResponse<String>> reply : inFlight) {
                assertThat(reply.get().statusCode()).isEqualTo(200);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private JsonNode duplicateOk() {
        long original = fixtures.message(conversation, "agent").text("Hello");
        HttpResponse<String> reply = duplicate(conversation, original, token);
        assertThat(reply.statusCode()).isEqualTo(200);
        return json(reply.body()).get("data");
    }

    private static ResponseDefinitionBuilder accepted() {
        return acceptedByBridge("wamid.R");
    }

    /** The bridge's answers to the first, second, ... attempt; the last one repeats. */
    private static void bridgeAnswers(ResponseDefinitionBuilder... answers) {
        for (int i = 0; i < answers.length; i++) {
            String state = i == 0 ? STARTED : "attempt-" + i;
            var stub = post(urlEqualTo("/messages")).inScenario("bridge").whenScenarioStateIs(state).willReturn(answers[i]);
            if (i < answers.length - 1) {
                stub = stub.willSetStateTo("attempt-" + (i + 1));
            }
            BRIDGE.stubFor(stub);
        }
    }

    private static List<LoggedRequest> attempts(JsonNode data) {
        String key = "message-" + data.get("id").asLong();
        return BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages")).withHeader("Idempotency-Key",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(key)));
    }

    private static long gapMs(List<LoggedRequest> attempts, int i) {
        return attempts.get(i + 1).getLoggedDate().getTime() - attempts.get(i).getLoggedDate().getTime();
    }
}
