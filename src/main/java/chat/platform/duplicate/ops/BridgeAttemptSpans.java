package chat.platform.duplicate.ops;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.decorators.HttpSpanDecorator;
import org.apache.camel.telemetry.decorators.HttpsSpanDecorator;

/**
 * While tracing is on, the span of every HTTP call (the bridge's attempts) also carries its attempt
 * number, {@code chat.bridge.attempt}: 1 for the first, 2 for the first redelivery, and so on.
 * Camel's own http and https span decorators plus that one attribute, registered through
 * camel-telemetry's extension point for custom decorators (a decorator that extends the standard
 * one, listed in {@code META-INF/services/org.apache.camel.telemetry.SpanDecorator}).
 */
public final class BridgeAttemptSpans {

    /** The attribute's name (a string value, as Camel's span decorators set attributes). */
    public static final String ATTEMPT = "chat.bridge.attempt";

    private BridgeAttemptSpans() {
    }

    /** 1 + the redeliveries so far (Camel's error handler counts them in header CamelRedeliveryCounter). */
    static String attempt(Exchange exchange) {
        Integer redeliveries = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        return String.valueOf(redeliveries == null ? 1 : redeliveries + 1);
    }

    /** Endpoints {@code http:}. */
    public static class Http extends HttpSpanDecorator {
        @Override
        public void beforeTracingEvent(Span span, Exchange exchange, Endpoint endpoint) {
            super.beforeTracingEvent(span, exchange, endpoint);
            span.setTag(ATTEMPT, attempt(exchange));
        }
    }

    /** Endpoints {@code https:}. */
    public static class Https extends HttpsSpanDecorator {
        @Override
        public void beforeTracingEvent(Span span, Exchange exchange, Endpoint endpoint) {
            super.beforeTracingEvent(span, exchange, endpoint);
            span.setTag(ATTEMPT, attempt(exchange));
        }
    }
}
