package chat.platform.duplicate.routes.kit;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import chat.platform.duplicate.DuplicateMessageApplication;
import chat.platform.duplicate.bridge.BridgeCircuit;
import chat.platform.duplicate.support.Fixtures;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.FluentProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.ExchangeBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.apache.camel.util.function.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * The service's routes, started from a folder of route files ({@code -Droutes.dir=...}, else
 * {@code ROUTES_DIR}, else the project's {@code routes/}; see {@link RoutesFolder}) with the
 * service's beans, on an embedded PostgreSQL with the demo data (token {@value #DEMO_TOKEN},
 * conversation {@value #DEMO_CONVERSATION}: agent messages 1 and 3 to 7, customer message 2,
 * agent message 6 already read by the customer), and {@link #bridge a scripted bridge} instead
 * of the messenger bridge. A test calls the routes directly and reads what was stored and sent:
 * <pre>
 * bridge.failsTimes(2);
 * Reply reply = duplicate(DEMO_CONVERSATION, 3);
 * assertThat(reply.data().get("status").asText()).isEqualTo("sent");
 * assertThat(bridge.sent()).hasSize(3);
 * assertThat(stored(reply.data().get("id").asLong()).status()).isEqualTo("sent");
 * </pre>
 * Every test class that extends this kit shares one started service per folder (one Spring
 * context): the routes are advised once, before Camel starts (Camel's {@code AdviceWith}, by step
 * id), and each test begins with the mocks reset, the bridge accepting and the circuit closed.
 * The advice, which the folder's routes must allow (keep these ids when editing):
 * <ul>
 * <li>routes {@code duplicate-message}, {@code get-message} and {@code bridge-status-updates}
 * are called directly, from {@code direct:<route id>} instead of HTTP;</li>
 * <li>step {@code bridge-http-post} of {@code send-to-bridge} is {@link BridgeDouble#URI}, with
 * the step's own variables;</li>
 * <li>before step {@code store-duplicate}: {@link #storeDuplicate} (a duplicate was stored);
 * before step {@code store-bridge-outcome}: {@link #storeOutcome} (an outcome is being stored;
 * a test can make it fail);</li>
 * <li>the Idempotency-Key purge runs every 100 ms (the recovery route every
 * {@code RECOVERY_INTERVAL_MS}, 100 ms here).</li>
 * </ul>
 * The settings are the shipped defaults but for times: redelivery after 10 ms (×2, at most
 * 100 ms), BRIDGE_TIMEOUT_MS 500, an open circuit half-opens after 2 s, a busy database after
 * the send is waited for 10 ms (×2, at most 100 ms).
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = DuplicateMessageApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "bridge.url=http://bridge-double.invalid",
                "bridge.token=" + RouteTestKit.BRIDGE_TOKEN,
                "bridge.callback-token=" + RouteTestKit.CALLBACK_TOKEN,
                "bridge.redelivery-delay-ms=10",
                "bridge.max-delay-ms=100",
                "bridge.timeout-ms=500",
                "bridge.circuit.open-ms=2000",
                "recovery.interval-ms=100",
                "database.after-send.redelivery-delay-ms=10",
                "database.after-send.max-delay-ms=100",
                "files.base-url=https://files.example",
                "files.signing-key=kit-signing-key",
                "hawtio.username=ops",
                "hawtio.password=kit-hawtio-secret"})
@ContextCustomizerFactories(RoutesFolder.Factory.class)
public abstract class RouteTestKit {

    public static final String DEMO_TOKEN = "demo-token";
    public static final long DEMO_CONVERSATION = 1;
    public static final String BRIDGE_TOKEN = "kit-bridge-token";
    public static final String CALLBACK_TOKEN = "kit-callback-token";

    /**
     * How long the kit's mocks wait for an expectation: the routes the kit calls run on the test's
     * thread, so what a call did is done when it returns (for a timer, wait with {@link #timerRuns}).
     */
    private static final long MOCK_WAIT_MS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RouteTestKit.class);

    @Autowired
    protected CamelContext camel;

    @Autowired
    protected FluentProducerTemplate fluent;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected BridgeCircuit bridgeCircuit;

    @Value("${bridge.url}")
    private String bridgeUrl;

    @Value("${bridge.timeout-ms}")
    private long bridgeTimeoutMs;

    @Value("${routes.dir}")
    private String routesDir;

    /** The messenger bridge: script it in one line, read what it got. */
    protected BridgeDouble bridge;

    /** Reached before step {@code store-duplicate}: once per duplicate stored. */
    protected MockEndpoint storeDuplicate;

    /** Reached before step {@code store-bridge-outcome}, once per try: {@code whenExchangeReceived} makes a try fail. */
    protected MockEndpoint storeOutcome;

    /** Rows written straight into the database (users, tokens, conversations, messages). */
    protected Fixtures fixtures;

    @BeforeEach
    final void kitStartsTheRoutesOnce() throws Exception {
        if (!camel.isStarted()) {
            LOG.info("Route test kit: the routes of {}", routesDir);
            advise();
            camel.start();
        }
        MockEndpoint bridgeMock = MockEndpoint.resolve(camel, BridgeDouble.URI);
        storeDuplicate = MockEndpoint.resolve(camel, "mock:store-duplicate");
        storeOutcome = MockEndpoint.resolve(camel, "mock:store-bridge-outcome");
        List<MockEndpoint> kitMocks = List.of(bridgeMock, storeDuplicate, storeOutcome);
        // a reset waits as long as an assertion for what an unmet expectation of the last test still expects
        kitMocks.forEach(mock -> mock.setResultWaitTime(MOCK_WAIT_MS));
        MockEndpoint.resetMocks(camel);
        kitMocks.forEach(mock -> mock.setResultWaitTime(MOCK_WAIT_MS));
        bridge = new BridgeDouble(bridgeMock, bridgeUrl, bridgeTimeoutMs);
        bridge.reset();
        if (bridgeCircuit.breaker().getState() != CircuitBreaker.State.DISABLED) {
            bridgeCircuit.breaker().reset();
        }
        fixtures = new Fixtures(jdbc);
    }

    /** A duplicate a test left unsent is not resent during a later test. */
    @AfterEach
    final void kitLeavesNothingForRecovery() {
        fixtures.nothingLeftForRecovery();
    }

    private void advise() throws Exception {
        advise("duplicate-message", true, route -> {
            route.replaceFromWith("direct:duplicate-message");
            route.weaveById("store-duplicate").before().to("mock:store-duplicate");
        });
        ToDefinition post = step("send-to-bridge", "bridge-http-post");
        advise("send-to-bridge", true, route -> route.weaveById("bridge-http-post").replace()
                .toV(BridgeDouble.URI, post.getVariableSend(), post.getVariableReceive()));
        advise("record-bridge-outcome", true, route -> route.weaveById("store-bridge-outcome").before().to("mock:store-bridge-outcome"));
        advise("get-message", false, route -> route.replaceFromWith("direct:get-message"));
        advise("bridge-status-updates", false, route -> route.replaceFromWith("direct:bridge-status-updates"));
        advise("purge-expired-idempotency-keys", false,
                route -> route.replaceFromWith("timer:purge-expired-idempotency-keys?delay=100&period=100"));
    }

    private void advise(String routeId, boolean required, ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice) throws Exception {
        if (model().getRouteDefinition(routeId) == null) {
            if (required) {
                throw new IllegalStateException("The route test kit needs route " + routeId + " in " + routesDir);
            }
            return;
        }
        AdviceWith.adviceWith(camel, routeId, advice);
    }

    private ToDefinition step(String routeId, String stepId) {
        RouteDefinition route = model().getRouteDefinition(routeId);
        if (route != null) {
            for (ToDefinition to : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ToDefinition.class)) {
                if (stepId.equals(to.getId())) {
                    return to;
                }
            }
        }
        throw new IllegalStateException("The route test kit replaces step " + stepId + " of route " + routeId
                + " with the bridge double: no such step in " + routesDir);
    }

    private Model model() {
        return camel.getCamelContextExtension().getContextPlugin(Model.class);
    }

    // --- calling the routes ---

    /** Duplicate Message as the demo user ({@value #DEMO_TOKEN}). */
    protected Reply duplicate(Object conversationId, Object messageId) {
        return duplicate(conversationId, messageId, DEMO_TOKEN);
    }

    /** Duplicate Message with this bearer token (none when null). */
    protected Reply duplicate(Object conversationId, Object messageId, String token) {
        return duplicateWithKey(conversationId, messageId, token, null);
    }

    /** Duplicate Message with an Idempotency-Key (none when null). */
    protected Reply duplicateWithKey(Object conversationId, Object messageId, String token, String idempotencyKey) {
        Map<String, Object> headers = request(conversationId, messageId, token);
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        return call("direct:duplicate-message", headers, null);
    }

    /** Get Message with this bearer token (none when null). */
    protected Reply getMessage(Object conversationId, Object messageId, String token) {
        return call("direct:get-message", request(conversationId, messageId, token), null);
    }

    /** The bridge's status update ({@code error} may be null), with the callback token. */
    protected Reply statusUpdate(String externalId, String status, String error) {
        String body = "{\"external_id\": \"%s\", \"status\": \"%s\", \"error\": %s, \"timestamp\": \"2026-01-01T12:00:00Z\"}"
                .formatted(externalId, status, error == null ? "null" : "\"" + error + "\"");
        return call("direct:bridge-status-updates", Map.of("Authorization", "Bearer " + CALLBACK_TOKEN), body);
    }

    /** Any route the kit calls directly, as a request with these headers and body. */
    protected Reply call(String uri, Map<String, Object> headers, Object body) {
        Exchange request = ExchangeBuilder.anExchange(camel).withPattern(ExchangePattern.InOut).withBody(body).build();
        request.getMessage().setHeaders(new HashMap<>(headers));
        return Reply.of(fluent.to(uri).withExchange(request).send());
    }

    private static Map<String, Object> request(Object conversationId, Object messageId, String token) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("conversationId", String.valueOf(conversationId));
        headers.put("messageId", String.valueOf(messageId));
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        return headers;
    }

    /**
     * Matches once timer route {@code routeId} (recovery, purge) has finished {@code runs} runs
     * from now on: {@code timerRuns("recover-unsent-duplicates", 2).matches(10, SECONDS)}. Only the
     * timer's own exchanges count, not the copies its steps route on (split, circuitBreaker). The
     * runs are one after the other: of two runs done from now on, the second began after now.
     */
    protected NotifyBuilder timerRuns(String routeId, int runs) {
        return new NotifyBuilder(camel).fromRoute(routeId)
                .filter(exchange -> exchange.getProperty(Exchange.CORRELATION_ID) == null)
                .whenDone(runs).create();
    }

    // --- what was stored ---

    /** A message as stored: status, the bridge's external_id, sent_at, what it duplicates, its errors ("type: text", oldest first). */
    public record Stored(long id, String status, String externalId, Instant sentAt, Long duplicateOf, List<String> errors) { }

    protected Stored stored(long messageId) {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT id, status, external_id, sent_at, duplicate_of_id FROM messages WHERE id = ?", messageId);
        List<String> errors = jdbc.queryForList(
                "SELECT type || ': ' || original_message FROM message_errors WHERE message_id = ? ORDER BY created_at, id",
                String.class, messageId);
        Timestamp sentAt = (Timestamp) row.get("sent_at");
        return new Stored(messageId, (String) row.get("status"), (String) row.get("external_id"),
                sentAt == null ? null : sentAt.toInstant(), (Long) row.get("duplicate_of_id"), errors);
    }

    /** The ids of the duplicates of a message, oldest first. */
    protected List<Long> duplicatesOf(long originalId) {
        return jdbc.queryForList("SELECT id FROM messages WHERE duplicate_of_id = ? ORDER BY id", Long.class, originalId);
    }

    /**
     * A duplicate of {@code originalId} stored {@code storedAgo} ago whose send never finished
     * (the process died before the bridge answered): what the recovery route resends.
     */
    protected long unsentDuplicate(long originalId, Duration storedAgo) {
        // one statement, as the flow stores a duplicate: the recovery route never sees it without its content
        return jdbc.queryForObject("""
                WITH duplicate AS (
                    INSERT INTO messages (conversation_id, sender, source, user_id, status, reference_id, duplicate_of_id, created_at)
                    SELECT conversation_id, sender, source, user_id, 'created', reference_id, id, now() - make_interval(secs => ?)
                    FROM messages WHERE id = ?
                    RETURNING id
                ), content AS (
                    INSERT INTO message_contents (message_id, position, type, payload, file_uuid)
                    SELECT d.id, c.position, c.type, c.payload, c.file_uuid
                    FROM duplicate d JOIN message_contents c ON c.message_id = ?
                )
                SELECT id FROM duplicate""", Long.class, (double) storedAgo.toMillis() / 1000, originalId, originalId);
    }
}
