package chat.platform.duplicate.config;

/**
 * A setting the service cannot start with. {@link StartupFailures} prints it as Spring Boot's
 * "APPLICATION FAILED TO START" report: what is wrong, and which variable to set.
 */
public class Misconfiguration extends RuntimeException {

    private final String action;

    public Misconfiguration(String description, String action) {
        super(description, null, false, false);
        this.action = action;
    }

    public String description() {
        return getMessage();
    }

    public String action() {
        return action;
    }
}
