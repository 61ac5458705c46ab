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

import chat.platform.duplicate.support.MemorySpans;
import chat.platform.duplicate.support.ServiceTest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** Without OTEL_EXPORTER_OTLP_ENDPOINT (the shared test context): no tracer, no trace headers, nothing exported. */
@ExtendWith(OutputCaptureExtension.class)
class TracingOffTest extends ServiceTest {

    @Autowired
    ApplicationContext context;

    @Test
    void withoutAnEndpointNothingIsTracedOrExported() {
        bridgeAcceptsAll("wamid.U");
        MemorySpans.EXPORTED.reset();
        String token = fixtures.token(fixtures.user("Untraced"));
        long conversation = fixtures.conversation("+31600000089");
        long original = fixtures.message(conversation, "agent").text("Not traced");

        assertThat(duplicate(conversation, original, token).statusCode()).isEqualTo(200);

        assertThat(context.getBeansOfType(OpenTelemetrySdk.class)).isEmpty();
        assertThat(BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).get(0).getHeader("traceparent")).isNull();
        // (a cached context of TracingTest may still export its timers' spans meanwhile: none is this request's)
        assertThat(MemorySpans.EXPORTED.getFinishedSpanItems()).noneSatisfy(span ->
                assertThat(span.getAttributes().get(AttributeKey.longKey("chat.conversation_id"))).isEqualTo(conversation));
    }

    @Test
    void aCallerCannotPutTraceIdsIntoTheLogLines(CapturedOutput output) {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        BRIDGE.stubFor(post(urlEqualTo("/messages")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(acceptedByBridge("wamid.I")));
        String token = fixtures.token(fixtures.user("Injecting"));
        long conversation = fixtures.conversation("+31600000087");
        long original = fixtures.message(conversation, "agent").text("Logged once with a WARN");

        HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/third-party/v1/conversations/" + conversation + "/messages/" + original + "/duplicate"))
                .header("Authorization", "Bearer " + token)
                .header("CAMEL_TRACE_ID", "injected-trace").header("CAMEL_SPAN_ID", "injected-span")
                .header("CamelRedeliveryCounter", "7")
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(output.getAll()).as("the redelivery's WARN line, with the chat ids")
                .contains("conversation=" + conversation + " message=" + original)
                .doesNotContain("injected");
    }
}
