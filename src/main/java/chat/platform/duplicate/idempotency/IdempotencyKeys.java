package chat.platform.duplicate.idempotency;

import java.util.Map;

import chat.platform.duplicate.problem.ApiProblem;
import org.springframework.stereotype.Component;

/**
 * The Idempotency-Key rules of the contract: 1 to 255 printable ASCII characters (else 400);
 * for 24 hours a repeat by the same token for the same ids replays the first reply, for other
 * ids is 422, while the first is still running 409. The claim itself is the route's SQL
 * ({@code sql/claim-idempotency-key.sql}); this bean reads its row.
 */
@Component("idempotencyKeys")
public class IdempotencyKeys {

    static final int MAX_LENGTH = 255;

    public String validate(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH
                || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw ApiProblem.badRequest("Idempotency-Key must be 1 to 255 printable ASCII characters.");
        }
        return key;
    }

    public IdempotencyDecision decide(Map<String, Object> claim,
            long conversationId, long messageId) {
        if (claim != null && claim.get("claimed") instanceof Number claimed && claimed.longValue() > 0) {
            return claim.get("resume_duplicate_id") instanceof Number resume
                    ? IdempotencyDecision.resuming(resume.longValue()) : IdempotencyDecision.FIRST_USE;
        }
        Object firstConversation = claim == null ? null : claim.get("conversation_id");
        if (firstConversation == null) {
            throw conflict();
        }
        if (((Number) firstConversation).longValue() != conversationId
                || ((Number) claim.get("message_id")).longValue() != messageId) {
            throw ApiProblem.unprocessable("This Idempotency-Key was already used for another message.");
        }
        if (!"done".equals(claim.get("state"))) {
            throw conflict();
        }
        return IdempotencyDecision.replaying(((Number) claim.get("response_status")).intValue(),
                (String) claim.get("response_body"));
    }

    private static ApiProblem conflict() {
        return new ApiProblem(409, "Conflict", "A request with this Idempotency-Key is still running; try again shortly.");
    }
}
