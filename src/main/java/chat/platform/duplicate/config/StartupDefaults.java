package chat.platform.duplicate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import chat.platform.duplicate.routefiles.CamelYamlDslSchema;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The defaults the contract gives for a run with nothing configured:
 * <ul>
 * <li>no {@code SPRING_DATASOURCE_URL}: the embedded PostgreSQL with demo data, when this
 * build has it (the default build; the production build has not, and then the URL is required);</li>
 * <li>no {@code BRIDGE_URL}: the built-in sandbox bridge route of this service, which accepts
 * every message ({@code bridge.sandbox.enabled=true} starts it).</li>
 * </ul>
 * Before either, the route files must be there ({@code ROUTES_DIR}): without them the service
 * would start and answer nothing, so it stops at once, naming the folder.
 */
public class StartupDefaults implements EnvironmentPostProcessor {

    static final String EMBEDDED_DATABASE = "chat.platform.duplicate.embedded.EmbeddedDatabase";

    /** The settings of the sandbox bridge, given when {@code BRIDGE_URL} is not set (so the routes always have a bridge.url). */
    public static final Map<String, String> SANDBOX_BRIDGE = Map.of(
            "bridge.url", "http://localhost:${local.server.port:${server.port:8080}}/sandbox-bridge",
            "bridge.sandbox.enabled", "true");
    private final DeferredLogFactory logs;
    private final Log log;

    /** Logging is not set up yet when this runs: Spring Boot replays these lines once it is. */
    public StartupDefaults(DeferredLogFactory logs) {
        this.logs = logs;
        this.log = logs.getLog(StartupDefaults.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        requireRouteFiles(environment.getProperty("routes.dir", "./routes"));
        // the route check (bean routeFiles) needs Camel's YAML DSL schema: compiled while the context is built
        CamelYamlDslSchema.preload();
        if (!StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
            embeddedDatabase(logs, EMBEDDED_DATABASE).postProcessEnvironment(environment, application);
        }
        Map<String, Object> defaults = new HashMap<>();
        if (!StringUtils.hasText(environment.getProperty("bridge.url"))) {
            defaults.putAll(SANDBOX_BRIDGE);
            log.warn("No BRIDGE_URL: duplicates go to the built-in sandbox bridge, which accepts every message "
                    + "and sends nothing to WhatsApp.");
        }
        environment.getPropertySources().addLast(new MapPropertySource("startupDefaults", defaults));
    }

    /** {@code ROUTES_DIR} is a readable folder with at least one {@code *.camel.yaml} file. */
    static void requireRouteFiles(String routesDir) {
        Path folder = Path.of(routesDir).toAbsolutePath().normalize();
        String action = "Set ROUTES_DIR to the folder that holds the service's *.camel.yaml route files "
                + "(routes/ of the repository, /app/routes in the Docker image).";
        if (!Files.isDirectory(folder)) {
            throw new Misconfiguration("ROUTES_DIR is " + routesDir + ": the folder " + folder + " does not exist.", action);
        }
        try (Stream<Path> files = Files.list(folder)) {
            if (files.noneMatch(file -> file.getFileName().toString().endsWith(".camel.yaml"))) {
                throw new Misconfiguration("ROUTES_DIR is " + routesDir + ": the folder " + folder
                        + " has no *.camel.yaml route files.", action);
            }
        } catch (IOException unreadable) {
            throw new Misconfiguration("ROUTES_DIR is " + routesDir + ": the folder " + folder
                    + " cannot be read (" + unreadable + ").", action);
        }
    }

    static EnvironmentPostProcessor embeddedDatabase(DeferredLogFactory logs, String className) {
        try {
            return (EnvironmentPostProcessor) Class.forName(className)
                    .getDeclaredConstructor(DeferredLogFactory.class).newInstance(logs);
        } catch (ClassNotFoundException notInThisBuild) {
            throw new Misconfiguration("SPRING_DATASOURCE_URL is not set, and this is the production build, "
                    + "which has no embedded PostgreSQL.", "Set SPRING_DATASOURCE_URL (with SPRING_DATASOURCE_USERNAME and "
                    + "SPRING_DATASOURCE_PASSWORD) to the platform's PostgreSQL, e.g. jdbc:postgresql://db:5432/platform.");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL", e);
        }
    }
}
