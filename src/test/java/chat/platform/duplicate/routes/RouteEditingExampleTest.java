package chat.platform.duplicate.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.platform.duplicate.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The worked example of docs/routes.md, done as an integrator does it: copy routes/,
 * paste its YAML into duplicate-message.camel.yaml after read-original, point
 * ROUTES_DIR at the copy and start the service. No Java, no rebuild.
 */
public class RouteEditingExampleTest extends ServiceTest {


    @Test
    void theReadmeExampleRuleRefusesReadMessagesWith422() throws Exception {
        Path routes = copyOfRoutes();
        pasteTheReadmeExample(routes);
        bridgeAcceptsAll("wamid.E");
        String token = fixtures.token(fixtures.user("Integrator"));
        long conversation = fixtures.conversation("+31600000001");
        long read = fixtures.message(conversation, "agent").status("read").text("Seen already");
        long sent = fixtures.message(conversation, "agent").status("sent").text("Not seen yet");

        try (ConfigurableApplicationContext edited = startSecondInstance("edited-routes", "--routes.dir=" + routes)) {
            int editedPort = Integer.parseInt(edited.getEnvironment().getProperty("local.server.port"));

            HttpResponse<String> refused = duplicateOn(editedPort, conversation, read, token);
            HttpResponse<String> allowed = duplicateOn(editedPort, conversation, sent, token);

            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(refused.body()).get("detail").asText()).isEqualTo("A message the customer has read is not sent again.");
            assertThat(allowed.statusCode()).isEqualTo(200);
        }
        assertThat(duplicate(conversation, read, token).statusCode()).as("the shipped routes are unchanged").isEqualTo(200);
    }

    /**
     * ROUTES_RELOAD=true: the same edit made while the service runs takes effect without a
     * restart, and the reloaded route keeps its id (Hawtio, metrics and the MDC name it).
     */
    @Test
    void withRoutesReloadTheEditTakesEffectWhileTheServiceRuns() throws Exception {
        Path routes = copyOfRoutes();
        bridgeAcceptsAll("wamid.R");
        String token = fixtures.token(fixtures.user("Live editor"));
        long conversation = fixtures.conversation("+31600000002");
        long read = fixtures.message(conversation, "agent").status("read").text("Seen already");

        try (ConfigurableApplicationContext live = startSecondInstance("live-routes", "--routes.dir=" + routes, "--routes.reload=true")) {
            int livePort = Integer.parseInt(live.getEnvironment().getProperty("local.server.port"));
            assertThat(duplicateOn(livePort, conversation, read, token).statusCode()).as("before the edit").isEqualTo(200);

            pasteTheReadmeExample(routes);

            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            HttpResponse<String> reply = duplicateOn(livePort, conversation, read, token);
            while (reply.statusCode() != 422 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                reply = duplicateOn(livePort, conversation, read, token);
            }
            assertThat(reply.statusCode()).as("after the edit, without a restart: " + reply.body()).isEqualTo(422);
            org.apache.camel.CamelContext camel = live.getBean(org.apache.camel.CamelContext.class);
            assertThat(camel.getRoute("duplicate-message")).as("the reloaded route keeps its id").isNotNull();
            assertThat(camel.getRoute("duplicate-message").getEndpoint().getEndpointUri()).contains("/duplicate");
        }
    }

    @TempDir
    Path temp;

    private Path copyOfRoutes() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        return routes;
    }

    private void pasteTheReadmeExample(Path routes) throws Exception {
        Path flow = routes.resolve("duplicate-message.camel.yaml");
        Files.writeString(flow, withTheExample(Files.readString(flow)));
    }

    /**
     * {@code duplicate-message.camel.yaml}'s text with the worked example of docs/routes.md pasted
     * as it says: right after the read-original step, at the indentation of its "- setVariable:".
     */
    public static String withTheExample(String flow) throws Exception {
        String readme = Files.readString(Path.of("docs/routes.md"));
        Matcher example = Pattern.compile("<!-- route-editing-example -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(example.find()).as("docs/routes.md has the worked example").isTrue();
        List<String> lines = new ArrayList<>(flow.lines().toList());
        int step = -1;
        for (int i = 0; i < lines.size() && step < 0; i++) {
            if (lines.get(i).trim().equals("id: read-original")) {
                step = i - 1; // the "- setVariable:" line of the step
            }
        }
        assertThat(step).isPositive();
        String indent = lines.get(step).substring(0, lines.get(step).indexOf('-'));
        int after = step + 1;
        while (after < lines.size() && !lines.get(after).startsWith(indent + "-") && lines.get(after).startsWith(indent + " ")) {
            after++;
        }
        List<String> pasted = example.group(1).lines().map(line -> line.isBlank() ? line : indent + line).toList();
        lines.addAll(after, pasted);
        return String.join("\n", lines) + "\n";
    }
}
