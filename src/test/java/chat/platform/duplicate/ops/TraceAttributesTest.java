package chat.platform.duplicate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TraceAttributesTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final TraceAttributes attributes = new TraceAttributes();

    @AfterEach
    void close() {
        tracing.close();
    }

    private interface Call {
        boolean run();
    }

    /** Runs the call inside a current span; that span's attributes. */
    private Attributes inSpan(Call call) {
        Span span = tracing.get("test").spanBuilder("request").startSpan();
        try (Scope scope = span.makeCurrent()) {
            assertThat(call.run()).as("a span to set them on").isTrue();
        } finally {
            span.end();
        }
        return exported.getFinishedSpanItems().get(0).getAttributes();
    }

    @Test
    void aRequestsSpanGetsTheChatIdsAndTheStatus() {
        Attributes set = inSpan(() -> attributes.request(7L, 8L, 9L, 422));

        assertThat(set.get(AttributeKey.longKey("chat.conversation_id"))).isEqualTo(7L);
        assertThat(set.get(AttributeKey.longKey("chat.message_id"))).isEqualTo(8L);
        assertThat(set.get(AttributeKey.longKey("chat.duplicate_id"))).isEqualTo(9L);
        assertThat(set.get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(422L);
    }

    @Test
    void whatIsNotKnownIsLeftOutAndNoStatusIs200() {
        Attributes set = inSpan(() -> attributes.request(7L, null, null, null));

        assertThat(set.get(AttributeKey.longKey("chat.conversation_id"))).isEqualTo(7L);
        assertThat(set.get(AttributeKey.longKey("chat.message_id"))).isNull();
        assertThat(set.get(AttributeKey.longKey("chat.duplicate_id"))).isNull();
        assertThat(set.get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    }

    @Test
    void aResendsSpanGetsTheConversationAndTheDuplicate() {
        Attributes set = inSpan(() -> attributes.resend(7L, 9L));

        assertThat(set.asMap()).hasSize(2);
        assertThat(set.get(AttributeKey.longKey("chat.conversation_id"))).isEqualTo(7L);
        assertThat(set.get(AttributeKey.longKey("chat.duplicate_id"))).isEqualTo(9L);
    }

    @Test
    void withoutTracingThereIsNoSpanAndNothingIsSet() {
        assertThat(attributes.request(7L, 8L, 9L, 200)).isFalse();
        assertThat(attributes.resend(7L, 9L)).isFalse();
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }
}
