package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import chat.platform.duplicate.support.ServiceTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A duplicate the process stored but never finished sending (killed between the commit and
 * the bridge's reply) is sent by the recovery route, once, with its own Idempotency-Key, also
 * when two instances of the service recover on one database at the same time.
 * (The shared test context recovers every 250 ms messages whose attempt began over 60 s ago.)
 */
class RecoveryTest extends ServiceTest {


    private long userId;
    private long conversation;

    @BeforeEach
    void bridge() {
        userId = fixtures.user("Agent");
        conversation = fixtures.conversation("+31688888888");
        bridgeAcceptsAll("wamid.C");
    }

    @Test
    void aDuplicateLeftCreatedByACrashIsSentOnce() throws Exception {
        long original = fixtures.message(conversation, "agent").reference(null).text("Lost in a crash");
        long stuck = crashedDuplicate(original, "Lost in a crash", 120);
        long fresh = crashedDuplicate(original, "Still in its own request", 5);

        awaitStatus(stuck, "sent");

        List<LoggedRequest> sent = requestsFor(stuck);
        assertThat(sent).hasSize(1);
        assertThat(json(sent.get(0).getBodyAsString()).get("content").get("text").asText()).isEqualTo("Lost in a crash");
        assertThat(jdbc.queryForObject("SELECT external_id FROM messages WHERE id = ?", String.class, stuck)).isEqualTo("wamid.C" + stuck);
        Thread.sleep(600);
        assertThat(requestsFor(stuck)).as("sent once").hasSize(1);
        assertThat(requestsFor(fresh)).as("inside its own request's window: not taken").isEmpty();
        assertThat(jdbc.queryForObject("SELECT status FROM messages WHERE id = ?", String.class, fresh)).isEqualTo("created");
    }

    @Test
    void twoInstancesRecoveringAtOnceSendEachMessageOnce() throws Exception {
        try (ConfigurableApplicationContext second = startSecondInstance("second-instance", "--recovery.interval-ms=250")) {
            long original = fixtures.message(conversation, "agent").text("Many lost");
            List<Long> stuck = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                stuck.add(crashedDuplicate(original, "lost " + i, 120));
            }

            for (long id : stuck) {
                awaitStatus(id, "sent");
            }
            Thread.sleep(600);

            Map<String, Long> attemptsPerKey = BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).stream()
                    .collect(Collectors.groupingBy(r -> r.getHeader("Idempotency-Key"), Collectors.counting()));
            for (long id : stuck) {
                assertThat(attemptsPerKey.get("message-" + id)).as("message %d", id).isEqualTo(1L);
                assertThat(fixtures.sendAttempts(id)).as("message %d: its send is over, its lease gone", id).isZero();
            }
        }
    }

    /** Exactly the state a process killed after storing a duplicate leaves behind. */
    private long crashedDuplicate(long original, String text, int secondsSinceAttemptBegan) {
        long id = fixtures.message(conversation, "agent").user(userId).status("created").insert();
        jdbc.update("UPDATE messages SET duplicate_of_id = ?, created_at = now() - make_interval(secs => ?) WHERE id = ?",
                original, secondsSinceAttemptBegan, id);
        fixtures.content(id, 0, "text", "{\"content\": " + JSON.valueToTree(text) + "}", null);
        return id;
    }

    private void awaitStatus(long id, String status) throws InterruptedException {
        Function<Long, String> current = m -> jdbc.queryForObject("SELECT status FROM messages WHERE id = ?", String.class, m);
        for (int i = 0; i < 100 && !status.equals(current.apply(id)); i++) {
            Thread.sleep(100);
        }
        assertThat(current.apply(id)).as("status of message %d", id).isEqualTo(status);
    }

    private static List<LoggedRequest> requestsFor(long id) {
        return BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).stream()
                .filter(r -> ("message-" + id).equals(r.getHeader("Idempotency-Key"))).toList();
    }
}
