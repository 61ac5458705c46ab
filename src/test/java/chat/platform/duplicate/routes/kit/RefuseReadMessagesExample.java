package chat.platform.duplicate.routes.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The test of the worked example in docs/routes.md: never duplicate a message the customer has
 * already read. Run it on your copy of the route files:
 * <pre>
 * ./mvnw -B test -Dtest=RefuseReadMessagesExample -Droutes.dir=path/to/your/routes
 * </pre>
 * Before the rule is pasted into {@code duplicate-message.camel.yaml} the first test fails (the
 * read message is duplicated and sent: 200); after, both pass. To test an edit of your own, copy
 * this file beside it under another name (say {@code MyRuleExample.java}, class
 * {@code MyRuleExample}) and change the tests; {@link RouteTestKit} tells what a test can call and
 * read, {@link BridgeDouble} how to script the bridge.
 */
class RefuseReadMessagesExample extends RouteTestKit {

    /** Demo message 6: an agent's contact card, which the customer has read. */
    private static final long READ_BY_THE_CUSTOMER = 6;
    /** Demo message 5: an agent's location, sent and not read yet. */
    private static final long NOT_READ_YET = 5;

    @Test
    void aMessageTheCustomerHasReadIsRefusedAndNothingIsSent() {
        int duplicatesBefore = duplicatesOf(READ_BY_THE_CUSTOMER).size();

        Reply reply = duplicate(DEMO_CONVERSATION, READ_BY_THE_CUSTOMER);

        assertThat(reply.status()).as("the reply: " + reply).isEqualTo(422);
        assertThat(reply.detail()).isEqualTo("A message the customer has read is not sent again.");
        assertThat(bridge.sent()).as("sent to the bridge").isEmpty();
        assertThat(duplicatesOf(READ_BY_THE_CUSTOMER)).as("nothing stored").hasSize(duplicatesBefore);
    }

    @Test
    void aMessageNotReadYetIsStillDuplicatedAndSent() {
        Reply reply = duplicate(DEMO_CONVERSATION, NOT_READ_YET);

        assertThat(reply.status()).as("the reply: " + reply).isEqualTo(200);
        assertThat(reply.data().get("status").asText()).isEqualTo("sent");
        assertThat(bridge.sent()).hasSize(1);
    }
}
