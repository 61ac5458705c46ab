package chat.platform.duplicate.routes;

import static org.assertj.core.api.Assertions.assertThat;

import chat.platform.duplicate.routes.kit.Reply;
import chat.platform.duplicate.routes.kit.RouteTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A duplicate's life after the send: route {@code duplicate-message} sends it (the bridge's
 * double gives it external_id {@code bridge-{id}}), then route {@code bridge-status-updates},
 * called directly, applies what the bridge reports, and route {@code get-message} shows it.
 * <p>
 * Beside {@code flows/BridgeStatusUpdatesTest}, which stays: it asserts the callback as the
 * bridge meets it on the wire (204 with an empty body, every malformed body and token variant,
 * unknown external ids) on messages written straight into the database. These read better for
 * the whole story of one duplicate, from the flow's send to the reports on it.
 */
class StatusUpdatesRouteTest extends RouteTestKit {

    /** Demo message 4: an agent's document. */
    private static final long AGENT_DOCUMENT = 4;

    private long duplicate;
    private String externalId;

    @BeforeEach
    void aSentDuplicate() {
        JsonNode data = duplicate(DEMO_CONVERSATION, AGENT_DOCUMENT).data();
        duplicate = data.get("id").asLong();
        externalId = stored(duplicate).externalId();
        assertThat(externalId).isEqualTo("bridge-" + duplicate);
    }

    @Test
    void itMovesForwardAsTheBridgeReportsAndNeverBack() {
        assertNoContent(statusUpdate(externalId, "delivered", null));
        assertThat(stored(duplicate).status()).isEqualTo("delivered");

        assertNoContent(statusUpdate(externalId, "read", null));
        assertThat(stored(duplicate).status()).isEqualTo("read");

        assertNoContent(statusUpdate(externalId, "sent", null));
        assertNoContent(statusUpdate(externalId, "error", "too late"));
        Stored stored = stored(duplicate);
        assertThat(stored.status()).as("read is final").isEqualTo("read");
        assertThat(stored.errors()).isEmpty();
        assertThat(getMessage(DEMO_CONVERSATION, duplicate, DEMO_TOKEN).data().get("status").asText()).isEqualTo("read");
    }

    @Test
    void aFailureTheBridgeReportsIsOneErrorRowPerDistinctTextAndGetMessageShowsIt() {
        assertNoContent(statusUpdate(externalId, "error", "131026: message undeliverable"));
        assertNoContent(statusUpdate(externalId, "error", "131026: message undeliverable"));

        Stored stored = stored(duplicate);
        assertThat(stored.status()).isEqualTo("error");
        assertThat(stored.errors()).containsExactly("status-update: 131026: message undeliverable");
        JsonNode shown = getMessage(DEMO_CONVERSATION, duplicate, DEMO_TOKEN).data();
        assertThat(shown.get("status").asText()).isEqualTo("error");
        assertThat(shown.get("latest_error").get("original_message").asText()).isEqualTo("131026: message undeliverable");
        assertThat(shown.get("latest_error").get("type").asText()).isEqualTo("status-update");
    }

    @Test
    void aReportWithoutTheCallbackTokenIs401AndChangesNothing() {
        Reply reply = call("direct:bridge-status-updates", java.util.Map.of("Authorization", "Bearer " + DEMO_TOKEN),
                "{\"external_id\": \"" + externalId + "\", \"status\": \"read\", \"error\": null, \"timestamp\": \"2026-01-01T12:00:00Z\"}");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(stored(duplicate).status()).isEqualTo("sent");
    }

    private static void assertNoContent(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
    }
}
