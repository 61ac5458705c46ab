package chat.platform.duplicate.message;

import java.time.Instant;

/** A row of {@code message_errors}: something that went wrong sending a message. */
public record MessageError(long id, long messageId, String type, String originalMessage, Instant createdAt) {
}
