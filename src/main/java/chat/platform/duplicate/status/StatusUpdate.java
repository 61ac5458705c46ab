package chat.platform.duplicate.status;

/**
 * A status report of the messenger bridge ({@code POST /bridge/v1/status-updates}), validated.
 * {@code errorText} is what an {@code error} report stores: its {@code error}, or "unknown error".
 */
public record StatusUpdate(String externalId, String status, String errorText) {
}
