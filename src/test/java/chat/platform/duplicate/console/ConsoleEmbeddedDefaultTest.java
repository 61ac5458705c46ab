package chat.platform.duplicate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The embedded default with no console login (the configuration of EmbeddedDefaultTest, whose
 * context this shares): Hawtio and Jolokia are open, whoever reaches them acts as the operator,
 * and still nobody gets into the JVM or sends to an endpoint. Health shows its details to all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleEmbeddedDefaultTest {

    @Autowired
    CamelContext camelContext;

    String context() {
        return Console.context(camelContext);
    }

    String route(String routeId) {
        return Console.route(camelContext, routeId);
    }

    @LocalServerPort
    int port;

    @Test
    void theConsoleIsOpenWithoutLogin() {
        Console anyone = Console.anonymous(port);
        assertThat(anyone.page("/actuator/hawtio/").statusCode()).isEqualTo(200);
        assertThat(anyone.get("/actuator/hawtio/user").body().strip()).isEqualTo("\"public\"");
        assertThat(anyone.get(Console.ROUTE_IDS).body()).contains("\"RouteId\":\"duplicate-message\"");
    }

    @Test
    void whoeverReachesItIsTheOperatorButNotTheJvmsMaster() {
        Console anyone = Console.anonymous(port);
        String route = route("purge-expired-idempotency-keys");
        assertThat(anyone.exec(route, "stop()").path("status").asInt()).isEqualTo(200);
        assertThat(anyone.exec(route, "start()").path("status").asInt()).isEqualTo(200);
        assertThat(anyone.read(route, "State").path("value").asText()).isEqualTo("Started");

        for (JsonNode refused : List.of(
                anyone.exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap", "/tmp/open-console.hprof", true),
                anyone.exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties"),
                anyone.exec(context(), "requestBody(java.lang.String,java.lang.Object)", "sql:select 1", "x"))) {
            assertThat(refused.path("status").asInt()).as(refused.toString()).isEqualTo(403);
        }
        // nor from a page of another origin (a site the developer visits)
        JsonNode foreign = Console.answer(anyone.jolokia(Console.JSON.createObjectNode().put("type", "exec")
                .put("mbean", route).put("operation", "stop()"), null, "http://evil.example"));
        assertThat(foreign.path("status").asInt()).isEqualTo(403);
    }

    @Test
    void healthShowsItsDetailsToEveryone() {
        JsonNode health = Console.answer(Console.anonymous(port).get("/actuator/health"));
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
    }
}
