package chat.platform.duplicate.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import chat.platform.duplicate.bridge.BridgeCircuit;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Health component {@code bridge} of {@code /actuator/health}: can the messenger bridge be
 * reached? One {@code HEAD {BRIDGE_URL}} with a short timeout: any HTTP reply but 502, 503 or 504
 * is UP (the bridge need not serve its base URL), no reply in time, a refused connection or a
 * gateway error is DOWN. Informational only: it is in no probe group, so a bridge outage never
 * makes the service unready (duplicates are then stored with status error, as the contract says).
 * On the default run {@code BRIDGE_URL} is the built-in sandbox bridge, which is always UP.
 * Detail {@code circuit} is the state of the bridge's circuit breaker (CLOSED, OPEN, HALF_OPEN,
 * DISABLED); an open circuit makes the component DOWN.
 */
@Component("bridgeHealthIndicator")
public class BridgeHealthIndicator implements HealthIndicator {

    /** The check never waits longer than this, even when {@code BRIDGE_TIMEOUT_MS} is larger. */
    static final long MAX_TIMEOUT_MS = 2000;

    private final Environment environment;
    private final BridgeCircuit circuit;
    private final HttpClient http;

    public BridgeHealthIndicator(Environment environment, BridgeCircuit circuit) {
        this.environment = environment;
        this.circuit = circuit;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Health health() {
        // Read on every check: the sandbox default's URL names the port the server got at start.
        String url = environment.getProperty("bridge.url");
        if (url == null || url.isBlank()) {
            return Health.unknown().withDetail("error", "no bridge.url").build();
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return Health.down().withDetail("error", "BRIDGE_URL is not a URI").build();
        }
        String target = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        try {
            HttpResponse<Void> reply = http.send(HttpRequest.newBuilder(uri)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(timeout())
                    .build(), HttpResponse.BodyHandlers.discarding());
            int status = reply.statusCode();
            Health.Builder health = status == 502 || status == 503 || status == 504 || !circuit.allowsSends() ? Health.down() : Health.up();
            return health.withDetail("bridge", target).withDetail("httpStatus", status).withDetail("circuit", circuit.state()).build();
        } catch (IOException e) {
            return Health.down().withDetail("bridge", target).withDetail("error", e.toString())
                    .withDetail("circuit", circuit.state()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().withDetail("bridge", target).withDetail("error", "interrupted").build();
        }
    }

    private Duration timeout() {
        long configured = environment.getProperty("bridge.timeout-ms", Long.class, 5000L);
        return Duration.ofMillis(Math.max(1, Math.min(configured, MAX_TIMEOUT_MS)));
    }
}
