package chat.platform.duplicate.ops;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Whether Hawtio ({@code /actuator/hawtio}) and Jolokia ({@code /actuator/jolokia}) exist at all
 * (contract: {@code HAWTIO_USERNAME}, {@code HAWTIO_PASSWORD}):
 * <ul>
 * <li>both set: on, behind a login ({@link HawtioSecurity});</li>
 * <li>not set, on the embedded default: on and open, with a logged warning;</li>
 * <li>not set otherwise (a real database): switched off, the two paths answer 404.</li>
 * </ul>
 * Decided here, before the auto-configuration reads {@code hawtio.enabled}.
 */
public class HawtioSwitch implements EnvironmentPostProcessor {

    static final String EMBEDDED_DATABASE_CLASS = "chat.platform.duplicate.embedded.EmbeddedDatabase";

    private final Log log;

    public HawtioSwitch(DeferredLogFactory logs) {
        this.log = logs.getLog(HawtioSwitch.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (hasCredentials(environment) || isEmbeddedDefault(environment)) {
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("hawtioSwitchedOff", Map.of(
                "hawtio.enabled", "false",
                "management.endpoint.hawtio.access", "none",
                "management.endpoint.jolokia.access", "none")));
        log.info("No HAWTIO_USERNAME/HAWTIO_PASSWORD: Hawtio and Jolokia are switched off.");
    }

    static boolean hasCredentials(Environment environment) {
        return StringUtils.hasText(environment.getProperty("hawtio.username"))
                && StringUtils.hasText(environment.getProperty("hawtio.password"));
    }

    /**
     * The embedded default: the embedded PostgreSQL was started ({@code embedded.database.enabled},
     * set by StartupDefaults) or will be (no datasource URL, and this build has the embedded database).
     */
    static boolean isEmbeddedDefault(Environment environment) {
        if (Boolean.parseBoolean(environment.getProperty("embedded.database.enabled"))) {
            return true;
        }
        return !StringUtils.hasText(environment.getProperty("spring.datasource.url"))
                && ClassUtils.isPresent(EMBEDDED_DATABASE_CLASS, HawtioSwitch.class.getClassLoader());
    }
}
