package chat.platform.duplicate.routes.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * docs/routes.md's worked example with its test, as an integrator uses them: the YAML block is
 * pasted into a copy of {@code routes/} right after step {@code read-original}, and
 * {@link RefuseReadMessagesExample} runs on a folder as
 * {@code ./mvnw test -Dtest=RefuseReadMessagesExample -Droutes.dir=...} runs it (the JUnit
 * Platform, with {@code routes.dir} set): it fails on the shipped routes and passes on the copy.
 * {@code routes/RouteEditingExampleTest} stays beside it: it starts the edited service as a
 * caller meets it (HTTP, a second instance) and edits it live; this one keeps the example's test
 * honest, one that could not fail before the edit would prove nothing after it.
 */
class WorkedExampleTest {

    @TempDir
    Path temp;

    @Test
    void theExampleTestFailsOnTheShippedRoutesAndPassesOnceTheRuleIsPasted() throws Exception {
        Path edited = copyOfRoutesWithTheExamplePasted();

        TestExecutionSummary before = runTheExampleOn(Path.of("routes"));
        TestExecutionSummary after = runTheExampleOn(edited);

        assertThat(before.getTestsFoundCount()).isEqualTo(2);
        assertThat(before.getFailures()).singleElement().satisfies(failure -> {
            assertThat(failure.getTestIdentifier().getDisplayName()).startsWith("aMessageTheCustomerHasReadIsRefusedAndNothingIsSent");
            assertThat(failure.getException()).hasMessageContaining("the reply: 200");
        });
        assertThat(after.getFailures()).as("on the edited copy").isEmpty();
        assertThat(after.getTestsSucceededCount()).isEqualTo(2);
    }

    /** The example class on a folder of route files, as {@code -Droutes.dir} gives it. */
    private static TestExecutionSummary runTheExampleOn(Path routes) {
        String given = System.getProperty(RoutesFolder.PROPERTY);
        System.setProperty(RoutesFolder.PROPERTY, routes.toAbsolutePath().toString());
        try {
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(RefuseReadMessagesExample.class)).build(),
                    summary);
            return summary.getSummary();
        } finally {
            if (given == null) {
                System.clearProperty(RoutesFolder.PROPERTY);
            } else {
                System.setProperty(RoutesFolder.PROPERTY, given);
            }
        }
    }

    /** A copy of routes/ with docs/routes.md's block pasted after read-original, at that step's indentation. */
    private Path copyOfRoutesWithTheExamplePasted() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("my-routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Matcher example = Pattern.compile("<!-- route-editing-example -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("docs/routes.md")));
        assertThat(example.find()).as("docs/routes.md has the worked example").isTrue();
        Path flow = routes.resolve("duplicate-message.camel.yaml");
        List<String> lines = new ArrayList<>(Files.readAllLines(flow));
        int step = -1;
        for (int i = 0; i < lines.size() && step < 0; i++) {
            if (lines.get(i).trim().equals("id: read-original")) {
                step = i - 1; // the step's "- setVariable:" line
            }
        }
        assertThat(step).as("step read-original").isPositive();
        String indent = lines.get(step).substring(0, lines.get(step).indexOf('-'));
        int after = step + 1;
        while (after < lines.size() && lines.get(after).startsWith(indent + " ")) {
            after++;
        }
        lines.addAll(after, example.group(1).lines().map(line -> line.isBlank() ? line : indent + line).toList());
        Files.write(flow, lines);
        return routes;
    }
}
