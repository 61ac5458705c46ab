package chat.platform.duplicate.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import chat.platform.duplicate.support.ServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * POST /bridge/v1/status-updates: forward-only status, error rows once per distinct text, as the
 * bridge meets it on the wire. A duplicate's whole life, from the flow's send to the reports on
 * it, is {@code routes/StatusUpdatesRouteTest}.
 */
class BridgeStatusUpdatesTest extends ServiceTest {

    private long conversation;

    @BeforeEach
    void conversation() {
        conversation = fixtures.conversation("+31655555555");
    }

    @Test
    void theStatusMovesForwardOneStepAtATime() {
        String externalId = "wamid.F-" + conversation;
        long message = fixtures.message(conversation, "agent").status("created").externalId(externalId).text("Hi");

        for (String status : List.of("sent", "delivered", "read")) {
            assertThat(update(externalId, status, null).statusCode()).isEqualTo(204);
            assertThat(status(message)).isEqualTo(status);
        }
    }

    @Test
    void aMoveBackOrToTheSameStatusChangesNothingAndIsStill204() {
        String externalId = "wamid.B-" + conversation;
        long message = fixtures.message(conversation, "agent").status("delivered").externalId(externalId).text("Hi");

        HttpResponse<String> back = update(externalId, "sent", null);
        HttpResponse<String> same = update(externalId, "delivered", null);

        assertThat(back.statusCode()).isEqualTo(204);
        assertThat(back.body()).isEmpty();
        assertThat(same.statusCode()).isEqualTo(204);
        assertThat(status(message)).isEqualTo("delivered");
    }

    @Test
    void anErrorWritesOneRowPerDistinctTextAndNeverUndoesRead() {
        String externalId = "wamid.E-" + conversation;
        long message = fixtures.message(conversation, "agent").status("sent").externalId(externalId).text("Hi");

        update(externalId, "error", "131026: message undeliverable");
        update(externalId, "error", "131026: message undeliverable");
        assertThat(status(message)).isEqualTo("error");
        assertThat(errors(message)).containsExactly("status-update: 131026: message undeliverable");

        update(externalId, "error", null);
        assertThat(errors(message)).containsExactly("status-update: 131026: message undeliverable", "status-update: unknown error");

        update(externalId, "read", null);
        assertThat(status(message)).as("a read overtakes the error").isEqualTo("read");
        assertThat(update(externalId, "error", "too late").statusCode()).isEqualTo(204);
        assertThat(status(message)).isEqualTo("read");
        assertThat(errors(message)).hasSize(2);
    }

    @Test
    void anUnknownExternalIdIs404AndChangesNothing() {
        long before = fixtures.count("message_errors");
        HttpResponse<String> reply = update("wamid.nobody-" + conversation, "error", "x");

        assertThat(reply.statusCode()).isEqualTo(404);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(fixtures.count("message_errors")).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer wrong", "Basic callback-secret", "Bearer"})
    void aWrongOrMissingTokenIs401(String authorization) {
        String externalId = "wamid.A-" + conversation + "-" + authorization.length();
        long message = fixtures.message(conversation, "agent").status("sent").externalId(externalId).text("Hi");

        HttpResponse<String> reply = postJson("/bridge/v1/status-updates", authorization.isEmpty() ? null : authorization,
                "{\"external_id\":\"" + externalId + "\",\"status\":\"read\",\"error\":null,\"timestamp\":\"2026-01-01T12:00:00Z\"}");

        assertThat(reply.statusCode()).isEqualTo(401);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(status(message)).isEqualTo("sent");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json", "[]", "{}", "{\"external_id\":\"x\"}", "{\"external_id\":\"x\",\"status\":\"bounced\"}",
            "{\"external_id\":42,\"status\":\"read\"}", "{\"external_id\":\"\",\"status\":\"read\"}",
            "{\"external_id\":\"x\",\"status\":\"error\",\"error\":{\"code\":1}}",
            "{\"external_id\":\"x\",\"status\":\"read\",\"timestamp\":\"yesterday\"}"})
    void aMalformedBodyIs400(String body) {
        HttpResponse<String> reply = postJson("/bridge/v1/status-updates", "Bearer " + CALLBACK_TOKEN, body);

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(reply.body()).get("detail").asText()).isNotBlank();
    }

    private HttpResponse<String> update(String externalId, String status, String error) {
        return postJson("/bridge/v1/status-updates", "Bearer " + CALLBACK_TOKEN, """
                {"external_id": "%s", "status": "%s", "error": %s, "timestamp": "2026-01-01T12:00:00Z"}"""
                .formatted(externalId, status, error == null ? "null" : "\"" + error + "\""));
    }

    private String status(long message) {
        return jdbc.queryForObject("SELECT status FROM messages WHERE id = ?", String.class, message);
    }

    private List<String> errors(long message) {
        return jdbc.queryForList("SELECT type || ': ' || original_message FROM message_errors WHERE message_id = ? ORDER BY id",
                String.class, message);
    }
}
