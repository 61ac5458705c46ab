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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the service recovering on one database at the same time send each duplicate
 * the process stored but never finished sending once, with its own Idempotency-Key.
 * (The shared test context recovers every 250 ms messages whose attempt began over 60 s ago.)
 * One instance's resend (sent once, with its own key, a duplicate still in its own request's
 * window left alone) is {@code routes/RecoveryRouteTest}: the same assertions, with the timer
 * awaited by a NotifyBuilder instead of sleeps and the bridge's attempts counted on its step.
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
}
