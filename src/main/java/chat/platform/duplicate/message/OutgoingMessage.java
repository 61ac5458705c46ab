package chat.platform.duplicate.message;

/**
 * A duplicate about to be stored and sent: where it goes, what it refers to and its one
 * content. The route's SQL binds its accessors ({@code :#${variable.outgoing.contentType}}).
 */
public record OutgoingMessage(
        long conversationId,
        String channel,
        String recipient,
        long userId,
        Long referenceId,
        String referenceExternalId,
        long duplicateOfId,
        Content content) {

    public String contentType() {
        return content.type();
    }

    public String payloadJson() {
        return content.payload().toString();
    }

    public String fileUuid() {
        return content.hasFile() ? content.file().uuid() : null;
    }
}
