package chat.platform.duplicate.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import chat.platform.duplicate.routes.kit.Reply;
import chat.platform.duplicate.routes.kit.RouteTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker in front of the bridge: step {@code bridge-circuit} of the duplicate flow
 * and step {@code resend-circuit} of the recovery route share one breaker (the shipped
 * thresholds: at least 10 sends, half of them failed; open 2 s in the kit). One send with all its
 * redelivered attempts is one call.
 * <p>
 * Beside {@code flows/CircuitBreakerTest} (its own context with a window of 4 and no
 * redelivery), which keeps what a caller and an operator see: the health component, the
 * metrics, the closing after trial sends, 32 callers across the switch. Its tests of the recovery
 * route waiting and of permanent refusals moved here: the recovery timer is awaited with a
 * NotifyBuilder instead of sleeps, and the attempts are counted on the bridge's step.
 */
class BridgeCircuitRouteTest extends RouteTestKit {

    /** Demo message 5: an agent's location. */
    private static final long AGENT_LOCATION = 5;

    @Test
    void tenFailedSendsOpenItAndThenADuplicateIsStoredAsErrorWithoutAnAttempt() throws Exception {
        openTheCircuit();
        bridge.accepts();

        Reply reply = duplicate(DEMO_CONVERSATION, AGENT_LOCATION);

        assertThat(bridge.sent()).as("no attempt while open").hasSize(10 * 4);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode data = reply.data();
        assertThat(data.get("status").asText()).isEqualTo("error");
        assertThat(data.get("latest_error").get("original_message").asText())
                .matches("bridge circuit open: 10 of the last 10 sends failed; not sent, the circuit lets a trial send through from "
                        + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(stored(data.get("id").asLong()).errors()).hasSize(1);
    }

    @Test
    void permanentRefusalsAreAboutTheMessageAndNeverOpenIt() {
        bridge.refuses(400, "{\"error\":\"not on WhatsApp\"}");

        for (int i = 0; i < 12; i++) {
            assertThat(duplicate(DEMO_CONVERSATION, AGENT_LOCATION).data().get("latest_error").get("original_message").asText())
                    .startsWith("bridge replied 400");
        }

        assertThat(bridgeCircuit.state()).isEqualTo("CLOSED");
        assertThat(bridge.sent()).hasSize(12);
    }

    @Test
    void recoveryClaimsNothingWhileItIsOpenAndResendsOnceItLetsSendsThrough() {
        openTheCircuit();
        bridge.accepts();
        long unsent = unsentDuplicate(AGENT_LOCATION, Duration.ofMinutes(2));

        NotifyBuilder whileOpen = timerRuns("recover-unsent-duplicates", 2);
        assertThat(whileOpen.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bridgeCircuit.state()).as("still open after two recovery runs").isEqualTo("OPEN");
        assertThat(bridge.sentFor(unsent)).isEmpty();
        assertThat(stored(unsent).status()).as("waits; never stored as error because of the circuit").isEqualTo("created");
        assertThat(fixtures.sendAttempts(unsent)).as("not claimed").isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> bridgeCircuit.state().equals("HALF_OPEN"));
        NotifyBuilder throughAgain = timerRuns("recover-unsent-duplicates", 2);

        assertThat(throughAgain.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bridge.sentFor(unsent)).hasSize(1);
        assertThat(stored(unsent).status()).isEqualTo("sent");
    }

    /** Ten sends (the minimum) whose four attempts each failed. */
    private void openTheCircuit() {
        bridge.isDown();
        for (int i = 0; i < 10; i++) {
            assertThat(duplicate(DEMO_CONVERSATION, AGENT_LOCATION).data().get("latest_error").get("original_message").asText())
                    .isEqualTo("bridge replied 503: {\"error\":\"bridge down\"}");
        }
        assertThat(bridgeCircuit.state()).isEqualTo("OPEN");
    }
}
