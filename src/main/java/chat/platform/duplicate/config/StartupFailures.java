package chat.platform.duplicate.config;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.util.ObjectHelper;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * The start-up mistakes a user makes, reported as Spring Boot's "APPLICATION FAILED TO START"
 * (a description and an action, no stack trace) instead of a page of stack: a setting the
 * service cannot start with ({@link Misconfiguration}, also route files that fail the route
 * check), a database it cannot reach, a route file Camel cannot load. Spring Boot then ends the
 * process with exit code 1.
 */
public class StartupFailures implements FailureAnalyzer {

    private final Environment environment;

    /** Spring Boot passes the application's environment (null when start-up failed before it had one). */
    public StartupFailures(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        Misconfiguration misconfiguration = ObjectHelper.getException(Misconfiguration.class, failure);
        if (misconfiguration != null) {
            return new FailureAnalysis(misconfiguration.description(), misconfiguration.action(), failure);
        }
        MarkedYamlEngineException yaml = ObjectHelper.getException(MarkedYamlEngineException.class, failure);
        if (yaml != null) {
            return new FailureAnalysis("A route file could not be loaded: " + yaml.getMessage().strip(),
                    "Fix that file in ROUTES_DIR (" + property("routes.dir") + "). `java -jar duplicate-message-service.jar "
                            + "validate-routes <folder>` checks route files before they are deployed.", failure);
        }
        FailedToCreateRouteException route = ObjectHelper.getException(FailedToCreateRouteException.class, failure);
        if (route != null) {
            return new FailureAnalysis("Route " + route.getRouteId() + " could not be created: " + rootMessage(route),
                    "Fix route " + route.getRouteId() + " in the route files of ROUTES_DIR (" + property("routes.dir")
                            + "), or set the setting it names.", failure);
        }
        if (isDatabaseUnreachable(failure)) {
            return new FailureAnalysis("The database " + withoutQuery(property("spring.datasource.url"))
                    + " could not be reached: " + rootMessage(failure),
                    "Check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD, and that "
                            + "PostgreSQL is running and reachable from here.", failure);
        }
        return null;
    }

    /**
     * No connection at all: refused, unknown host, or PostgreSQL's connection, login and
     * unknown-database errors (SQLSTATE classes 08, 28 and 3D).
     */
    static boolean isDatabaseUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("28") || sql.getSQLState().startsWith("3D"))) {
                return true;
            }
            if ((t instanceof ConnectException || t instanceof UnknownHostException) && ObjectHelper.getException(SQLException.class, failure) != null) {
                return true;
            }
        }
        return false;
    }

    private String property(String key) {
        String value = environment != null ? environment.getProperty(key) : null;
        return value != null ? value : "not set";
    }

    /** A JDBC URL may carry a password as a query parameter: only the part before it is printed. */
    static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).strip();
    }
}
