package chat.platform.duplicate.routefiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar duplicate-message-service.jar validate-routes [folder]}: the route check on a
 * folder (default {@code ROUTES_DIR}, else {@code ./routes}) with no Spring context, database,
 * network or web server. Prints one line per problem, {@code <file>:<line>: <what>}, or
 * {@code ok: N files, M routes}; exit code 0 when the folder passes, 1 otherwise.
 */
public final class ValidateRoutesCommand {

    public static final String NAME = "validate-routes";

    private ValidateRoutesCommand() {
    }

    /** Runs the command ({@code args[0]} is its name); returns the exit code. */
    public static int run(String[] args, PrintStream out) {
        if (args.length > 2) {
            out.println("usage: java -jar duplicate-message-service.jar " + NAME + " [folder of *.camel.yaml files]");
            return 1;
        }
        String given = args.length == 2 ? args[1] : System.getenv().getOrDefault("ROUTES_DIR", "./routes");
        Path folder = Path.of(given);
        if (!Files.isDirectory(folder)) {
            out.println(given + ": no such folder");
            return 1;
        }
        List<RouteFolder.RouteFile> files;
        try {
            files = RouteFolder.read(folder);
        } catch (IOException e) {
            out.println(given + ": cannot be read (" + e + ")");
            return 1;
        }
        if (files.isEmpty()) {
            out.println(given + ": no *" + RouteFolder.SUFFIX + " route files");
            return 1;
        }
        RouteCheck.Result result = new RouteCheck(ServiceFacts.standalone()).check(RouteFolder.texts(files));
        if (!result.ok()) {
            result.problems().forEach(out::println);
            return 1;
        }
        out.println("ok: " + files.size() + " files, " + result.routeCount() + " routes");
        return 0;
    }
}
