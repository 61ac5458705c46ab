package chat.platform.duplicate.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service as a caller meets it: HTTP in on a random port, the real routes from
 * {@code routes/}, a real embedded PostgreSQL, and WireMock as the messenger bridge.
 * All subclasses share one application context (same configuration).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the console's logins are read while the environment is prepared (ConsoleSwitch), before
        // @DynamicPropertySource values exist
        "hawtio.username=" + ServiceTest.HAWTIO_USERNAME, "hawtio.password=" + ServiceTest.HAWTIO_PASSWORD,
        "hawtio.viewer-username=" + ServiceTest.VIEWER_USERNAME, "hawtio.viewer-password=" + ServiceTest.VIEWER_PASSWORD})
@Import(StatementCounter.class)
public abstract class ServiceTest {

    public static final String BRIDGE_TOKEN = "bridge-secret";
    public static final String CALLBACK_TOKEN = "callback-secret";
    /** HAWTIO_USERNAME/HAWTIO_PASSWORD, the console's operator: every test runs with Hawtio and Jolokia behind a login. */
    public static final String HAWTIO_USERNAME = "ops";
    public static final String HAWTIO_PASSWORD = "hawtio-secret";
    /** HAWTIO_VIEWER_USERNAME/HAWTIO_VIEWER_PASSWORD, the console's viewer. */
    public static final String VIEWER_USERNAME = "watcher";
    public static final String VIEWER_PASSWORD = "viewer-secret";
    protected static final WireMockServer BRIDGE = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(100));
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        BRIDGE.start();
    }

    @DynamicPropertySource
    static void bridge(DynamicPropertyRegistry registry) {
        registry.add("bridge.url", BRIDGE::baseUrl);
        registry.add("bridge.token", () -> BRIDGE_TOKEN);
        registry.add("bridge.callback-token", () -> CALLBACK_TOKEN);
        registry.add("bridge.redelivery-delay-ms", () -> "20");
        registry.add("bridge.max-delay-ms", () -> "2000");
        registry.add("bridge.timeout-ms", () -> "2000");
        registry.add("recovery.interval-ms", () -> "250");
        // a busy database after the send is waited for about 2 + 0.2 + 2 + 0.4 + 2 s (BusyDatabaseAfterSendTest)
        registry.add("database.after-send.max-redeliveries", () -> "2");
        registry.add("database.after-send.redelivery-delay-ms", () -> "200");
        registry.add("recovery.after-ms", () -> "60000");
        registry.add("files.base-url", () -> "https://files.example");
        registry.add("files.signing-key", () -> "test-signing-key");
    }

    /** The bridge's acceptance: 200 with external_id {@code <prefix><message_id>}. */
    protected static ResponseDefinitionBuilder acceptedByBridge(String prefix) {
        return WireMock.aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("{\"external_id\":\"" + prefix + "{{jsonPath request.body '$.message_id'}}\"}");
    }

    /** From now on the bridge accepts every message. */
    protected static void bridgeAcceptsAll(String prefix) {
        BRIDGE.stubFor(WireMock.post(WireMock.urlEqualTo("/messages")).willReturn(acceptedByBridge(prefix)));
    }

    @org.springframework.beans.factory.annotation.Value("${spring.datasource.url}")
    protected String databaseUrl;

    /**
     * Another instance of the service on this test's database and bridge (Flyway locations as
     * the shared context's, so validation agrees); {@code extra} are more command-line settings.
     */
    protected org.springframework.context.ConfigurableApplicationContext startSecondInstance(String name, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "--spring.datasource.url=" + databaseUrl, "--spring.datasource.username=postgres",
                "--spring.datasource.password=", "--spring.flyway.locations=classpath:db/migration,classpath:db/demo",
                "--server.port=0", "--bridge.url=" + BRIDGE.baseUrl(), "--camel.main.name=" + name,
                "--hawtio.username=" + HAWTIO_USERNAME, "--hawtio.password=" + HAWTIO_PASSWORD));
        args.addAll(java.util.List.of(extra));
        return new org.springframework.boot.builder.SpringApplicationBuilder(chat.platform.duplicate.DuplicateMessageApplication.class)
                .run(args.toArray(String[]::new));
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected Fixtures fixtures;

    @Autowired
    protected chat.platform.duplicate.bridge.BridgeCircuit bridgeCircuit;

    /** Each test starts with a bridge without stubs and a closed circuit: earlier tests' failures do not count. */
    @BeforeEach
    void resetBridge() {
        BRIDGE.resetAll();
        if (bridgeCircuit.breaker().getState() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.DISABLED) {
            bridgeCircuit.breaker().reset();
        }
        fixtures = new Fixtures(jdbc);
    }

    @org.junit.jupiter.api.AfterEach
    void nothingLeftForRecovery() {
        fixtures.nothingLeftForRecovery();
    }

    /** Waits (at most 20 s) until the bridge got at least {@code count} POST /messages. */
    protected static void awaitBridgeRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (BRIDGE.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/messages"))).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the bridge did not get " + count + " message(s) within 20 s");
            }
            Thread.sleep(5);
        }
    }

    protected HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** GET with the console operator's login: health shows its components and details only to a console user. */
    protected HttpResponse<String> getAsOperator(String path) {
        return getAsOperator(port, path);
    }

    /** The same on another instance of the service (see {@link #startSecondInstance}, which has the same operator). */
    protected HttpResponse<String> getAsOperator(int instancePort, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + instancePort + path)).GET()
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (HAWTIO_USERNAME + ":" + HAWTIO_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build());
    }

    protected HttpResponse<String> postJson(String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    protected HttpResponse<String> duplicateWithKey(Object conversationId, Object messageId, String token, String key) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/third-party/v1/conversations/"
                        + conversationId + "/messages/" + messageId + "/duplicate"))
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    protected HttpResponse<String> postTo(String path, String token) {
        return postTo(port, path, token);
    }

    private HttpResponse<String> postTo(int instancePort, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + instancePort + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    protected HttpResponse<String> duplicate(Object conversationId, Object messageId, String token) {
        return duplicateOn(port, conversationId, messageId, token);
    }

    /** Duplicate Message on another instance of the service (see {@link #startSecondInstance}). */
    protected HttpResponse<String> duplicateOn(int instancePort, Object conversationId, Object messageId, String token) {
        return postTo(instancePort, "/third-party/v1/conversations/" + conversationId + "/messages/" + messageId + "/duplicate", token);
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The duplicate's reply is built from what the flow stored and what the outcome statement
     * returned, not read again: it must equal what Get Message reads from the database for it.
     */
    protected void assertTheReplyIsTheDuplicateAsStored(HttpResponse<String> reply, long conversationId, String token) {
        JsonNode data = json(reply.body()).get("data");
        HttpResponse<String> stored = get("/third-party/v1/conversations/" + conversationId + "/messages/" + data.get("id").asLong(), token);
        org.assertj.core.api.Assertions.assertThat(stored.statusCode()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThat(data).as("the reply against Get Message").isEqualTo(json(stored.body()).get("data"));
    }

    protected static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
