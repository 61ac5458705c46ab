package chat.platform.duplicate.message;

/** A row of {@code files}: a media file in the platform's file store. */
public record StoredFile(String uuid, String name, String mimeType, long size) {
}
