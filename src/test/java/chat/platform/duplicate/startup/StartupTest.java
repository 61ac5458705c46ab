package chat.platform.duplicate.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import chat.platform.duplicate.DuplicateMessageApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service started as a user starts it: its own JVM (the test's class path), settings from
 * the environment, its output read as the user reads it. A start-up mistake ends the process
 * within seconds with a short report naming what to set; while starting, the API never
 * answers 404.
 */
class StartupTest {

    private static final String DUPLICATE = "/third-party/v1/conversations/1/messages/1/duplicate";

    @TempDir
    Path temp;

    @Test
    void aMissingRoutesFolderStopsTheProcessAndNamesTheFolderAndTheVariable() throws Exception {
        Started run = start(Map.of("ROUTES_DIR", temp.resolve("no-such-folder").toString()));

        assertThat(run.awaitExit(20)).as("exit code").isEqualTo(1);
        assertThat(run.output()).contains("APPLICATION FAILED TO START")
                .contains("the folder " + temp.resolve("no-such-folder") + " does not exist")
                .contains("Set ROUTES_DIR to the folder");
        assertShort(run);
    }

    @Test
    void aFolderWithoutRouteFilesStopsTheProcess() throws Exception {
        Started run = start(Map.of("ROUTES_DIR", temp.toString()));

        assertThat(run.awaitExit(20)).isEqualTo(1);
        assertThat(run.output()).contains("has no *.camel.yaml route files").contains("Set ROUTES_DIR");
        assertShort(run);
    }

    /** The route check of live reload and validate-routes, at start: every problem, each as file:line: what. */
    @Test
    void routeFilesThatFailTheRouteCheckAreNamedWithTheirLines() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Files.writeString(routes.resolve("broken.camel.yaml"), "- route:\n    id: broken\n   from: [\n");
        Path flow = routes.resolve("get-message.camel.yaml");
        String edited = Files.readString(flow).replace("ref: messageJson", "ref: messageJsn");
        Files.writeString(flow, edited);
        int typo = edited.substring(0, edited.indexOf("ref: messageJsn")).split("\n", -1).length;

        Started run = start(Map.of("ROUTES_DIR", routes.toString()));

        assertThat(run.awaitExit(60)).isEqualTo(1);
        assertThat(run.output()).contains("APPLICATION FAILED TO START")
                .contains("The route files in ROUTES_DIR (" + routes + ") do not pass the route check (2 problem(s))")
                .contains(routes.resolve("broken.camel.yaml") + ":3: YAML does not parse: ")
                .contains(flow + ":" + typo + ": bean 'messageJsn' does not exist in this service (did you mean 'messageJson'?)")
                .contains("validate-routes");
        assertShort(run);
    }

    @Test
    void anUnreachableDatabaseStopsTheProcessAndNamesTheSettings() throws Exception {
        int closedPort = freePort();
        Started run = start(Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/platform?password=secret",
                "SPRING_DATASOURCE_USERNAME", "platform"));

        assertThat(run.awaitExit(60)).isEqualTo(1);
        assertThat(run.output()).contains("The database jdbc:postgresql://127.0.0.1:" + closedPort + "/platform could not be reached")
                .contains("Check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD")
                .doesNotContain("secret");
        assertShort(run);
    }

    /**
     * From the moment the process starts until the first 401: no connection, or 503 with
     * Retry-After while the routes are not started yet; never a 404.
     */
    @Test
    void whileStartingTheApiAnswersNoConnectionOr503NeverA404() throws Exception {
        int port = freePort();
        Started run = start(Map.of("SERVER_PORT", String.valueOf(port)));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + DUPLICATE))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        List<HttpResponse<String>> notReady = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try {
            while (!statuses.containsKey(401)) {
                assertThat(System.nanoTime()).as("a 401 within 90 s; seen so far %s", statuses).isLessThan(deadline);
                assertThat(run.process.isAlive()).as("the service runs; it said:%n%s", run.output()).isTrue();
                try {
                    HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
                    statuses.merge(reply.statusCode(), 1, Integer::sum);
                    if (reply.statusCode() == 503) {
                        notReady.add(reply);
                    }
                } catch (ConnectException notListening) {
                    Thread.sleep(5);
                }
            }
        } finally {
            run.process.destroy();
            run.process.waitFor(30, TimeUnit.SECONDS);
        }

        assertThat(statuses.keySet()).as("statuses seen while starting").containsOnly(503, 401);
        assertThat(notReady).as("Tomcat listens before the routes run: that window answers 503").isNotEmpty()
                .allSatisfy(reply -> {
                    assertThat(reply.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                    assertThat(reply.body()).contains("\"status\":503");
                });
    }

    private static void assertShort(Started run) throws IOException {
        String output = run.output();
        assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Caused by");
        assertThat(output.lines().count()).as("a short report:%n%s", output).isLessThan(120);
    }

    private Started start(Map<String, String> environment) throws IOException {
        Path log = Files.createTempFile(temp, "service", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                DuplicateMessageApplication.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("ROUTES_")
                || key.startsWith("BRIDGE_") || key.equals("SERVER_PORT"));
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().putAll(environment);
        return new Started(builder.start(), log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Started(Process process, Path log) {

        int awaitExit(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the process did not end within " + seconds + " s");
            }
            return process.exitValue();
        }

        String output() throws IOException {
            return Files.readString(log);
        }
    }
}
