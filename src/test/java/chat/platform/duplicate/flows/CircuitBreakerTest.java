package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The circuit breaker in front of the bridge, through real parts: a WireMock bridge that fails,
 * then is healthy again. Its own context: the circuit opens when 2 of the last 4 sends failed,
 * stays open 1.5 s; one attempt per send (no redelivery), so each send is one call.
 * The recovery route waiting while the circuit is open and permanent refusals never opening it
 * are {@code routes/BridgeCircuitRouteTest}: the same assertions, read on the route's steps, with
 * the recovery timer awaited by a NotifyBuilder instead of sleeps.
 */
@TestPropertySource(properties = {
        "bridge.circuit.min-calls=4",
        "bridge.circuit.window=4",
        "bridge.circuit.open-ms=1500",
        "bridge.max-redeliveries=0"})
class CircuitBreakerTest extends ServiceTest {

    private String token;
    private long conversation;

    @BeforeEach
    void caller() {
        token = fixtures.token(fixtures.user("Agent"));
        conversation = fixtures.conversation("+31600000077");
    }

    private HttpResponse<String> duplicateNew(String text) {
        return duplicate(conversation, fixtures.message(conversation, "agent").text(text), token);
    }

    private static void bridgeDown() {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(503).withBody("{\"error\":\"down\"}")));
    }

    private int bridgeAttempts() {
        return BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).size();
    }

    private void openTheCircuit() {
        bridgeDown();
        for (int i = 0; i < 4; i++) {
            JsonNode data = json(duplicateNew("failing " + i).body()).get("data");
            assertThat(data.get("latest_error").get("original_message").asText()).isEqualTo("bridge replied 503: {\"error\":\"down\"}");
        }
        assertThat(bridgeCircuit.state()).isEqualTo("OPEN");
    }

    @Test
    void itOpensAfterTheThresholdAndThenAnswersAtOnceWithoutAnAttempt() {
        openTheCircuit();
        int attempts = bridgeAttempts();

        long start = System.nanoTime();
        HttpResponse<String> reply = duplicateNew("while open");
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode data = json(reply.body()).get("data");
        assertThat(data.get("status").asText()).isEqualTo("error");
        assertThat(data.get("latest_error").get("type").asText()).isEqualTo("other");
        assertThat(data.get("latest_error").get("original_message").asText())
                .matches("bridge circuit open: 4 of the last 4 sends failed; not sent, the circuit lets a trial send through from "
                        + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(bridgeAttempts()).as("no attempt reaches the bridge while open").isEqualTo(attempts);
        assertThat(ms).as("answered at once").isLessThan(1000);
        assertThat(fixtures.row("SELECT status FROM messages WHERE id = ?", data.get("id").asLong())).containsEntry("status", "error");
        assertTheReplyIsTheDuplicateAsStored(reply, conversation, token);
        HttpResponse<String> health = getAsOperator("/actuator/health");
        assertThat(json(health.body()).get("components").get("bridge").get("details").get("circuit").asText()).isEqualTo("OPEN");
        assertThat(get("/actuator/prometheus", null).body())
                .contains("resilience4j_circuitbreaker_state{application=\"duplicate-message-service\",name=\"bridge\",state=\"open\"} 1.0");
    }

    @Test
    void afterTheOpenTimeItLetsTrialSendsThroughAndClosesWhenTheyAreAccepted() throws Exception {
        openTheCircuit();
        bridgeAcceptsAll("wamid.H");

        Thread.sleep(1700);
        assertThat(bridgeCircuit.state()).isEqualTo("HALF_OPEN");
        for (int i = 0; i < 10 && !"CLOSED".equals(bridgeCircuit.state()); i++) {
            JsonNode data = json(duplicateNew("trial " + i).body()).get("data");
            assertThat(data.get("status").asText()).as("trial send %d", i).isEqualTo("sent");
        }

        assertThat(bridgeCircuit.state()).isEqualTo("CLOSED");
        assertThat(json(duplicateNew("closed again").body()).get("data").get("status").asText()).isEqualTo("sent");
    }

    @Test
    void thirtyTwoCallersAcrossTheSwitchLoseNothingAndSendNothingTwice() throws Exception {
        bridgeDown();
        List<Long> originals = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            originals.add(fixtures.message(conversation, "agent").text("across " + i));
        }
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try {
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < originals.size(); i++) {
                long original = originals.get(i);
                if (i == 40) {
                    Thread.sleep(300);
                    bridgeAcceptsAll("wamid.X"); // the bridge is back while callers keep coming
                }
                replies.add(CompletableFuture.supplyAsync(() -> duplicate(conversation, original, token), callers));
            }
            List<HttpResponse<String>> answered = replies.stream().map(CompletableFuture::join).toList();
            assertThat(answered).allSatisfy(reply -> assertThat(reply.statusCode()).isEqualTo(200));

            List<Map<String, Object>> stored = jdbc.queryForList(
                    "SELECT id, status, external_id FROM messages WHERE conversation_id = ? AND duplicate_of_id IS NOT NULL", conversation);
            assertThat(stored).as("one duplicate per 200, nothing lost").hasSize(answered.size());
            Map<String, Long> acceptedPerKey = BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).stream()
                    .collect(Collectors.groupingBy(r -> r.getHeader("Idempotency-Key"), Collectors.counting()));
            for (Map<String, Object> row : stored) {
                String key = "message-" + row.get("id");
                assertThat(acceptedPerKey.getOrDefault(key, 0L)).as("attempts of %s", key).isLessThanOrEqualTo(1);
                if ("sent".equals(row.get("status"))) {
                    assertThat(acceptedPerKey).as("sent only if the bridge got it").containsKey(key);
                    assertThat(row.get("external_id")).isEqualTo("wamid.X" + row.get("id"));
                } else {
                    assertThat(row.get("status")).isEqualTo("error");
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
