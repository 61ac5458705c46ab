package chat.platform.duplicate.routes;

import static org.assertj.core.api.Assertions.assertThat;

import chat.platform.duplicate.routes.kit.BridgeDouble.SentToBridge;
import chat.platform.duplicate.routes.kit.Reply;
import chat.platform.duplicate.routes.kit.RouteTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * Route {@code duplicate-message}, called directly ({@code direct:duplicate-message}), on the
 * demo data: the happy path and each refusal, with expectations on the steps a duplicate must
 * or must not reach (a duplicate stored before {@code store-duplicate}, an attempt at the bridge,
 * an outcome before {@code store-bridge-outcome}).
 * <p>
 * Beside {@code flows/DuplicateMessageTest}, which stays: it asserts what a caller sees on the
 * wire (the reply's status line and headers as platform-http writes them, every content type,
 * ids that are not numbers in a URL, a wrong method, a body that is ignored). These tests read
 * better for where the flow stopped: a refusal is asserted as "nothing stored, nothing sent" on
 * the steps themselves rather than inferred from the database and WireMock's journal.
 */
class DuplicateFlowRouteTest extends RouteTestKit {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Demo message 3: an agent's image, a reply to customer message 2 (external_id wamid.demo-customer-2). */
    private static final long AGENT_IMAGE = 3;
    /** Demo message 2: from the customer. */
    private static final long CUSTOMER_MESSAGE = 2;

    @Test
    void theDuplicateIsStoredSentOnceAndAnsweredAsStored() throws Exception {
        storeDuplicate.expectedMessageCount(1);
        bridge.mock().expectedMessageCount(1);
        bridge.mock().expectedHeaderReceived("Authorization", "Bearer " + BRIDGE_TOKEN);
        bridge.mock().expectedHeaderReceived("Content-Type", "application/json");
        storeOutcome.expectedMessageCount(1);

        Reply reply = duplicate(DEMO_CONVERSATION, AGENT_IMAGE);

        MockEndpoint.assertIsSatisfied(storeDuplicate, bridge.mock(), storeOutcome);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers()).as("nothing of the steps goes back").containsOnlyKeys("Content-Type");
        assertThat(reply.contentType()).isEqualTo("application/json");
        JsonNode data = reply.data();
        long id = data.get("id").asLong();
        assertThat(data.get("status").asText()).isEqualTo("sent");
        assertThat(data.get("reference").get("id").asLong()).isEqualTo(CUSTOMER_MESSAGE);

        SentToBridge sent = bridge.sent().get(0);
        assertThat(sent.idempotencyKey()).isEqualTo("message-" + id);
        assertThat(sent.body()).isEqualTo(JSON.readTree("""
                {"message_id": %d, "conversation_id": 1, "channel": "whatsapp", "recipient": "+31612345678",
                 "reply_to_external_id": "wamid.demo-customer-2",
                 "content": {"type": "image", "caption": "Your tulips, packed",
                             "file": {"uuid": "8f1c2a9e-4b7d-4c1e-9a3f-2d5e6f708192", "name": "tulips.jpg", "mime_type": "image/jpeg",
                                      "size": 48213, "url": "https://files.example/files/8f1c2a9e-4b7d-4c1e-9a3f-2d5e6f708192"}}}
                """.formatted(id)));

        Stored stored = stored(id);
        assertThat(stored.status()).isEqualTo("sent");
        assertThat(stored.externalId()).isEqualTo("bridge-" + id);
        assertThat(stored.sentAt()).isNotNull();
        assertThat(stored.duplicateOf()).isEqualTo(AGENT_IMAGE);
        assertThat(stored.errors()).isEmpty();
        assertThat(data).as("the reply is the duplicate as Get Message reads it")
                .isEqualTo(getMessage(DEMO_CONVERSATION, id, DEMO_TOKEN).data());
    }

    @Test
    void noTokenOrAnUnknownOneIs401BeforeAnythingElse() throws Exception {
        expectNothingStoredOrSent();

        Reply none = duplicate(DEMO_CONVERSATION, AGENT_IMAGE, null);
        Reply unknown = duplicate(DEMO_CONVERSATION, AGENT_IMAGE, "not-a-known-token");
        Reply badIdsToo = duplicate("abc", "xyz", null);

        assertRefused(none, 401, "A bearer token is required: send 'Authorization: Bearer <token>'.");
        assertRefused(unknown, 401, "The bearer token is unknown or revoked.");
        assertRefused(badIdsToo, 401, "A bearer token is required: send 'Authorization: Bearer <token>'.");
        assertThat(none.headers()).containsEntry("WWW-Authenticate", "Bearer");
    }

    @Test
    void anIdThatIsNotAPositive64BitIntegerIs400() throws Exception {
        expectNothingStoredOrSent();

        assertRefused(duplicate("abc", AGENT_IMAGE), 400, "conversationId must be a positive integer that fits in 64 bits.");
        assertRefused(duplicate(DEMO_CONVERSATION, "9223372036854775808"), 400,
                "messageId must be a positive integer that fits in 64 bits.");
    }

    @Test
    void aMessageOfAnotherConversationIs404() throws Exception {
        long otherConversation = fixtures.conversation("+31600000031");
        expectNothingStoredOrSent();

        assertRefused(duplicate(otherConversation, AGENT_IMAGE), 404, "No such message in this conversation.");
        assertRefused(duplicate(DEMO_CONVERSATION, Long.MAX_VALUE), 404, "No such message in this conversation.");
    }

    @Test
    void aCustomersMessageIs422() throws Exception {
        expectNothingStoredOrSent();

        assertRefused(duplicate(DEMO_CONVERSATION, CUSTOMER_MESSAGE), 422,
                "Only messages from an agent can be duplicated; this one is from customer.");
        assertThat(duplicatesOf(CUSTOMER_MESSAGE)).isEmpty();
    }

    @Test
    void aMessageWithNothingToSendIs422() throws Exception {
        long empty = fixtures.message(DEMO_CONVERSATION, "agent").insert();
        expectNothingStoredOrSent();

        assertRefused(duplicate(DEMO_CONVERSATION, empty), 422,
                "Only a message with exactly one content can be duplicated; this one has 0.");
        assertThat(duplicatesOf(empty)).isEmpty();
    }

    private void expectNothingStoredOrSent() {
        storeDuplicate.expectedMessageCount(0);
        bridge.mock().expectedMessageCount(0);
    }

    /** The problem reply, and the flow stopped before storing or sending anything. */
    private void assertRefused(Reply reply, int status, String detail) throws InterruptedException {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.detail()).isEqualTo(detail);
        MockEndpoint.assertIsSatisfied(storeDuplicate, bridge.mock());
    }
}
