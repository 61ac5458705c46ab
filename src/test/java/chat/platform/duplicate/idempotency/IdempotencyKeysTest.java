package chat.platform.duplicate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import chat.platform.duplicate.problem.ApiProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeysTest {

    private final IdempotencyKeys keys = new IdempotencyKeys();

    @ParameterizedTest
    @ValueSource(strings = {"a", " ", "~", "retry-1", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
    void printableAsciiKeysAreValid(String key) {
        assertThat(keys.validate(key)).isEqualTo(key);
        assertThat(keys.validate("k".repeat(255))).hasSize(255);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "caf\u00e9", "tab\there", "new\nline", "nul\u0000", "del\u007f", "\u00a0", "\uD83D\uDE00"})
    void otherKeysAre400(String key) {
        assertThatThrownBy(() -> keys.validate(key)).isInstanceOfSatisfying(ApiProblem.class,
                p -> assertThat(p.status()).isEqualTo(400));
        assertThatThrownBy(() -> keys.validate("k".repeat(256))).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> keys.validate(null)).isInstanceOf(ApiProblem.class);
    }

    @Test
    void aClaimedKeyGoesOn() {
        IdempotencyDecision decision = keys.decide(row(1, null, null, null, null, null), 1, 2);
        assertThat(decision.replay()).isFalse();
        assertThat(decision.createsDuplicate()).isTrue();
    }

    @Test
    void aKeyTakenOverFromADeadRequestAnswersWithItsDuplicate() {
        Map<String, Object> row = row(1, 1L, 2L, "running", null, null);
        row.put("resume_duplicate_id", 77L);
        IdempotencyDecision decision = keys.decide(row, 1, 2);
        assertThat(decision.resumeDuplicateId()).isEqualTo(77L);
        assertThat(decision.createsDuplicate()).isFalse();
        assertThat(decision.replay()).isFalse();
    }

    @Test
    void aFinishedFirstRequestIsReplayed() {
        IdempotencyDecision decision = keys.decide(row(0, 1L, 2L, "done", 200, "{\"data\":{}}"), 1, 2);
        assertThat(decision).isEqualTo(new IdempotencyDecision(true, 200, "{\"data\":{}}", null));
        assertThat(decision.createsDuplicate()).isFalse();
        assertThat(decision.contentType()).isEqualTo("application/json");
        assertThat(keys.decide(row(0, 1L, 2L, "done", 404, "{}"), 1, 2).contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void otherIdsAre422AndARunningOrUnseenHolderIs409() {
        assertThatThrownBy(() -> keys.decide(row(0, 1L, 3L, "done", 200, "{}"), 1, 2))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(422));
        assertThatThrownBy(() -> keys.decide(row(0, 9L, 2L, "done", 200, "{}"), 1, 2))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(422));
        assertThatThrownBy(() -> keys.decide(row(0, 1L, 2L, "running", null, null), 1, 2))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(409));
        assertThatThrownBy(() -> keys.decide(row(0, null, null, null, null, null), 1, 2))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(409));
    }

    private static Map<String, Object> row(long claimed, Long conversationId, Long messageId, String state,
            Integer status, String body) {
        Map<String, Object> row = new HashMap<>();
        row.put("claimed", claimed);
        row.put("conversation_id", conversationId);
        row.put("message_id", messageId);
        row.put("state", state);
        row.put("response_status", status);
        row.put("response_body", body);
        return row;
    }
}
