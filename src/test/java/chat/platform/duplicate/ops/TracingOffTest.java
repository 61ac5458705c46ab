package chat.platform.duplicate.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import chat.platform.duplicate.support.MemorySpans;
import chat.platform.duplicate.support.ServiceTest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** Without OTEL_EXPORTER_OTLP_ENDPOINT (the shared test context): no tracer, no trace headers, nothing exported. */
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
}
