package chat.platform.duplicate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Hawtio and Jolokia with HAWTIO_USERNAME/HAWTIO_PASSWORD set (ServiceTest sets them): a login is
 * required there, and only there.
 */
class HawtioTest extends ServiceTest {

    /** Jolokia read of attribute RouteId of every Camel route MBean. */
    static final String ROUTE_IDS = "/actuator/jolokia/read/org.apache.camel:type=routes,*/RouteId";

    private HttpResponse<String> getAs(String path, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return send(request.build());
    }

    @Test
    void anonymousAccessIsRefused() {
        for (String path : List.of("/actuator/hawtio", "/actuator/hawtio/", "/actuator/hawtio/index.html",
                "/actuator/jolokia", "/actuator/jolokia/version", ROUTE_IDS, "/actuator/hawtio/jolokia/version")) {
            HttpResponse<String> reply = getAs(path, null, null);
            assertThat(reply.statusCode()).as(path).isEqualTo(401);
            assertThat(reply.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Basic realm=\"hawtio\"");
            assertThat(reply.body()).as(path).doesNotContain("org.apache.camel");
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThat(getAs(ROUTE_IDS, HAWTIO_USERNAME, "guess").statusCode()).isEqualTo(401);
        assertThat(getAs("/actuator/hawtio/", "someone", HAWTIO_PASSWORD).statusCode()).isEqualTo(401);
    }

    @Test
    void theRouteIdsCanBeReadThroughJolokiaAfterLogin() {
        HttpResponse<String> reply = getAs(ROUTE_IDS, HAWTIO_USERNAME, HAWTIO_PASSWORD);

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode answer = json(reply.body());
        assertThat(answer.get("status").asInt()).as(reply.body()).isEqualTo(200);
        List<String> routeIds = new ArrayList<>();
        answer.get("value").forEach(mbean -> routeIds.add(mbean.get("RouteId").asText()));
        assertThat(routeIds).contains("duplicate-message", "send-to-bridge", "record-bridge-outcome", "get-message",
                "bridge-status-updates", "recover-unsent-duplicates", "render-problem");
    }

    @Test
    void jolokiaPostsNeedTheCsrfTokenAndHaveNoProxyMode() {
        HttpResponse<String> console = getAs("/actuator/hawtio/", HAWTIO_USERNAME, HAWTIO_PASSWORD);
        String token = console.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith("XSRF-TOKEN="))
                .map(cookie -> cookie.substring("XSRF-TOKEN=".length(), cookie.indexOf(';')))
                .findFirst().orElseThrow();
        // a read that names a remote JMX target: without Jolokia's JSR-160 proxy it is served locally
        String read = "{\"type\": \"read\", \"mbean\": \"java.lang:type=Runtime\", \"attribute\": \"Uptime\","
                + " \"target\": {\"url\": \"service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi\"}}";

        HttpResponse<String> withoutToken = postJolokia(read, null);
        HttpResponse<String> withToken = postJolokia(read, token);

        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(withToken.statusCode()).isEqualTo(200);
        JsonNode answer = json(withToken.body());
        assertThat(answer.path("status").asInt()).as(withToken.body()).isEqualTo(200);
        assertThat(answer.path("value").asLong()).isPositive();
    }

    private HttpResponse<String> postJolokia(String body, String csrfToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/jolokia"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((HAWTIO_USERNAME + ":" + HAWTIO_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (csrfToken != null) {
            request.header("Cookie", "XSRF-TOKEN=" + csrfToken).header("X-XSRF-TOKEN", csrfToken);
        }
        return send(request.build());
    }

    @Test
    void theConsoleIsServedAfterLogin() {
        HttpResponse<String> reply = getAs("/actuator/hawtio/", HAWTIO_USERNAME, HAWTIO_PASSWORD);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(reply.body()).containsIgnoringCase("hawtio");
    }

    @Test
    void theClientApiNeverMeetsSpringSecurity() {
        // a bearer-token request: no Basic challenge, no session cookie, no security headers
        HttpResponse<String> reply = duplicate(1, 1, "no-such-token");

        assertThat(reply.statusCode()).isEqualTo(401);
        assertThat(reply.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(reply.headers().map().keySet()).map(String::toLowerCase)
                .doesNotContain("set-cookie", "x-frame-options", "x-content-type-options", "cache-control", "pragma");
        // nor do health and metrics
        assertThat(getAs("/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);
        assertThat(getAs("/actuator/prometheus", null, null).statusCode()).isEqualTo(200);
    }
}
