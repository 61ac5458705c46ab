package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import chat.platform.duplicate.support.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * A database outage (contract: "a database outage is 503 and leaves nothing half-written"):
 * the service runs against a PostgreSQL this test owns, on a fixed data directory and port,
 * which it stops mid-run and starts again as a new server on the same directory and port.
 * The service is not restarted: it answers 503 problem+json while the database is away (within
 * Hikari's connection-timeout), writes no half duplicate, and serves again once it is back.
 * <p>
 * Its own application context (its own database), closed after the class so that no pool to
 * this database stays in the context cache.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Set here so that the startup defaults (an EnvironmentPostProcessor, which runs before the
        // @DynamicPropertySource values are in the environment) start neither the embedded database
        // nor the sandbox bridge; the real values come from @DynamicPropertySource, which wins.
        "spring.datasource.url=jdbc:postgresql://localhost/set-by-dynamic-property-source",
        "bridge.url=http://localhost/set-by-dynamic-property-source"})
@DirtiesContext
class DatabaseOutageTest {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutageTest.class);
    private static final String BRIDGE_TOKEN = "bridge-secret";
    private static final String CALLBACK_TOKEN = "callback-secret";
    /** What a 503 may take beyond Hikari's connection-timeout (the wait for a connection). */
    private static final long MARGIN_MS = 1000;
    /** How long the service may take to serve again once the database accepts connections. */
    private static final long RECOVERY_BOUND_MS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final WireMockServer BRIDGE = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    private static Path dataDirectory;
    private static int databasePort;
    private static EmbeddedPostgres database;

    @DynamicPropertySource
    static void outageDatabaseAndBridge(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://localhost:" + database().getPort() + "/postgres");
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("bridge.url", () -> bridge().baseUrl());
        registry.add("bridge.token", () -> BRIDGE_TOKEN);
        registry.add("bridge.callback-token", () -> CALLBACK_TOKEN);
        registry.add("bridge.redelivery-delay-ms", () -> "20");
        registry.add("bridge.timeout-ms", () -> "5000");
        registry.add("files.base-url", () -> "https://files.example");
        registry.add("files.signing-key", () -> "test-signing-key");
        // the in-flight duplicate left as created must not be resent by the recovery route meanwhile
        registry.add("recovery.after-ms", () -> "600000");
    }

    @LocalServerPort
    int port;

    @Value("${spring.datasource.hikari.connection-timeout}")
    long connectionTimeoutMs;

    @Autowired
    Environment environment;

    private Fixtures fixtures;
    private String token;
    private long conversation;
    private long original;

    @BeforeEach
    void caller() {
        assertThat(environment.getProperty("embedded.database.enabled")).as("no embedded database beside this one").isNull();
        assertThat(environment.getProperty("bridge.sandbox.enabled")).as("no sandbox bridge").isNull();
        BRIDGE.resetAll();
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"external_id\":\"wamid.{{jsonPath request.body '$.message_id'}}\"}")));
        fixtures = new Fixtures(sql());
        token = fixtures.token(fixtures.user("Outage Agent"));
        conversation = fixtures.conversation("+31699999999");
        original = fixtures.message(conversation, "agent").text("Still there?");
    }

    /** A test that failed with the database stopped leaves it running for the next one. */
    @AfterEach
    void databaseRunning() {
        if (database == null) {
            startDatabase();
        }
    }

    @AfterAll
    static void stopDatabaseAndBridge() throws IOException {
        BRIDGE.stop();
        stopDatabase();
        FileSystemUtils.deleteRecursively(dataDirectory);
    }

    @Test
    void anOutageIs503QuicklyWritesNothingAndTheServiceRecoversWithoutARestart() {
        // 1. database up: a duplicate works
        HttpResponse<String> before = duplicate();
        assertThat(before.statusCode()).isEqualTo(200);
        JsonNode sent = json(before.body()).get("data");
        assertThat(sent.get("status").asText()).isEqualTo("sent");
        long sentId = sent.get("id").asLong();
        String externalId = sql().queryForObject("SELECT external_id FROM messages WHERE id = ?", String.class, sentId);
        long messagesBefore = fixtures.count("messages");
        long contentsBefore = fixtures.count("message_contents");
        BRIDGE.resetRequests();

        // 2. database stopped: 503 problem+json from every endpoint that needs it, within the pool's wait
        long stopMs = timed(DatabaseOutageTest::stopDatabase);
        List<Long> outageMs = new ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) {
            outageMs.add(assertFast503(this::duplicate, "duplicate #" + (attempt + 1)));
        }
        outageMs.add(assertFast503(() -> get("/third-party/v1/conversations/" + conversation + "/messages/" + original),
                "get message"));
        outageMs.add(assertFast503(() -> statusUpdate(externalId, "delivered"), "status update"));
        BRIDGE.verify(0, postRequestedFor(urlEqualTo("/messages")));

        // 4. database started again (a new server on the same data directory and port): the same
        // service serves again within a few seconds
        long restartMs = timed(DatabaseOutageTest::startDatabase);
        long recoveryStart = System.nanoTime();
        HttpResponse<String> after = untilNot503(this::duplicate);
        long recoveryMs = elapsedMs(recoveryStart);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(json(after.body()).get("data").get("status").asText()).isEqualTo("sent");
        assertThat(get("/third-party/v1/conversations/" + conversation + "/messages/" + original).statusCode()).isEqualTo(200);
        assertThat(statusUpdate(externalId, "delivered").statusCode()).isEqualTo(204);

        // 3. nothing half-written: the requests of the outage wrote nothing at all, the data of
        // before the outage is still there (same data directory), every duplicate has its content
        fixtures = new Fixtures(sql());
        assertThat(fixtures.count("messages")).as("only the duplicate after the outage is new").isEqualTo(messagesBefore + 1);
        assertThat(fixtures.count("message_contents")).isEqualTo(contentsBefore + 1);
        assertThat(sql().queryForObject("SELECT count(*) FROM messages WHERE duplicate_of_id = ?", Long.class, original))
                .isEqualTo(2);
        assertThat(sql().queryForObject("SELECT status FROM messages WHERE id = ?", String.class, sentId))
                .as("the status update after the outage was applied").isEqualTo("delivered");
        assertEveryDuplicateHasItsContent();

        LOG.info("Database outage figures: connection-timeout {} ms; database stop {} ms; 503 replies during the outage {} ms; "
                        + "database restart {} ms; service serving again {} ms after the restart",
                connectionTimeoutMs, stopMs, outageMs, restartMs, recoveryMs);
        assertThat(recoveryMs).as("time to serve again after the database is back").isLessThan(RECOVERY_BOUND_MS);
    }

    @Test
    void aDuplicateInFlightWhenTheDatabaseStopsIs503AndLeavesACompleteDuplicate() throws Exception {
        // The bridge holds its reply, the database stops meanwhile: recording the outcome fails.
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(202).withFixedDelay(3000)
                .withHeader("Content-Type", "application/json").withBody("{\"external_id\":\"wamid.IN-FLIGHT\"}")));
        long messagesBefore = fixtures.count("messages");

        CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(duplicateRequest(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).isEmpty()) {
            assertThat(System.nanoTime()).as("the duplicate reached the bridge").isLessThan(deadline);
            Thread.sleep(20);
        }
        stopDatabase();
        HttpResponse<String> reply = inFlight.get(30, TimeUnit.SECONDS);

        assertProblem503(reply, "in-flight duplicate");
        startDatabase();
        untilNot503(() -> get("/third-party/v1/conversations/" + conversation + "/messages/" + original));

        // The one statement that stored the duplicate, its content and its send attempt had
        // committed before the outage: the duplicate is complete and still created, which the
        // recovery route goes by; it reached the bridge once.
        List<Map<String, Object>> duplicates = sql().queryForList(
                "SELECT id, status, external_id FROM messages WHERE duplicate_of_id = ?", original);
        assertThat(duplicates).hasSize(1);
        assertThat(duplicates.get(0)).containsEntry("status", "created").containsEntry("external_id", null);
        long duplicate = ((Number) duplicates.get(0).get("id")).longValue();
        assertThat(sql().queryForObject("SELECT payload->>'content' FROM message_contents WHERE message_id = ?",
                String.class, duplicate)).isEqualTo("Still there?");
        assertThat(new Fixtures(sql()).leftForRecovery(duplicate)).as("still created: the recovery route finishes it").isTrue();
        assertThat(new Fixtures(sql()).count("messages")).isEqualTo(messagesBefore + 1);
        assertEveryDuplicateHasItsContent();
        BRIDGE.verify(1, postRequestedFor(urlEqualTo("/messages")));
    }

    // ------------------------------------------------------------------ assertions

    private long assertFast503(Supplier<HttpResponse<String>> call, String what) {
        long start = System.nanoTime();
        HttpResponse<String> reply = call.get();
        long ms = elapsedMs(start);
        assertProblem503(reply, what);
        assertThat(ms).as("%s: 503 within connection-timeout %d ms + %d ms", what, connectionTimeoutMs, MARGIN_MS)
                .isLessThan(connectionTimeoutMs + MARGIN_MS);
        return ms;
    }

    private static void assertProblem503(HttpResponse<String> reply, String what) {
        assertThat(reply.statusCode()).as(what + ": " + reply.body()).isEqualTo(503);
        assertThat(reply.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
        JsonNode problem = json(reply.body());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("title").asText()).isEqualTo("Service Unavailable");
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(reply.body()).as(what).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("postgresql");
    }

    private void assertEveryDuplicateHasItsContent() {
        assertThat(sql().queryForObject("""
                SELECT count(*) FROM messages m
                WHERE m.duplicate_of_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM message_contents c WHERE c.message_id = m.id)""", Long.class))
                .as("duplicates without their content").isZero();
    }

    /** Repeats the call until it is no longer 503, for at most RECOVERY_BOUND_MS. */
    private static HttpResponse<String> untilNot503(Supplier<HttpResponse<String>> call) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_BOUND_MS);
        HttpResponse<String> reply = call.get();
        while (reply.statusCode() == 503 && System.nanoTime() < deadline) {
            sleep(100);
            reply = call.get();
        }
        assertThat(reply.statusCode()).as("still 503 %d ms after the database is back", RECOVERY_BOUND_MS).isNotEqualTo(503);
        return reply;
    }

    // ------------------------------------------------------------------ the database this test controls

    /** The running server; started on first use (the application context's datasource URL). */
    private static synchronized EmbeddedPostgres database() {
        if (dataDirectory == null) {
            try {
                dataDirectory = Files.createTempDirectory("database-outage-");
                try (ServerSocket socket = new ServerSocket(0)) {
                    databasePort = socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            startDatabase();
        }
        return database;
    }

    /** A new server on the fixed data directory and port; the data directory is kept, not initialised again. */
    private static synchronized void startDatabase() {
        try {
            database = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(databasePort)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the outage test's PostgreSQL", e);
        }
    }

    /** pg_ctl stop -m fast: the server ends every connection and exits; the data directory stays. */
    private static synchronized void stopDatabase() {
        if (database != null) {
            try {
                database.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            database = null;
        }
    }

    /** The test's own way to the database, beside the service's pool. */
    private static JdbcTemplate sql() {
        return new JdbcTemplate(database().getPostgresDatabase());
    }

    private static synchronized WireMockServer bridge() {
        if (!BRIDGE.isRunning()) {
            BRIDGE.start();
        }
        return BRIDGE;
    }

    // ------------------------------------------------------------------ HTTP

    private HttpRequest duplicateRequest() {
        return HttpRequest.newBuilder(uri("/third-party/v1/conversations/" + conversation + "/messages/" + original + "/duplicate"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private HttpResponse<String> duplicate() {
        return send(duplicateRequest());
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build());
    }

    private HttpResponse<String> statusUpdate(String externalId, String status) {
        return send(HttpRequest.newBuilder(uri("/bridge/v1/status-updates"))
                .header("Authorization", "Bearer " + CALLBACK_TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"external_id": "%s", "status": "%s", "error": null, "timestamp": "2026-01-01T12:00:00Z"}"""
                        .formatted(externalId, status))).build());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static long timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return elapsedMs(start);
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
