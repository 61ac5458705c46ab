package chat.platform.duplicate.routefiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.platform.duplicate.config.StartupDefaults;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * What a route file may use in this service: its beans ({@link ServiceBeans}), its settings
 * (application.yaml, the environment, the defaults start-up gives), the Camel components on its
 * class path and the SQL files in its jar. The route check asks it; start-up and live reload build
 * it from Spring's environment, {@code validate-routes} from application.yaml and the process'
 * environment.
 */
public final class ServiceFacts {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}");

    private final ClassLoader classLoader;
    private final Set<String> beans;
    private final PropertyResolver settings;
    private final Map<String, String> defaults;

    /**
     * @param beans the bean names a route may call
     * @param settings where a {@code {{key}}} placeholder is looked up
     * @param defaults settings start-up gives when they are not set (key, value)
     */
    public ServiceFacts(ClassLoader classLoader, Set<String> beans, PropertyResolver settings, Map<String, String> defaults) {
        this.classLoader = classLoader;
        this.beans = Collections.unmodifiableSortedSet(new TreeSet<>(beans));
        this.settings = settings;
        this.defaults = Map.copyOf(defaults);
    }

    /** The running service's facts: its beans, the given environment and start-up's defaults. */
    public static ServiceFacts of(PropertyResolver environment) {
        return new ServiceFacts(ServiceFacts.class.getClassLoader(), ServiceBeans.scan(), environment, StartupDefaults.SANDBOX_BRIDGE);
    }

    /** Without Spring: application.yaml of the jar, then the process' environment variables and system properties. */
    public static ServiceFacts standalone() {
        StandardEnvironment environment = new StandardEnvironment();
        try {
            new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml", ServiceFacts.class.getClassLoader()))
                    .forEach(source -> environment.getPropertySources().addLast(source));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read application.yaml", e);
        }
        return of(environment);
    }

    public Set<String> beans() {
        return beans;
    }

    public boolean hasBean(String name) {
        return beans.contains(name);
    }

    /** A Camel component for this URI scheme is on the class path (Camel finds components by this file). */
    public boolean hasComponent(String scheme) {
        return classLoader.getResource("META-INF/services/org/apache/camel/component/" + scheme) != null;
    }

    /** The text of a {@code sql:classpath:} file, empty when the service has no such file. */
    public Optional<String> sqlFile(String location) {
        try (InputStream in = classLoader.getResourceAsStream(location)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The value of the inside of one placeholder, {@code key}, {@code key:default},
     * {@code env:NAME[:default]} or {@code sys:name[:default]} ({@code ?} before the key: optional):
     * empty when it has no value here and no default.
     */
    public Optional<String> placeholder(String inside) {
        String key = inside.startsWith("?") ? inside.substring(1) : inside;
        String source = null;
        if (key.startsWith("env:") || key.startsWith("sys:")) {
            source = key.substring(0, 3);
            key = key.substring(4);
        }
        String fallback = null;
        int colon = key.indexOf(':');
        if (colon >= 0) {
            fallback = key.substring(colon + 1);
            key = key.substring(0, colon);
        }
        String value;
        if ("env".equals(source)) {
            value = System.getenv(key);
        } else if ("sys".equals(source)) {
            value = System.getProperty(key);
        } else {
            value = setting(key);
        }
        return Optional.ofNullable(value != null ? value : fallback);
    }

    private String setting(String key) {
        try {
            String value = settings.getProperty(key);
            if (value == null && defaults.containsKey(key)) {
                value = settings.resolvePlaceholders(defaults.get(key));
            }
            return value;
        } catch (IllegalArgumentException unresolvable) {
            return null;
        }
    }

    /** {@code text} with each {@code {{...}}} replaced by its value; empty when one has none. */
    public Optional<String> resolve(String text) {
        Matcher placeholders = PLACEHOLDER.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (placeholders.find()) {
            Optional<String> value = placeholder(placeholders.group(1));
            if (value.isEmpty()) {
                return Optional.empty();
            }
            placeholders.appendReplacement(resolved, Matcher.quoteReplacement(value.get()));
        }
        placeholders.appendTail(resolved);
        return Optional.of(resolved.toString());
    }
}
