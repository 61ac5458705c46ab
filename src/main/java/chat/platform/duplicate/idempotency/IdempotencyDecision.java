package chat.platform.duplicate.idempotency;

import chat.platform.duplicate.problem.Problem;

/**
 * What a request with an Idempotency-Key does: go on (first use), replay the first reply, or
 * (the first request died after storing its duplicate) answer with that duplicate.
 */
public record IdempotencyDecision(boolean replay, Integer status, String body, Long resumeDuplicateId) {

    static final IdempotencyDecision FIRST_USE = new IdempotencyDecision(false, null, null, null);

    static IdempotencyDecision resuming(long duplicateId) {
        return new IdempotencyDecision(false, null, null, duplicateId);
    }

    static IdempotencyDecision replaying(int status, String body) {
        return new IdempotencyDecision(true, status, body, null);
    }

    /** Whether this request stores and sends a new duplicate. */
    public boolean createsDuplicate() {
        return !replay && resumeDuplicateId == null;
    }

    public String contentType() {
        return status != null && status < 300 ? "application/json" : Problem.MEDIA_TYPE;
    }
}
