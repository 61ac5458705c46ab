package chat.platform.duplicate.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import chat.platform.duplicate.routes.kit.BridgeDouble.SentToBridge;
import chat.platform.duplicate.routes.kit.RouteTestKit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * The timer routes of {@code recovery.camel.yaml}, awaited with a NotifyBuilder: route
 * {@code recover-unsent-duplicates} (every 100 ms in the kit; due after RECOVERY_AFTER_MS, 60 s)
 * with {@code resend-duplicate}, and {@code purge-expired-idempotency-keys} (every 100 ms in the
 * kit). The timer runs one after the other, so once two runs are done after a row was written,
 * one whole run has seen it.
 * <p>
 * The resend of a duplicate a crash left unsent was also {@code flows/RecoveryTest}'s first test,
 * which waited with sleeps and asserted the same (sent once, with its own Idempotency-Key, the
 * one still in its own request's window left alone): it moved here. {@code RecoveryTest} keeps
 * two instances recovering one database at once.
 */
class RecoveryRouteTest extends RouteTestKit {

    /** Demo message 1: an agent's text. */
    private static final long AGENT_TEXT = 1;

    @Test
    void aDuplicateACrashLeftUnsentIsSentOnceWithItsOwnIdempotencyKey() {
        long unsent = unsentDuplicate(AGENT_TEXT, Duration.ofMinutes(2));
        long inItsOwnRequest = unsentDuplicate(AGENT_TEXT, Duration.ofSeconds(5));

        // the run that resends it, then one that finds its lease over and removes it
        NotifyBuilder runs = timerRuns("recover-unsent-duplicates", 3);
        assertThat(runs.matches(10, TimeUnit.SECONDS)).isTrue();

        assertThat(bridge.sentFor(unsent)).as("sent once").hasSize(1);
        SentToBridge sent = bridge.sentFor(unsent).get(0);
        assertThat(sent.authorization()).isEqualTo("Bearer " + BRIDGE_TOKEN);
        assertThat(sent.body().get("content").get("text").asText()).isEqualTo("Hello! Your order #1042 has shipped.");
        Stored stored = stored(unsent);
        assertThat(stored.status()).isEqualTo("sent");
        assertThat(stored.externalId()).isEqualTo("bridge-" + unsent);
        assertThat(fixtures.sendAttempts(unsent)).as("its send is over, its lease gone").isZero();
        assertThat(bridge.sentFor(inItsOwnRequest)).as("inside its own request's window: not taken").isEmpty();
        assertThat(stored(inItsOwnRequest).status()).isEqualTo("created");
    }

    @Test
    void aResendTheBridgeRefusesIsStoredAsError() {
        bridge.refuses(400, "{\"error\":\"not on WhatsApp\"}");
        long unsent = unsentDuplicate(AGENT_TEXT, Duration.ofMinutes(2));

        NotifyBuilder runs = timerRuns("recover-unsent-duplicates", 2);
        assertThat(runs.matches(10, TimeUnit.SECONDS)).isTrue();

        assertThat(bridge.sentFor(unsent)).hasSize(1);
        assertThat(stored(unsent).status()).isEqualTo("error");
        assertThat(stored(unsent).errors()).containsExactly("other: bridge replied 400: {\"error\":\"not on WhatsApp\"}");
    }

    @Test
    void idempotencyKeysOlderThan24HoursArePurged() {
        long message = fixtures.message(DEMO_CONVERSATION, "agent").text("keyed");
        String expired = idempotencyKey(message, "25 hours");
        String kept = idempotencyKey(message, "23 hours");

        NotifyBuilder runs = timerRuns("purge-expired-idempotency-keys", 2);
        assertThat(runs.matches(10, TimeUnit.SECONDS)).isTrue();

        assertThat(jdbc.queryForList("SELECT idempotency_key FROM idempotency_keys WHERE idempotency_key IN (?, ?)",
                String.class, expired, kept)).containsExactly(kept);
    }

    private String idempotencyKey(long message, String age) {
        String key = "key-" + age.replace(' ', '-') + "-" + message;
        jdbc.update("""
                INSERT INTO idempotency_keys (token_sha256, idempotency_key, conversation_id, message_id, state, created_at)
                VALUES ('kit', ?, ?, ?, 'done', now() - CAST(? AS interval))""", key, DEMO_CONVERSATION, message, age);
        return key;
    }
}
