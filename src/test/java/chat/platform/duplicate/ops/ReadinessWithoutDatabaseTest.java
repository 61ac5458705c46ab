package chat.platform.duplicate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A database that cannot be reached (nothing listens on port 1) and a bridge that cannot
 * either: the service is alive but not ready; the bridge shows DOWN in /actuator/health without
 * being part of either probe. Not the embedded default and no Hawtio login: Hawtio is off. Its own
 * context (flyway off: there is no database to migrate). Health shows its components to everyone
 * here: without a console login nobody could see them (ConsoleSecurityTest checks who may).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/platform",
        "spring.datasource.username=nobody",
        "spring.flyway.enabled=false",
        "bridge.url=http://127.0.0.1:1",
        "bridge.timeout-ms=500",
        "management.endpoint.health.show-components=always",
        "management.endpoint.health.show-details=always"})
class ReadinessWithoutDatabaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Test
    void aliveButNotReadyWhileTheDatabaseIsDown() throws Exception {
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        HttpResponse<String> health = get("/actuator/health");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(readiness.statusCode()).isEqualTo(503);
        JsonNode ready = JSON.readTree(readiness.body());
        assertThat(ready.get("status").asText()).isEqualTo("DOWN");
        assertThat(ready.get("components").get("db").get("status").asText()).isEqualTo("DOWN");
        assertThat(ready.get("components").get("readinessState").get("status").asText()).isEqualTo("UP");
        JsonNode components = JSON.readTree(health.body()).get("components");
        assertThat(components.get("bridge").get("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void hawtioAndJolokiaAreSwitchedOffWithoutCredentials() throws Exception {
        // a real database (not the embedded default) and no HAWTIO_USERNAME/HAWTIO_PASSWORD
        for (String path : new String[] {"/actuator/hawtio", "/actuator/hawtio/", "/actuator/jolokia",
                "/actuator/jolokia/version", "/actuator/hawtio/jolokia/version"}) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
