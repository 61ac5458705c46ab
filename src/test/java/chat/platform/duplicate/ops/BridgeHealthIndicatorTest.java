package chat.platform.duplicate.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import chat.platform.duplicate.bridge.BridgeCircuit;
import chat.platform.duplicate.bridge.BridgeRequests;
import chat.platform.duplicate.files.FileUrls;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.mock.env.MockEnvironment;

class BridgeHealthIndicatorTest {

    private static final WireMockServer BRIDGE = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    @BeforeAll
    static void start() {
        BRIDGE.start();
        // the first request of a JVM and of a fresh WireMock is slow (class loading): not timed here
        check(BRIDGE.baseUrl(), "60000");
    }

    @AfterAll
    static void stop() {
        BRIDGE.stop();
    }

    @BeforeEach
    void reset() {
        BRIDGE.resetAll();
    }

    private static Health check(String url, String timeoutMs) {
        return check(url, timeoutMs, circuit());
    }

    private static Health check(String url, String timeoutMs, BridgeCircuit circuit) {
        MockEnvironment environment = new MockEnvironment().withProperty("bridge.url", url);
        if (timeoutMs != null) {
            environment.setProperty("bridge.timeout-ms", timeoutMs);
        }
        return new BridgeHealthIndicator(environment, circuit).health();
    }

    private static BridgeCircuit circuit() {
        return new BridgeCircuit(new BridgeRequests(new FileUrls("https://files.example", "k")), true, 50, 10, 20, 30000,
                new SimpleMeterRegistry());
    }

    @Test
    void theCircuitsStateIsADetailAndAnOpenCircuitIsDown() {
        BRIDGE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        BridgeCircuit circuit = circuit();

        assertThat(check(BRIDGE.baseUrl(), null, circuit).getDetails()).containsEntry("circuit", "CLOSED");
        circuit.breaker().transitionToOpenState();
        Health open = check(BRIDGE.baseUrl(), null, circuit);

        assertThat(open.getStatus()).isEqualTo(Status.DOWN);
        assertThat(open.getDetails()).containsEntry("circuit", "OPEN").containsEntry("httpStatus", 200);
    }

    @Test
    void anyReplyOfTheBridgeIsUp() {
        Health health = check(BRIDGE.baseUrl(), null);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("httpStatus", 404).containsEntry("bridge", BRIDGE.baseUrl());
        assertThat(BRIDGE.getAllServeEvents()).singleElement()
                .satisfies(event -> assertThat(event.getRequest().getMethod().getName()).isEqualTo("HEAD"));
    }

    @Test
    void aGatewayErrorIsDown() {
        BRIDGE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));

        assertThat(check(BRIDGE.baseUrl() + "/v1", null).getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void aRefusedConnectionIsDown() {
        Health health = check("http://127.0.0.1:1", null);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsKey("error");
    }

    @Test
    void noReplyWithinTheTimeoutIsDown() {
        BRIDGE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));

        long start = System.nanoTime();
        Health health = check(BRIDGE.baseUrl(), "200");

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
    }

    @Test
    void theTimeoutIsCappedAtTwoSeconds() {
        BRIDGE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(4000)));

        long start = System.nanoTime();
        Health health = check(BRIDGE.baseUrl(), "60000");

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1500L, 3500L);
    }

    @Test
    void noUrlIsUnknown() {
        assertThat(new BridgeHealthIndicator(new MockEnvironment(), circuit()).health().getStatus()).isEqualTo(Status.UNKNOWN);
    }
}
