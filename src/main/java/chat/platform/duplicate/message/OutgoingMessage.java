package chat.platform.duplicate.message;

/**
 * A duplicate about to be stored and sent: where it goes, who sends it, the message it refers to
 * (shown in full in the reply; its {@code external_id} is the bridge's
 * {@code reply_to_external_id}) and its one content.
 */
public record OutgoingMessage(
        long conversationId,
        String channel,
        String recipient,
        long userId,
        Long referenceId,
        StoredMessage reference,
        long duplicateOfId,
        Content content) {

    public String referenceExternalId() {
        return reference == null ? null : reference.externalId();
    }

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
