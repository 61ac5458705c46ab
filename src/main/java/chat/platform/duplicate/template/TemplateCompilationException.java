package chat.platform.duplicate.template;

/**
 * A WhatsApp template message cannot be compiled into a plain message: a placeholder
 * has no parameter, a file is missing, or the definition or the parameters are
 * malformed. The message is one caller-facing sentence naming what is missing or
 * wrong (e.g. {@code placeholder {{2}} in BODY has no parameter}); the Client API
 * answers it with {@code 422}.
 */
public class TemplateCompilationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TemplateCompilationException(String message) {
        super(message);
    }
}
