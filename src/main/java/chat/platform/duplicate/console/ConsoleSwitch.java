package chat.platform.duplicate.console;

import java.util.HashMap;
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
 * Whether the console (Hawtio at {@code /actuator/hawtio}, Jolokia at {@code /actuator/jolokia})
 * exists, and how Hawtio sees its users; decided before the auto-configurations read
 * {@code hawtio.*}:
 * <ul>
 * <li>a login configured ({@link ConsoleLogins}): on, behind Spring Security ({@link ConsoleSecurity});
 * Hawtio's authentication is on and takes Spring Security's user ({@link SpringSecurityHawtioLogin}),
 * so the console shows who is logged in and its logout ends the session;</li>
 * <li>no login, on the embedded default: on and open, with a logged warning; health shows its
 * details to everyone there;</li>
 * <li>no login otherwise (a real database): switched off, the two paths answer 404.</li>
 * </ul>
 * A half-configured login stops the start ({@link ConsoleLogins#from}).
 */
public class ConsoleSwitch implements EnvironmentPostProcessor {

    static final String EMBEDDED_DATABASE_CLASS = "chat.platform.duplicate.embedded.EmbeddedDatabase";

    private final Log log;

    public ConsoleSwitch(DeferredLogFactory logs) {
        this.log = logs.getLog(ConsoleSwitch.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ConsoleLogins logins = ConsoleLogins.from(environment);
        Map<String, Object> settings = new HashMap<>();
        if (logins.any()) {
            long seconds = logins.sessionTimeout().toSeconds();
            settings.put("hawtio.authenticationEnabled", "true");
            // who may do what is Spring Security's and the Jolokia restrictor's (ConsoleRestrictor)
            settings.put("hawtio.roles", "*");
            settings.put("hawtio.authenticationContainerDiscoveryClasses", SpringSecurityHawtioLogin.class.getName());
            settings.put("hawtio.sessionTimeout", Long.toString(seconds));
            settings.put("server.servlet.session.timeout", seconds + "s");
        } else if (isEmbeddedDefault(environment)) {
            settings.put("hawtio.authenticationEnabled", "false");
            settings.put("management.endpoint.health.show-details", "always");
            settings.put("management.endpoint.health.show-components", "always");
        } else {
            settings.put("hawtio.enabled", "false");
            settings.put("hawtio.authenticationEnabled", "false");
            settings.put("management.endpoint.hawtio.access", "none");
            settings.put("management.endpoint.jolokia.access", "none");
            log.info("No HAWTIO_USERNAME/HAWTIO_PASSWORD, HAWTIO_VIEWER_USERNAME/HAWTIO_VIEWER_PASSWORD or "
                    + "HAWTIO_OIDC_ISSUER_URI: Hawtio and Jolokia are switched off.");
        }
        environment.getPropertySources().addFirst(new MapPropertySource("consoleSwitch", settings));
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
                && ClassUtils.isPresent(EMBEDDED_DATABASE_CLASS, ConsoleSwitch.class.getClassLoader());
    }
}
