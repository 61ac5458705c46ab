package chat.platform.duplicate.routes.kit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * The folder of route files a {@link RouteTestKit} test runs: {@code -Droutes.dir=...} on the
 * Maven command line, else the environment variable {@code ROUTES_DIR}, else {@code routes/} of
 * the project. A relative path is taken from the project folder (where Maven runs the tests).
 * <p>
 * It is part of the test context's identity (Spring's {@link ContextCustomizer} contract): tests
 * on one folder share one started service, and a test run on another folder gets its own.
 */
record RoutesFolder(Path path) implements ContextCustomizer {

    static final String PROPERTY = "routes.dir";
    static final String VARIABLE = "ROUTES_DIR";

    /** The folder as given now; relative to the project folder unless absolute. */
    static RoutesFolder given() {
        String given = System.getProperty(PROPERTY);
        if (given == null || given.isBlank()) {
            given = System.getenv(VARIABLE);
        }
        if (given == null || given.isBlank()) {
            given = "routes";
        }
        return new RoutesFolder(Path.of(given).toAbsolutePath().normalize());
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        context.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("routeTestKit", Map.of(PROPERTY, path.toString())));
    }

    /** Registered on {@link RouteTestKit} with {@code @ContextCustomizerFactories}. */
    static final class Factory implements ContextCustomizerFactory {
        @Override
        public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> attributes) {
            return given();
        }
    }
}
