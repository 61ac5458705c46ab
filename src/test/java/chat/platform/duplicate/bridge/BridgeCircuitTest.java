package chat.platform.duplicate.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import chat.platform.duplicate.files.FileUrls;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

class BridgeCircuitTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private BridgeCircuit circuit(boolean enabled) {
        return new BridgeCircuit(new BridgeRequests(new FileUrls("https://files.example", "k")), enabled, 50, 4, 4, 30000, meters, CLOCK);
    }

    private static void fail(BridgeCircuit circuit, int times) {
        for (int i = 0; i < times; i++) {
            circuit.breaker().onError(1, TimeUnit.MILLISECONDS, new IOException("refused"));
        }
    }

    private static void succeed(BridgeCircuit circuit, int times) {
        for (int i = 0; i < times; i++) {
            circuit.breaker().onSuccess(1, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void opensWhenHalfOfTheWindowFailedAfterTheMinimumOfCalls() {
        BridgeCircuit circuit = circuit(true);
        fail(circuit, 3);
        assertThat(circuit.state()).as("3 calls: under the minimum of 4").isEqualTo("CLOSED");
        succeed(circuit, 1);
        assertThat(circuit.state()).as("4 calls, 3 failed").isEqualTo("OPEN");
        assertThat(circuit.allowsSends()).isFalse();
    }

    @Test
    void staysClosedUnderTheFailureRate() {
        BridgeCircuit circuit = circuit(true);
        fail(circuit, 1);
        succeed(circuit, 3);
        assertThat(circuit.state()).isEqualTo("CLOSED");
        assertThat(circuit.allowsSends()).isTrue();
    }

    @Test
    void aRejectionSaysTheCircuitIsOpenHowManyFailedAndWhenItTriesAgain() {
        BridgeCircuit circuit = circuit(true);
        fail(circuit, 4);

        assertThat(circuit.isOpenRejection(null)).as("Camel's fallback gets no exception for a rejection").isTrue();
        assertThat(circuit.isOpenRejection(CallNotPermittedException.createCallNotPermittedException(circuit.breaker()))).isTrue();
        assertThat(circuit.failure(null)).isEqualTo("bridge circuit open: 4 of the last 4 sends failed; not sent, "
                + "the circuit lets a trial send through from 2026-01-01T12:00:30Z");
    }

    @Test
    void aFailedSendIsStoredAsTheBridgesReplyOrTheIoError() {
        BridgeCircuit circuit = circuit(true);
        HttpOperationFailedException refused = new HttpOperationFailedException("http://bridge/messages", 503, "Service Unavailable",
                null, null, "{\"error\":\"down\"}");

        assertThat(circuit.isOpenRejection(refused)).isFalse();
        assertThat(circuit.failure(refused)).isEqualTo("bridge replied 503: {\"error\":\"down\"}");
        assertThat(circuit.failure(RuntimeExchangeException.wrapRuntimeException(refused)))
                .as("as Camel's circuitBreaker step hands it on").isEqualTo("bridge replied 503: {\"error\":\"down\"}");
        assertThat(circuit.failure(new ConnectException("Connection refused")))
                .isEqualTo("bridge unreachable: ConnectException: Connection refused");
    }

    @Test
    void disabledItLetsEverySendThrough() {
        BridgeCircuit circuit = circuit(false);
        fail(circuit, 10);
        assertThat(circuit.state()).isEqualTo("DISABLED");
        assertThat(circuit.allowsSends()).isTrue();
        assertThat(circuit.breaker().tryAcquirePermission()).isTrue();
    }

    @Test
    void itsStateAndCallsAreMetrics() {
        BridgeCircuit circuit = circuit(true);
        fail(circuit, 4);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "bridge").tag("state", "open").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.get("resilience4j.circuitbreaker.calls").tag("name", "bridge").tag("kind", "failed").timer().count())
                .isEqualTo(4);
        assertThat(circuit.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
