package chat.platform.duplicate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.SpanDecorator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BridgeAttemptSpansTest {

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    /** The tags a decorator set. */
    private static final class Tags implements Span {
        final Map<String, String> values = new HashMap<>();

        @Override
        public void log(Map<String, String> fields) {
        }

        @Override
        public void setTag(String key, String value) {
            values.put(key, value);
        }

        @Override
        public void setComponent(String component) {
            values.put("component", component);
        }

        @Override
        public void setError(boolean error) {
        }
    }

    private Map<String, String> decorate(SpanDecorator decorator, String uri, Integer redeliveries) {
        Endpoint endpoint = camel.getEndpoint(uri);
        Exchange exchange = new DefaultExchange(camel);
        if (redeliveries != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, redeliveries);
        }
        Tags tags = new Tags();
        decorator.beforeTracingEvent(tags, exchange, endpoint);
        return tags.values;
    }

    @Test
    void theFirstAttemptIsOne() {
        assertThat(decorate(new BridgeAttemptSpans.Http(), "http://bridge:8080/messages", null))
                .containsEntry(BridgeAttemptSpans.ATTEMPT, "1");
    }

    @Test
    void eachRedeliveryCountsUp() {
        assertThat(decorate(new BridgeAttemptSpans.Http(), "http://bridge:8080/messages", 1))
                .containsEntry(BridgeAttemptSpans.ATTEMPT, "2");
        assertThat(decorate(new BridgeAttemptSpans.Http(), "http://bridge:8080/messages", 3))
                .containsEntry(BridgeAttemptSpans.ATTEMPT, "4");
        assertThat(decorate(new BridgeAttemptSpans.Https(), "https://bridge/messages", 2))
                .containsEntry(BridgeAttemptSpans.ATTEMPT, "3");
    }

    @Test
    void camelsOwnHttpAttributesStay() {
        Map<String, String> tags = decorate(new BridgeAttemptSpans.Http(), "http://bridge:8080/messages", null);

        assertThat(tags).containsEntry("component", "camel-http").containsKey("camel.uri");
        assertThat(tags.values()).anySatisfy(value -> assertThat(value).contains("bridge:8080/messages"));
    }

    @Test
    void theyDecorateTheHttpAndHttpsComponents() {
        assertThat(new BridgeAttemptSpans.Http().getComponent()).isEqualTo("http");
        assertThat(new BridgeAttemptSpans.Https().getComponent()).isEqualTo("https");
    }

    @Test
    void camelTelemetryFindsThem() {
        assertThat(ServiceLoader.load(SpanDecorator.class).stream().map(ServiceLoader.Provider::type).toList())
                .contains(BridgeAttemptSpans.Http.class, BridgeAttemptSpans.Https.class);
    }
}
