package chat.platform.duplicate.ops;

import io.opentelemetry.api.trace.Span;
import org.springframework.stereotype.Component;

/**
 * The current span (while tracing is on) of a request or of a recovery resend: the chat ids and a
 * reply's HTTP status as attributes {@code chat.conversation_id}, {@code chat.message_id},
 * {@code chat.duplicate_id} and {@code http.response.status_code}, so that a duplicate's trace is
 * found by its ids. Without tracing there is no current span and nothing is done.
 */
@Component("traceAttributes")
public class TraceAttributes {

    /** Sets what is known (null: not known); true when there was a span to set it on. */
    public boolean request(Long conversationId, Long messageId, Long duplicateId, Integer status) {
        Span span = withIds(conversationId, messageId, duplicateId);
        if (span == null) {
            return false;
        }
        span.setAttribute("http.response.status_code", status == null ? 200 : status);
        return true;
    }

    /** A recovery resend: the duplicate's conversation and id; true when there was a span to set them on. */
    public boolean resend(Long conversationId, Long duplicateId) {
        return withIds(conversationId, null, duplicateId) != null;
    }

    /** The current span with the ids that are known; null without one. */
    private static Span withIds(Long conversationId, Long messageId, Long duplicateId) {
        Span span = Span.current();
        if (!span.getSpanContext().isValid()) {
            return null;
        }
        if (conversationId != null) {
            span.setAttribute("chat.conversation_id", conversationId);
        }
        if (messageId != null) {
            span.setAttribute("chat.message_id", messageId);
        }
        if (duplicateId != null) {
            span.setAttribute("chat.duplicate_id", duplicateId);
        }
        return span;
    }
}
