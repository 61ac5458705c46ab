package chat.platform.duplicate.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The embedded default: with no {@code SPRING_DATASOURCE_URL}, start a real PostgreSQL
 * (zonky's binaries), point the datasource at it and let Flyway load the demo data too.
 * Only in the default build: the production jar ({@code -Dproduction}) has neither this
 * class nor the binaries, and then a datasource URL is required.
 */
public class EmbeddedDatabase implements EnvironmentPostProcessor {

    public static final String ENABLED_PROPERTY = "embedded.database.enabled";
    private final Log log;

    public EmbeddedDatabase(DeferredLogFactory logs) {
        this.log = logs.getLog(EmbeddedDatabase.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
            return;
        }
        EmbeddedPostgres postgres = start();
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"));
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "");
        properties.put("spring.flyway.locations", "classpath:db/migration,classpath:db/demo");
        properties.put(ENABLED_PROPERTY, "true");
        environment.getPropertySources().addFirst(new MapPropertySource("embeddedDatabase", properties));
        application.addListeners(event -> {
            if (event instanceof ContextClosedEvent) {
                close(postgres);
            }
        });
        application.addListeners(new DemoCurl());
        log.info("No SPRING_DATASOURCE_URL: started an embedded PostgreSQL on port " + postgres.getPort() + " with demo data");
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "100");
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    private void close(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("could not stop the embedded PostgreSQL: " + e);
        }
    }
}
