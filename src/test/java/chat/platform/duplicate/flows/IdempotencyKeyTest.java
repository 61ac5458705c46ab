package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import chat.platform.duplicate.support.ServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency-Key (contract README): replay, other ids, still running, malformed, concurrency. */
class IdempotencyKeyTest extends ServiceTest {

    private long userId;
    private String token;
    private long conversation;

    @BeforeEach
    void caller() {
        userId = fixtures.user("Agent");
        token = fixtures.token(userId);
        conversation = fixtures.conversation("+31677777777");
        bridgeAcceptsAll("wamid.I");
    }

    @Test
    void aRepeatReplaysTheFirstReplyAndCreatesNothing() {
        long original = fixtures.message(conversation, "agent").text("Hi");
        String key = "retry-" + UUID.randomUUID();

        HttpResponse<String> first = duplicateWithKey(conversation, original, token, key);
        long afterFirst = fixtures.count("messages");
        HttpResponse<String> repeat = duplicateWithKey(conversation, original, token, key);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.body()).isEqualTo(first.body());
        assertThat(repeat.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(fixtures.count("messages")).isEqualTo(afterFirst);
        BRIDGE.verify(1, postRequestedFor(urlEqualTo("/messages")));
    }

    @Test
    void withoutAKeyEveryRequestCreatesANewDuplicate() {
        long original = fixtures.message(conversation, "agent").text("Hi");
        long before = fixtures.count("messages");

        duplicate(conversation, original, token);
        duplicate(conversation, original, token);

        assertThat(fixtures.count("messages")).isEqualTo(before + 2);
    }

    @Test
    void aRefusalIsReplayedToo() {
        long customer = fixtures.message(conversation, "customer").text("Hi");
        String key = "refused-" + UUID.randomUUID();

        HttpResponse<String> first = duplicateWithKey(conversation, customer, token, key);
        HttpResponse<String> repeat = duplicateWithKey(conversation, customer, token, key);

        assertThat(first.statusCode()).isEqualTo(422);
        assertThat(repeat.statusCode()).isEqualTo(422);
        assertThat(repeat.body()).isEqualTo(first.body());
        assertThat(repeat.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void theSameKeyForOtherIdsIs422() {
        long one = fixtures.message(conversation, "agent").text("one");
        long two = fixtures.message(conversation, "agent").text("two");
        String key = "reused-" + UUID.randomUUID();

        assertThat(duplicateWithKey(conversation, one, token, key).statusCode()).isEqualTo(200);
        long before = fixtures.count("messages");
        HttpResponse<String> other = duplicateWithKey(conversation, two, token, key);

        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(json(other.body()).get("detail").asText()).contains("Idempotency-Key");
        assertThat(fixtures.count("messages")).isEqualTo(before);
    }

    @Test
    void keysBelongToTheirToken() {
        long original = fixtures.message(conversation, "agent").text("Hi");
        String otherToken = fixtures.token(userId);
        String key = "shared-" + UUID.randomUUID();
        long before = fixtures.count("messages");

        assertThat(duplicateWithKey(conversation, original, token, key).statusCode()).isEqualTo(200);
        assertThat(duplicateWithKey(conversation, original, otherToken, key).statusCode()).isEqualTo(200);

        assertThat(fixtures.count("messages")).isEqualTo(before + 2);
    }

    @Test
    void aRepeatWhileTheFirstIsStillRunningIs409() {
        long original = fixtures.message(conversation, "agent").text("Hi");
        String key = "running-" + UUID.randomUUID();
        jdbc.update("""
                INSERT INTO idempotency_keys (token_sha256, idempotency_key, conversation_id, message_id, state)
                VALUES (?, ?, ?, ?, 'running')""",
                chat.platform.duplicate.auth.TokenAuthenticator.sha256Hex(token), key, conversation, original);

        HttpResponse<String> reply = duplicateWithKey(conversation, original, token, key);

        assertThat(reply.statusCode()).isEqualTo(409);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void aRepeatAfterTheFirstRequestDiedAnswersWithItsDuplicateAndCreatesNoOther() {
        long original = fixtures.message(conversation, "agent").text("Hi");
        long storedByTheDeadRequest = fixtures.message(conversation, "agent").user(userId).status("created").text("Hi");
        String key = "died-" + UUID.randomUUID();
        jdbc.update("""
                INSERT INTO idempotency_keys (token_sha256, idempotency_key, conversation_id, message_id, state, duplicate_id, created_at)
                VALUES (?, ?, ?, ?, 'running', ?, now() - interval '3 minutes')""",
                chat.platform.duplicate.auth.TokenAuthenticator.sha256Hex(token), key, conversation, original, storedByTheDeadRequest);
        long before = fixtures.count("messages");

        HttpResponse<String> reply = duplicateWithKey(conversation, original, token, key);
        HttpResponse<String> again = duplicateWithKey(conversation, original, token, key);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(json(reply.body()).get("data").get("id").asLong()).isEqualTo(storedByTheDeadRequest);
        assertThat(again.body()).isEqualTo(reply.body());
        assertThat(fixtures.count("messages")).isEqualTo(before);
        BRIDGE.verify(0, postRequestedFor(urlEqualTo("/messages")));
    }

    @Test
    void theStoredDuplicateIsRecordedOnTheKey() {
        long original = fixtures.message(conversation, "agent").text("Hi");
        String key = "recorded-" + UUID.randomUUID();

        long duplicateId = json(duplicateWithKey(conversation, original, token, key).body()).get("data").get("id").asLong();

        assertThat(jdbc.queryForObject("SELECT duplicate_id FROM idempotency_keys WHERE idempotency_key = ?", Long.class, key))
                .isEqualTo(duplicateId);
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOneDuplicate() throws Exception {
        long original = fixtures.message(conversation, "agent").text("Hi");
        String key = "double-click-" + UUID.randomUUID();
        long before = fixtures.count("messages");
        ExecutorService callers = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<HttpResponse<String>>> replies = IntStream.range(0, 10)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> duplicateWithKey(conversation, original, token, key), callers))
                    .toList();
            List<Integer> statuses = replies.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

            assertThat(statuses).containsOnly(200, 409).contains(200);
            assertThat(fixtures.count("messages")).isEqualTo(before + 1);
            // one message at the bridge (a slow attempt may have been redelivered, with the same key)
            assertThat(BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).stream()
                    .map(r -> r.getHeader("Idempotency-Key")).distinct()).hasSize(1);
            String firstBody = replies.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200)
                    .findFirst().orElseThrow().body();
            assertThat(replies.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200))
                    .allSatisfy(r -> assertThat(r.body()).isEqualTo(firstBody));
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aMalformedKeyIs400() {
        long original = fixtures.message(conversation, "agent").text("Hi");
        long before = fixtures.count("messages");

        // (non-ASCII and control characters: IdempotencyKeysTest; the JDK client cannot send them)
        for (String key : List.of("", "x".repeat(256))) {
            HttpResponse<String> reply = duplicateWithKey(conversation, original, token, key);
            assertThat(reply.statusCode()).as("key of length %d", key.length()).isEqualTo(400);
            assertThat(json(reply.body()).get("detail").asText()).contains("Idempotency-Key");
        }
        assertThat(duplicateWithKey(conversation, original, token, "x".repeat(255)).statusCode()).isEqualTo(200);
        assertThat(fixtures.count("messages")).isEqualTo(before + 1);
    }
}
