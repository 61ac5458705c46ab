package chat.platform.duplicate.idempotency;

import chat.platform.duplicate.problem.Problem;

/** What a request with an Idempotency-Key does: go on (first use), or replay the first reply. */
public record IdempotencyDecision(boolean replay, Integer status, String body) {

    static final IdempotencyDecision FIRST_USE = new IdempotencyDecision(false, null, null);

    public String contentType() {
        return status != null && status < 300 ? "application/json" : Problem.MEDIA_TYPE;
    }
}
