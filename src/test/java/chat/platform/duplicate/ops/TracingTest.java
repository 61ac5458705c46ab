package chat.platform.duplicate.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import chat.platform.duplicate.support.MemorySpans;
import chat.platform.duplicate.support.ServiceTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT set; the spans go to the tests' in-memory exporter):
 * one trace per request, continued from the caller and to the bridge, without secrets.
 */
@TestPropertySource(properties = {
        "otel.exporter.otlp.endpoint=http://127.0.0.1:1",
        "otel.traces.exporter=memory",
        "otel.bsp.schedule.delay=10"})
@ExtendWith(OutputCaptureExtension.class)
class TracingTest extends ServiceTest {

    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private String token;
    private long conversation;

    @BeforeEach
    void caller() {
        token = fixtures.token(fixtures.user("Traced Agent"));
        conversation = fixtures.conversation("+31600000088");
        bridgeAcceptsAll("wamid.T");
        MemorySpans.EXPORTED.reset();
    }

    private HttpResponse<String> duplicateWithTraceparent(long original, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/third-party/v1/conversations/"
                        + conversation + "/messages/" + original + "/duplicate"))
                .header("Authorization", "Bearer " + token)
                .header("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                .POST(HttpRequest.BodyPublishers.noBody());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    private static List<SpanData> spansOf(String traceId, int atLeast) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<SpanData> spans = MemorySpans.EXPORTED.getFinishedSpanItems().stream()
                    .filter(span -> span.getTraceId().equals(traceId)).toList();
            if (spans.size() >= atLeast && spans.stream().anyMatch(span -> span.getParentSpanId().equals(CALLER_SPAN)
                    || !span.getParentSpanContext().isValid())) {
                return spans;
            }
            Thread.sleep(20);
        }
        return MemorySpans.EXPORTED.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    @Test
    void aDuplicateContinuesTheCallersTraceWithItsSqlStepsAndTheBridgeCall() throws Exception {
        long original = fixtures.message(conversation, "agent").text("Trace me");

        HttpResponse<String> reply = duplicateWithTraceparent(original, null);

        assertThat(reply.statusCode()).isEqualTo(200);
        List<SpanData> spans = spansOf(CALLER_TRACE, 6);
        assertThat(spans).as("spans of the caller's trace").hasSizeGreaterThanOrEqualTo(6);
        SpanData server = spans.stream().filter(span -> span.getParentSpanId().equals(CALLER_SPAN)).findFirst().orElseThrow();
        assertThat(uri(server)).as("the request's span, a child of the caller's").startsWith("platform-http:").endsWith("/duplicate?httpMethodRestrict=POST");
        long duplicateId = json(reply.body()).get("data").get("id").asLong();
        assertThat(server.getAttributes().asMap().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().getKey(), java.util.Map.Entry::getValue)))
                .containsEntry("chat.conversation_id", conversation).containsEntry("chat.message_id", original)
                .containsEntry("chat.duplicate_id", duplicateId).containsEntry("http.response.status_code", 200L);
        Set<String> ids = spans.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
        assertThat(spans).as("every span is the request's or a child of one of its spans")
                .allSatisfy(span -> assertThat(span == server || ids.contains(span.getParentSpanId())).isTrue());
        assertThat(spans.stream().map(TracingTest::uri).toList()).as("a span for each SQL step and the bridge call")
                .anySatisfy(uri -> assertThat(uri).startsWith("sql://classpath:sql/find-token-user.sql"))
                .anySatisfy(uri -> assertThat(uri).startsWith("sql://classpath:sql/load-original.sql"))
                .anySatisfy(uri -> assertThat(uri).startsWith("sql://classpath:sql/store-duplicate.sql"))
                .anySatisfy(uri -> assertThat(uri).startsWith("sql://classpath:sql/record-outcome.sql"))
                .anySatisfy(uri -> assertThat(uri).startsWith(BRIDGE.baseUrl() + "/messages"));

        LoggedRequest toBridge = BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).get(0);
        String traceparent = toBridge.getHeader("traceparent");
        assertThat(traceparent).as("the bridge's request continues the caller's trace").startsWith("00-" + CALLER_TRACE + "-");
        String bridgeParent = traceparent.split("-")[2];
        assertThat(ids).as("the bridge's parent is a span of this trace").contains(bridgeParent);
    }

    private static String uri(SpanData span) {
        return String.valueOf(span.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals("camel.uri")).map(java.util.Map.Entry::getValue).findFirst().orElse(""));
    }

    @Test
    void withoutATraceparentATraceStartsAndReachesTheBridge() throws Exception {
        long original = fixtures.message(conversation, "agent").text("New trace");

        assertThat(duplicate(conversation, original, token).statusCode()).isEqualTo(200);

        String traceparent = BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).get(0).getHeader("traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        String traceId = traceparent.split("-")[1];
        assertThat(traceId).isNotEqualTo(CALLER_TRACE);
        assertThat(spansOf(traceId, 3)).isNotEmpty();
    }

    @Test
    void eachBridgeAttemptIsASpanAndTheLogLinesCarryTheTrace(CapturedOutput output) throws Exception {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        BRIDGE.stubFor(post(urlEqualTo("/messages")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(acceptedByBridge("wamid.A")));
        long original = fixtures.message(conversation, "agent").text("Twice");

        assertThat(duplicateWithTraceparent(original, null).statusCode()).isEqualTo(200);

        List<SpanData> spans = spansOf(CALLER_TRACE, 8);
        assertThat(spans.stream().filter(span -> uri(span).startsWith(BRIDGE.baseUrl() + "/messages"))
                .map(span -> span.getAttributes().get(AttributeKey.stringKey("chat.bridge.attempt"))).toList())
                .as("one span per attempt, with its attempt number").containsExactlyInAnyOrder("1", "2");
        assertThat(output.getAll()).as("the redelivery's WARN line").containsPattern("trace_id=" + CALLER_TRACE + " span_id=[0-9a-f]{16}\\]");
    }

    @Test
    void aRecoveryResendIsATraceWithTheDuplicatesIdsAndItsAttempt() throws Exception {
        long original = fixtures.message(conversation, "agent").text("Lost in a crash");
        long stuck = fixtures.message(conversation, "agent").status("created").insert();
        jdbc.update("UPDATE messages SET duplicate_of_id = ?, created_at = now() - interval '2 minutes' WHERE id = ?", original, stuck);
        fixtures.content(stuck, 0, "text", "{\"content\": \"Lost in a crash\"}", null);

        SpanData resend = null;
        for (int i = 0; i < 250 && resend == null; i++) {
            resend = MemorySpans.EXPORTED.getFinishedSpanItems().stream()
                    .filter(span -> Long.valueOf(stuck).equals(span.getAttributes().get(AttributeKey.longKey("chat.duplicate_id"))))
                    .findFirst().orElse(null);
            Thread.sleep(20);
        }
        assertThat(resend).as("a span with the resent duplicate's id").isNotNull();
        assertThat(resend.getAttributes().get(AttributeKey.longKey("chat.conversation_id"))).isEqualTo(conversation);
        String traceId = resend.getTraceId();
        LoggedRequest toBridge = BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).stream()
                .filter(request -> ("message-" + stuck).equals(request.getHeader("Idempotency-Key"))).findFirst().orElseThrow();
        assertThat(toBridge.getHeader("traceparent")).as("the resend reaches the bridge in the resend's trace").startsWith("00-" + traceId + "-");
        assertThat(spansOf(traceId, 3)).as("the resend's trace")
                .anySatisfy(span -> assertThat(uri(span)).startsWith("timer:"))
                .anySatisfy(span -> {
                    assertThat(uri(span)).startsWith(BRIDGE.baseUrl() + "/messages");
                    assertThat(span.getAttributes().get(AttributeKey.stringKey("chat.bridge.attempt"))).isEqualTo("1");
                });
    }

    @Test
    void theBridgesStatusUpdateContinuesTheBridgesTrace() throws Exception {
        long message = fixtures.message(conversation, "agent").externalId("wamid.TRACED").text("Delivered later");

        HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/bridge/v1/status-updates"))
                .header("Authorization", "Bearer " + CALLBACK_TOKEN)
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"external_id\": \"wamid.TRACED\", \"status\": \"delivered\", "
                        + "\"error\": null, \"timestamp\": \"2026-01-01T12:00:00Z\"}"))
                .build());

        assertThat(reply.statusCode()).isEqualTo(204);
        assertThat(fixtures.row("SELECT status FROM messages WHERE id = ?", message)).containsEntry("status", "delivered");
        assertThat(spansOf(CALLER_TRACE, 2)).as("spans of the bridge's trace")
                .anySatisfy(span -> assertThat(uri(span)).startsWith("platform-http:").contains("status-updates"))
                .anySatisfy(span -> assertThat(uri(span)).startsWith("sql://classpath:sql/apply-status-update.sql"));
    }

    @Test
    void noTokenAndNoIdempotencyKeyIsInAnySpan() throws Exception {
        long original = fixtures.message(conversation, "agent").text("Secrets stay out");
        String key = "secret-key-" + System.nanoTime();

        assertThat(duplicateWithTraceparent(original, key).statusCode()).isEqualTo(200);

        List<SpanData> spans = spansOf(CALLER_TRACE, 6);
        assertThat(spans).isNotEmpty();
        String everything = spans.stream().map(span -> span.getName() + " " + span.getAttributes() + " " + span.getEvents())
                .collect(Collectors.joining("\n"));
        assertThat(everything).doesNotContain(token).doesNotContain(key).doesNotContain(BRIDGE_TOKEN);
    }
}
