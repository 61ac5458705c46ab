package chat.platform.duplicate;

import chat.platform.duplicate.routefiles.ValidateRoutesCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.logging.LoggingSystem;

@SpringBootApplication
public class DuplicateMessageApplication {

    /** Starts the service; {@code validate-routes [folder]} only checks route files and exits (0 or 1). */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(ValidateRoutesCommand.NAME)) {
            // the libraries' own log lines stay out of the command's output (Spring's logging system,
            // never initialised here, holds them back)
            LoggingSystem.get(DuplicateMessageApplication.class.getClassLoader()).beforeInitialize();
            System.exit(ValidateRoutesCommand.run(args, System.out));
        }
        SpringApplication.run(DuplicateMessageApplication.class, args);
    }
}
