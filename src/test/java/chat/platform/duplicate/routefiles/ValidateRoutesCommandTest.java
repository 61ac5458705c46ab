package chat.platform.duplicate.routefiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import chat.platform.duplicate.DuplicateMessageApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate-routes [folder]}: the route check on a folder as an integrator runs it in CI,
 * on the shipped routes and on broken copies: one line per problem or {@code ok: N files, M
 * routes}, exit code 0 or 1. Once as its own JVM through the service's main class, the way
 * {@code java -jar} and the Docker image run it: no Spring context, no log lines, seconds.
 */
class ValidateRoutesCommandTest {

    @TempDir
    Path temp;

    private record Run(int exitCode, List<String> lines) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exitCode = ValidateRoutesCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void theShippedRoutesAreOk() {
        Run run = run("validate-routes", "routes");
        assertThat(run.lines()).containsExactly("ok: 6 files, 10 routes");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void aBrokenCopyGetsOneLinePerProblemAndExitCode1() throws Exception {
        Path routes = brokenCopy();

        Run run = run("validate-routes", routes.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.lines()).containsExactly(expectedProblems(routes).toArray(String[]::new));
    }

    @Test
    void aFolderThatIsNotThereOrHasNoRouteFilesExits1() throws Exception {
        assertThat(run("validate-routes", temp.resolve("nothing").toString()))
                .isEqualTo(new Run(1, List.of(temp.resolve("nothing") + ": no such folder")));
        assertThat(run("validate-routes", temp.toString()))
                .isEqualTo(new Run(1, List.of(temp + ": no *.camel.yaml route files")));
        assertThat(run("validate-routes", "routes", "more").exitCode()).isEqualTo(1);
    }

    /** The command as java -jar runs it: the service's main class in a JVM of its own. */
    @Test
    void asItsOwnProcessItPrintsOnlyTheProblemsAndExits1ThenOkAnd0() throws Exception {
        Path routes = brokenCopy();
        long started = System.nanoTime();

        Process broken = start(routes.toString());
        Process shipped = start("routes");

        assertThat(broken.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(shipped.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String brokenOutput = new String(broken.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(brokenOutput.lines()).as("nothing but the problems (no log line, no Spring start)").containsExactlyElementsOf(expectedProblems(routes));
        assertThat(broken.exitValue()).isEqualTo(1);
        assertThat(new String(shipped.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ok: 6 files, 10 routes\n");
        assertThat(shipped.exitValue()).isZero();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as("seconds, not a service start").isLessThan(30);
    }

    private Process start(String folder) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                DuplicateMessageApplication.class.getName(), "validate-routes", folder).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("ROUTES_") || key.startsWith("BRIDGE_"));
        return builder.start();
    }

    /** routes/ with a typo'd bean, a missing SQL file, a direct: call to nowhere and a half-written file. */
    private Path brokenCopy() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path flow = routes.resolve("duplicate-message.camel.yaml");
        Files.writeString(flow, Files.readString(flow)
                .replaceFirst("ref: duplicateRules(\\n\\s*method: \"duplicate\\()", "ref: duplicateRule$1")
                .replace("sql/load-original.sql", "sql/load-originals.sql"));
        Path recovery = routes.resolve("recovery.camel.yaml");
        Files.writeString(recovery, Files.readString(recovery).replace("uri: direct:resend-duplicate\n\n", "uri: direct:resend-duplicates\n\n"));
        String getMessage = Files.readString(Path.of("routes/get-message.camel.yaml"));
        Files.writeString(routes.resolve("get-message.camel.yaml"), getMessage.substring(0, getMessage.indexOf("outputType: SelectOne") + 15));
        return routes;
    }

    private static List<String> expectedProblems(Path routes) throws Exception {
        String flow = Files.readString(routes.resolve("duplicate-message.camel.yaml"));
        String recovery = Files.readString(routes.resolve("recovery.camel.yaml"));
        String getMessage = Files.readString(routes.resolve("get-message.camel.yaml"));
        return List.of(
                routes.resolve("duplicate-message.camel.yaml") + ":" + lineOf(flow, "uri: sql:classpath:sql/load-originals.sql")
                        + ": sql:classpath:sql/load-originals.sql: the service has no such SQL file (its statements ship in the jar, src/main/resources/sql/load-originals.sql)",
                routes.resolve("duplicate-message.camel.yaml") + ":" + lineOf(flow, "ref: duplicateRule\n")
                        + ": bean 'duplicateRule' does not exist in this service (did you mean 'duplicateRules'?)",
                routes.resolve("get-message.camel.yaml") + ":" + lineOf(getMessage, "outputType: Sel")
                        + ": the file does not end with a line break: was it saved half-way? (end its last line)",
                routes.resolve("recovery.camel.yaml") + ":" + lineOf(recovery, "uri: direct:resend-duplicates")
                        + ": 'direct:resend-duplicates' calls a route that does not exist: no route starts from direct:resend-duplicates");
    }

    private static int lineOf(String text, String fragment) {
        assertThat(text).contains(fragment);
        return text.substring(0, text.indexOf(fragment)).split("\n", -1).length;
    }
}
