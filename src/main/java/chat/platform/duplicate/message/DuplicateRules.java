package chat.platform.duplicate.message;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import chat.platform.duplicate.problem.ApiProblem;
import chat.platform.duplicate.template.TemplateCompilationException;
import chat.platform.duplicate.template.TemplateCompiler;
import org.springframework.stereotype.Component;

/**
 * What may be duplicated, and what the duplicate is: only agent messages; a copy of the
 * original's single content, or, for a WhatsApp template message, the compiled template
 * as one plain content. Anything else is a {@code 422}.
 */
@Component("duplicateRules")
public class DuplicateRules {

    private final TemplateCompiler templateCompiler = new TemplateCompiler();

    public OutgoingMessage duplicate(StoredMessage original, long userId) {
        if (!"agent".equals(original.sender())) {
            throw ApiProblem.unprocessable("Only messages from an agent can be duplicated; this one is from "
                    + original.sender() + ".");
        }
        Content content = original.isTemplate() ? compiledTemplate(original) : singleContent(original);
        return new OutgoingMessage(
                original.conversationId(),
                original.channel(),
                original.recipient(),
                userId,
                original.referenceId(),
                original.reference(),
                original.id(),
                content);
    }

    /**
     * The values of the new message's rows, by the names {@code sql/store-duplicate.sql}
     * binds ({@code :#conversationId}, ...): conversationId, userId, referenceId, duplicateOfId,
     * contentType, payloadJson (the content's payload as JSON text) and fileUuid (may be null,
     * as referenceId).
     */
    public Map<String, Object> row(OutgoingMessage message) {
        Map<String, Object> row = new HashMap<>(16);
        row.put("conversationId", message.conversationId());
        row.put("userId", message.userId());
        row.put("referenceId", message.referenceId());
        row.put("duplicateOfId", message.duplicateOfId());
        row.put("contentType", message.contentType());
        row.put("payloadJson", message.payloadJson());
        row.put("fileUuid", message.fileUuid());
        return row;
    }

    /** A stored duplicate to send again (recovery): its own stored content, as it was stored. */
    public OutgoingMessage storedDuplicate(StoredMessage duplicate) {
        if (duplicate.contents().size() != 1 || duplicate.duplicateOfId() == null) {
            throw new IllegalStateException("message " + duplicate.id() + " is not a stored duplicate");
        }
        return new OutgoingMessage(
                duplicate.conversationId(),
                duplicate.channel(),
                duplicate.recipient(),
                duplicate.userId() == null ? 0 : duplicate.userId(),
                duplicate.referenceId(),
                duplicate.reference(),
                duplicate.duplicateOfId(),
                duplicate.contents().get(0));
    }

    private static Content singleContent(StoredMessage original) {
        int count = original.contents().size();
        if (count != 1) {
            throw ApiProblem.unprocessable("Only a message with exactly one content can be duplicated; this one has "
                    + count + ".");
        }
        Content content = original.contents().get(0);
        return new Content(0, content.type(), content.payload(), content.file());
    }

    private Content compiledTemplate(StoredMessage original) {
        Function<String, StoredFile> files = uuid -> original.templateFiles().stream()
                .filter(file -> file.uuid().equalsIgnoreCase(uuid))
                .findFirst()
                .orElse(null);
        try {
            return templateCompiler.compile(original.templateComponents(), original.templateParameters(), files);
        } catch (TemplateCompilationException e) {
            throw ApiProblem.unprocessable("The message's WhatsApp template cannot be compiled: " + e.getMessage());
        }
    }
}
