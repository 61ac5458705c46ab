package chat.platform.duplicate.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Probes, the bridge health component, the per-route Prometheus metrics and the MDC of log
 * lines, on the shared service context (WireMock as the bridge).
 */
@ExtendWith(OutputCaptureExtension.class)
class HealthAndMetricsTest extends ServiceTest {

    @Test
    void livenessAndReadinessAreUp() {
        HttpResponse<String> liveness = getAsOperator("/actuator/health/liveness");
        HttpResponse<String> readiness = getAsOperator("/actuator/health/readiness");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(json(liveness.body()).get("status").asText()).isEqualTo("UP");
        assertThat(readiness.statusCode()).isEqualTo(200);
        JsonNode ready = json(readiness.body());
        assertThat(ready.get("status").asText()).isEqualTo("UP");
        assertThat(names(ready.get("components"))).containsExactlyInAnyOrder("db", "readinessState");
    }

    @Test
    void theBridgeIsAHealthComponentOutsideTheProbes() {
        JsonNode health = json(getAsOperator("/actuator/health").body());

        assertThat(health.get("components").get("bridge").get("status").asText()).isEqualTo("UP");
        assertThat(health.get("components").get("db").get("status").asText()).isEqualTo("UP");
        assertThat(json(getAsOperator("/actuator/health/liveness").body()).path("components").path("bridge").isMissingNode()).isTrue();
    }

    @Test
    void prometheusHasPerRouteMetricsOfADuplicateWithARedelivery(CapturedOutput output) {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        BRIDGE.stubFor(post(urlEqualTo("/messages")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"external_id\": \"wamid.metrics\"}")));
        String token = fixtures.token(fixtures.user("Metrics Agent"));
        long conversation = fixtures.conversation("+31600000002");
        long original = fixtures.message(conversation, "agent").text("Count me");
        String before = prometheus();

        HttpResponse<String> reply = duplicate(conversation, original, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        long duplicateId = json(reply.body()).get("data").get("id").asLong();
        String after = prometheus();
        assertThat(value(after, "camel_exchanges_total", "duplicate-message") - value(before, "camel_exchanges_total", "duplicate-message"))
                .isEqualTo(1);
        assertThat(value(after, "camel_exchanges_succeeded_total", "duplicate-message")
                - value(before, "camel_exchanges_succeeded_total", "duplicate-message")).isEqualTo(1);
        assertThat(value(after, "camel_route_policy_seconds_count", "duplicate-message")
                - value(before, "camel_route_policy_seconds_count", "duplicate-message")).isEqualTo(1);
        assertThat(series(after, "camel_exchanges_failed_total", "duplicate-message")).isNotEmpty();
        assertThat(series(after, "camel_route_policy_seconds_bucket", "duplicate-message")).isNotEmpty();
        // the bridge call is timed once (one exchange, two attempts), and so is storing its outcome
        assertThat(value(after, "camel_route_policy_seconds_count", "send-to-bridge")
                - value(before, "camel_route_policy_seconds_count", "send-to-bridge")).isEqualTo(1);
        assertThat(value(after, "camel_route_policy_seconds_count", "record-bridge-outcome")
                - value(before, "camel_route_policy_seconds_count", "record-bridge-outcome")).isEqualTo(1);
        assertThat(value(after, "camel_exchanges_redeliveries_total", "send-to-bridge")
                - value(before, "camel_exchanges_redeliveries_total", "send-to-bridge")).isGreaterThanOrEqualTo(1);

        // the redelivery's WARN carries route and chat ids (MDC, logging.pattern.correlation)
        assertThat(output.getAll()).contains("[duplicate-message conversation=" + conversation + " message=" + original
                + " duplicate=" + duplicateId + "]");
    }

    private String prometheus() {
        HttpResponse<String> reply = get("/actuator/prometheus", null);
        assertThat(reply.statusCode()).isEqualTo(200);
        return reply.body();
    }

    /** Lines of {@code metric} whose labels include routeId="{@code routeId}". */
    private static List<String> series(String scrape, String metric, String routeId) {
        List<String> lines = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains("routeId=\"" + routeId + "\"")) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The value of the one series of {@code metric} for {@code routeId}; 0 when there is none yet. */
    private static double value(String scrape, String metric, String routeId) {
        List<String> lines = series(scrape, metric, routeId);
        assertThat(lines.size()).as(metric + " for " + routeId).isLessThanOrEqualTo(1);
        if (lines.isEmpty()) {
            return 0;
        }
        Matcher number = Pattern.compile("} (\\S+)").matcher(lines.get(0));
        assertThat(number.find()).isTrue();
        return Double.parseDouble(number.group(1));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
