package chat.platform.duplicate.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import chat.platform.duplicate.routefiles.RouteCheck;
import chat.platform.duplicate.routefiles.RouteFolder;
import chat.platform.duplicate.routefiles.ServiceFacts;
import org.junit.jupiter.api.Test;

/**
 * The build holds the shipped route files in {@code routes/} to the route check that start-up,
 * live reload and {@code validate-routes} run (Camel's YAML DSL schema, the project's
 * conventions, and that the flow can run in this service), with the facts {@code validate-routes}
 * uses: application.yaml and the beans of the service's classes. What each check reports is
 * RouteCheckTest's.
 */
class RouteFilesTest {

    /** Maven runs the tests in the project root. */
    private static final Path ROUTES_DIR = Path.of("routes");

    @Test
    void theShippedRouteFilesPassTheRouteCheck() throws Exception {
        List<RouteFolder.RouteFile> files = RouteFolder.read(ROUTES_DIR);
        assertThat(files).as("routes/*.camel.yaml in %s: the check would pass on nothing", ROUTES_DIR.toAbsolutePath()).isNotEmpty();

        RouteCheck.Result result = new RouteCheck(ServiceFacts.standalone()).check(RouteFolder.texts(files));

        assertThat(result.problems()).as(() -> result.problems().stream().map(Object::toString)
                .collect(Collectors.joining("\n", "problems:\n", "\n"))).isEmpty();
        assertThat(result.routeCount()).isEqualTo(10);
    }
}
