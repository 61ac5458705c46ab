package chat.platform.duplicate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The embedded default with no HAWTIO_USERNAME/HAWTIO_PASSWORD (the configuration of
 * EmbeddedDefaultTest, whose context this shares): Hawtio and Jolokia are open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HawtioEmbeddedDefaultTest {

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hawtioAndJolokiaAreOpenWithoutLogin() throws Exception {
        assertThat(get("/actuator/hawtio/").statusCode()).isEqualTo(200);
        HttpResponse<String> routes = get(HawtioTest.ROUTE_IDS);
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.body()).contains("\"RouteId\":\"duplicate-message\"");
    }
}
