package chat.platform.duplicate.message;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One row of {@code message_contents}: its type, its payload exactly as stored (the
 * Client API fields minus {@code type} and minus the file fields) and its file, if any.
 */
public record Content(int position, String type, ObjectNode payload, StoredFile file) {

    public Content {
        payload = payload == null ? null : payload.deepCopy();
    }

    /** Content types whose file fields come from the {@code files} row. */
    public boolean hasFile() {
        return file != null;
    }
}
