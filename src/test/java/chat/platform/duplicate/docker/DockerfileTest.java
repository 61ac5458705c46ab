package chat.platform.duplicate.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile cannot be built here (no Docker engine), so what can go wrong without one is
 * checked: every file it copies from the build context exists and is not left out by
 * Dockerfile.dockerignore, and the image starts the way bench/run.sh measures it (the JVM
 * options of docker/jvm.options and the CDS archive that docker/app-cds.sh records).
 */
class DockerfileTest {

    private static final Path DOCKERFILE = Path.of("docker/Dockerfile");
    private static final Path DOCKERIGNORE = Path.of("docker/Dockerfile.dockerignore");

    @Test
    void everyFileCopiedFromTheContextExistsAndIsNotIgnored() throws IOException {
        List<String> sources = contextSources();
        assertThat(sources).contains("routes/", "docker/jvm.options", "docker/app-cds.sh", "src/");
        List<String> ignore = Files.readAllLines(DOCKERIGNORE).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String source : sources) {
            assertThat(Path.of(source)).as("COPY %s", source).exists();
            assertThat(ignored(source.replaceAll("/$", ""), ignore)).as("%s is left out of the build context", source).isFalse();
        }
    }

    @Test
    void theImageStartsWithTheJvmOptionsAndTheCdsArchiveTheBenchMeasures() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(dockerfile).contains("RUN /app/app-cds.sh /tmp/duplicate-message-service.jar /app/service /app/routes");
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"@/app/jvm.options\", \"-XX:SharedArchiveFile=/app/service/app.jsa\", "
                + "\"-jar\", \"/app/service/duplicate-message-service.jar\"]");
        assertThat(dockerfile).contains("MALLOC_ARENA_MAX=2");
        String bench = Files.readString(Path.of("bench/run.sh"));
        assertThat(bench).contains("docker/jvm.options").contains("docker/app-cds.sh").contains("MALLOC_ARENA_MAX=2");
        List<String> options = Files.readAllLines(Path.of("docker/jvm.options")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(options).allMatch(o -> o.startsWith("-"), "one option per line").contains("-XX:+UseSerialGC", "-Xmx160m");
        assertThat(Files.isExecutable(Path.of("docker/app-cds.sh"))).isTrue();
    }

    /**
     * {@code docker run IMAGE validate-routes [folder]} runs the route check: the ENTRYPOINT is in
     * exec form (Docker appends the run's arguments to it; a shell form would drop them), it ends
     * with the jar, there is no CMD to stand in for them, and ROUTES_DIR, the command's default
     * folder, is where the image's routes are.
     */
    @Test
    void argumentsAfterTheImageNameReachTheServiceSoTheImageRunsValidateRoutes() throws IOException {
        List<String> lines = Files.readAllLines(DOCKERFILE).stream().map(String::trim).toList();
        List<String> entrypoints = lines.stream().filter(l -> l.startsWith("ENTRYPOINT ")).toList();
        assertThat(entrypoints).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode exec = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(entrypoints.get(0).substring("ENTRYPOINT ".length()));
        assertThat(exec.isArray()).as("exec form: %s", entrypoints.get(0)).isTrue();
        List<String> words = new ArrayList<>();
        exec.forEach(word -> words.add(word.asText()));
        assertThat(words.get(0)).isEqualTo("java");
        assertThat(words.subList(words.size() - 2, words.size())).containsExactly("-jar", "/app/service/duplicate-message-service.jar");
        // instructions, with their continuation lines joined (HEALTHCHECK's own "CMD" is one)
        List<String> instructions = List.of(String.join("\n", lines).replace("\\\n", " ").split("\n"));
        assertThat(instructions).noneMatch(l -> l.startsWith("CMD"));
        assertThat(instructions).anyMatch(l -> l.startsWith("HEALTHCHECK ") && l.contains(" CMD curl"));
        assertThat(String.join("\n", lines)).contains("ENV ROUTES_DIR=/app/routes");
    }

    /** Sources of COPY instructions that take files from the build context (not --from=stage). */
    private static List<String> contextSources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("COPY ") && !trimmed.contains("--from=")) {
                List<String> words = Arrays.asList(trimmed.substring(5).trim().split("\\s+"));
                sources.addAll(words.subList(0, words.size() - 1));
            }
        }
        return sources;
    }

    /** Docker's rule: the last matching line decides; "!" lines take a path back in. */
    private static boolean ignored(String path, List<String> rules) {
        boolean ignored = false;
        for (String rule : rules) {
            boolean negated = rule.startsWith("!");
            String pattern = negated ? rule.substring(1) : rule;
            if (matches(path, pattern)) {
                ignored = !negated;
            }
        }
        return ignored;
    }

    private static boolean matches(String path, String pattern) {
        String glob = pattern.startsWith("**/") ? pattern.substring(3) : pattern;
        if (pattern.startsWith("**/")) {
            for (String part : path.split("/")) {
                if (part.equals(glob)) {
                    return true;
                }
            }
            return false;
        }
        if (glob.startsWith("*")) {
            return path.endsWith(glob.substring(1));
        }
        return path.equals(glob) || path.startsWith(glob + "/");
    }
}
