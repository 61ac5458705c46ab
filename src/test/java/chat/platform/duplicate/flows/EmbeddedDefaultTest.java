package chat.platform.duplicate.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The default run with nothing configured: embedded PostgreSQL with demo data and the
 * built-in sandbox bridge. The README's demo curl works as printed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EmbeddedDefaultTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theDemoCurlDuplicatesDemoMessageOneThroughTheSandboxBridge() throws Exception {
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/third-party/v1/conversations/1/messages/1/duplicate"))
                .header("Authorization", "Bearer demo-token")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode data = new ObjectMapper().readTree(reply.body()).get("data");
        assertThat(data.get("status").asText()).isEqualTo("sent");
        assertThat(data.get("contents").get(0).get("content").asText()).isEqualTo("Hello! Your order #1042 has shipped.");
        assertThat(jdbc.queryForObject("SELECT external_id FROM messages WHERE id = ?", String.class, data.get("id").asLong()))
                .startsWith("sandbox-");
    }

    @Test
    void theDemoDataHasAgentMessagesOfSeveralContentTypes() {
        assertThat(jdbc.queryForList("""
                SELECT DISTINCT c.type FROM message_contents c JOIN messages m ON m.id = c.message_id
                WHERE m.sender = 'agent' AND m.conversation_id = 1 ORDER BY c.type""", String.class))
                .containsExactly("audio", "contact", "document", "image", "location", "text");
    }
}
