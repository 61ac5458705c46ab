package chat.platform.duplicate.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WireMock bridge of {@code docker/compose.yaml}: its mappings ({@code docker/wiremock/mappings})
 * loaded into the tests' bridge accept what the service really sends, with a templated
 * {@code external_id}, and refuse a send without a bearer token.
 */
class ComposeBridgeMappingsTest extends ServiceTest {

    private static final Path MAPPINGS = Path.of("docker/wiremock/mappings");

    @BeforeEach
    void composeBridge() throws IOException {
        int loaded = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(MAPPINGS, "*.json")) {
            for (Path file : files) {
                BRIDGE.addStubMapping(StubMapping.buildFrom(Files.readString(file)));
                loaded++;
            }
        }
        assertThat(loaded).as("mappings in " + MAPPINGS.toAbsolutePath()).isGreaterThan(0);
    }

    @Test
    void aDuplicateIsAcceptedWithATemplatedExternalId() {
        String token = fixtures.token(fixtures.user("Compose Agent"));
        long conversationId = fixtures.conversation("+31600000001");
        long original = fixtures.message(conversationId, "agent").text("Hello from compose");

        HttpResponse<String> reply = duplicate(conversationId, original, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode data = json(reply.body()).get("data");
        assertThat(data.get("status").asText()).isEqualTo("sent");
        long duplicateId = data.get("id").asLong();
        assertThat(jdbc.queryForObject("SELECT external_id FROM messages WHERE id = ?", String.class, duplicateId))
                .matches("wiremock-" + duplicateId + "-[A-Za-z0-9]{8}");
    }

    @Test
    void aSendWithoutBearerTokenIsRefused() {
        HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create(BRIDGE.baseUrl() + "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message_id\": 1, \"content\": {\"type\": \"text\"}}"))
                .build());

        assertThat(reply.statusCode()).isEqualTo(401);
    }
}
