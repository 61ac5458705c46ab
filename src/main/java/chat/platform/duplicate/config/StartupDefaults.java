package chat.platform.duplicate.config;

import java.util.HashMap;
import java.util.Map;

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
 */
public class StartupDefaults implements EnvironmentPostProcessor {

    static final String EMBEDDED_DATABASE = "chat.platform.duplicate.embedded.EmbeddedDatabase";
    private final DeferredLogFactory logs;
    private final Log log;

    /** Logging is not set up yet when this runs: Spring Boot replays these lines once it is. */
    public StartupDefaults(DeferredLogFactory logs) {
        this.logs = logs;
        this.log = logs.getLog(StartupDefaults.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
            embeddedDatabase(logs).postProcessEnvironment(environment, application);
        }
        Map<String, Object> defaults = new HashMap<>();
        if (!StringUtils.hasText(environment.getProperty("bridge.url"))) {
            defaults.put("bridge.url", "http://localhost:${local.server.port:${server.port:8080}}/sandbox-bridge");
            defaults.put("bridge.sandbox.enabled", "true");
            log.warn("No BRIDGE_URL: duplicates go to the built-in sandbox bridge, which accepts every message "
                    + "and sends nothing to WhatsApp.");
        }
        environment.getPropertySources().addLast(new MapPropertySource("startupDefaults", defaults));
    }

    private static EnvironmentPostProcessor embeddedDatabase(DeferredLogFactory logs) {
        try {
            return (EnvironmentPostProcessor) Class.forName(EMBEDDED_DATABASE)
                    .getDeclaredConstructor(DeferredLogFactory.class).newInstance(logs);
        } catch (ClassNotFoundException notInThisBuild) {
            throw new IllegalStateException("SPRING_DATASOURCE_URL is required: this is the production build, "
                    + "which has no embedded PostgreSQL.");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL", e);
        }
    }
}
