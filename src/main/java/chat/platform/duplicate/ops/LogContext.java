package chat.platform.duplicate.ops;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.AsyncCallbackToCompletableFutureAdapter;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The log MDC of a routed exchange: Camel's keys ({@code camel.exchangeId}, {@code camel.messageId},
 * {@code camel.contextId}, {@code camel.threadId}, {@code camel.routeId}: the route the exchange
 * entered by, {@code camel.correlationId} and {@code camel.breadcrumbId} when set), the exchange
 * properties named by {@code camel.mdc.custom-properties} (the chat ids the routes set:
 * {@code conversationId}, {@code messageId}, {@code duplicateId}) and the headers named by
 * {@code camel.mdc.custom-headers} (the trace and span ids Camel's tracer sets while tracing is on:
 * {@code CAMEL_TRACE_ID}, {@code CAMEL_SPAN_ID}); {@code *} names them all.
 * {@code logging.pattern.correlation} prints them.
 * <p>
 * The keys and values are camel-mdc's. camel-mdc copies the thread's whole MDC, writes every key
 * and restores the copy around every step of every route; here a step (Camel's documented
 * {@link InterceptStrategy}) compares what the MDC holds for the thread with the exchange and
 * writes only what changed: all of Camel's keys when another exchange (or a copy of one) runs on
 * the thread, a property or header when its value changed. When the exchange is done the keys are
 * removed again, so nothing outside a routed exchange carries them.
 */
@Component("logContext")
public class LogContext implements CamelContextConfiguration, InterceptStrategy {

    static final String EXCHANGE_ID = "camel.exchangeId";
    static final String MESSAGE_ID = "camel.messageId";
    static final String CONTEXT_ID = "camel.contextId";
    static final String THREAD_ID = "camel.threadId";
    static final String ROUTE_ID = "camel.routeId";
    static final String CORRELATION_ID = "camel.correlationId";
    static final String BREADCRUMB_ID = "camel.breadcrumbId";
    private static final String[] CAMEL_KEYS = {EXCHANGE_ID, MESSAGE_ID, CONTEXT_ID, THREAD_ID, CORRELATION_ID, BREADCRUMB_ID, ROUTE_ID};
    /** A value no exchange has: what the MDC holds is not known yet, so the next comparison writes the key. */
    private static final Object UNKNOWN = new Object();

    /** What the MDC of this thread holds, and for which exchange. */
    private static final ThreadLocal<Current> CURRENT = ThreadLocal.withInitial(Current::new);

    private final String[] properties;
    private final String[] headers;
    private final boolean allProperties;
    private final boolean allHeaders;
    /** Removes the keys when the exchange is done (one instance: an exchange gets it once). */
    private final Synchronization clear = new SynchronizationAdapter() {
        @Override
        public void onDone(Exchange exchange) {
            leave(exchange);
        }
    };

    static final class Current {
        Exchange exchange;
        Object messageId;
        Object[] properties;
        Object[] headers;
        /** Keys written for {@code *}, removed when another exchange comes. */
        final Set<String> wildcardKeys = new HashSet<>();
    }

    public LogContext(@Value("${camel.mdc.custom-properties:conversationId,messageId,duplicateId}") String customProperties,
            @Value("${camel.mdc.custom-headers:CAMEL_TRACE_ID,CAMEL_SPAN_ID}") String customHeaders) {
        this.allProperties = "*".equals(customProperties.strip());
        this.allHeaders = "*".equals(customHeaders.strip());
        this.properties = allProperties ? new String[0] : names(customProperties);
        this.headers = allHeaders ? new String[0] : names(customHeaders);
    }

    private static String[] names(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toArray(String[]::new);
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getCamelContextExtension().addInterceptStrategy(this);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
            Processor nextTarget) {
        AsyncProcessor step = AsyncProcessorConverterHelper.convert(target);
        return new AsyncProcessor() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                enter(exchange);
                return step.process(exchange, callback);
            }

            @Override
            public void process(Exchange exchange) throws Exception {
                enter(exchange);
                step.process(exchange);
            }

            @Override
            public CompletableFuture<Exchange> processAsync(Exchange exchange) {
                AsyncCallbackToCompletableFutureAdapter<Exchange> callback = new AsyncCallbackToCompletableFutureAdapter<>(exchange);
                process(exchange, callback);
                return callback.getFuture();
            }

            @Override
            public String toString() {
                return step.toString();
            }
        };
    }

    /** Before a step: the MDC of this thread as the exchange's. */
    void enter(Exchange exchange) {
        Current current = CURRENT.get();
        if (current.exchange != exchange) {
            switchTo(current, exchange);
        }
        String messageId = exchange.getMessage().getMessageId();
        if (messageId != current.messageId) {
            put(MESSAGE_ID, messageId);
            current.messageId = messageId;
        }
        for (int i = 0; i < properties.length; i++) {
            Object value = exchange.getProperty(properties[i]);
            if (value != current.properties[i]) {
                put(exchange, properties[i], value);
                current.properties[i] = value;
            }
        }
        for (int i = 0; i < headers.length; i++) {
            Object value = exchange.getIn().getHeader(headers[i]);
            if (value != current.headers[i]) {
                put(exchange, headers[i], value);
                current.headers[i] = value;
            }
        }
        if (allProperties || allHeaders) {
            putAll(current, exchange);
        }
    }

    /** Another exchange on this thread: its fixed keys now; every other key is written by {@link #enter}, as none is known yet. */
    private void switchTo(Current current, Exchange exchange) {
        removeCustomKeys(current);
        current.exchange = exchange;
        current.messageId = UNKNOWN;
        current.properties = unknown(properties.length);
        current.headers = unknown(headers.length);
        put(EXCHANGE_ID, exchange.getExchangeId());
        put(CONTEXT_ID, exchange.getContext().getName());
        put(THREAD_ID, Thread.currentThread().getName());
        put(CORRELATION_ID, exchange.getProperty(ExchangePropertyKey.CORRELATION_ID, String.class));
        put(BREADCRUMB_ID, exchange.getIn().getHeader(Exchange.BREADCRUMB_ID, String.class));
        put(ROUTE_ID, exchange.getFromRouteId());
        if (!exchange.getExchangeExtension().containsOnCompletion(clear)) {
            exchange.getExchangeExtension().addOnCompletion(clear);
        }
    }

    private static Object[] unknown(int length) {
        Object[] values = new Object[length];
        Arrays.fill(values, UNKNOWN);
        return values;
    }

    /** When the exchange is done on this thread: none of its keys stay. */
    void leave(Exchange exchange) {
        Current current = CURRENT.get();
        if (current.exchange != exchange) {
            return;
        }
        removeCustomKeys(current);
        for (String key : CAMEL_KEYS) {
            MDC.remove(key);
        }
        current.exchange = null;
        current.messageId = null;
        current.properties = null;
        current.headers = null;
    }

    private void removeCustomKeys(Current current) {
        if (current.exchange == null) {
            return;
        }
        for (String property : properties) {
            MDC.remove(property);
        }
        for (String header : headers) {
            MDC.remove(header);
        }
        current.wildcardKeys.forEach(MDC::remove);
        current.wildcardKeys.clear();
    }

    /** {@code *}: every property or header with a value, at every step. */
    private void putAll(Current current, Exchange exchange) {
        if (allProperties) {
            for (Map.Entry<String, Object> property : exchange.getProperties().entrySet()) {
                putWildcard(current, exchange, property.getKey(), property.getValue());
            }
        }
        if (allHeaders) {
            for (Map.Entry<String, Object> header : exchange.getIn().getHeaders().entrySet()) {
                putWildcard(current, exchange, header.getKey(), header.getValue());
            }
        }
    }

    private static void putWildcard(Current current, Exchange exchange, String key, Object value) {
        if (value != null) {
            put(exchange, key, value);
            current.wildcardKeys.add(key);
        }
    }

    /** A value as camel-mdc writes it (Camel's type conversion to String); none: the key is removed. */
    private static void put(Exchange exchange, String key, Object value) {
        put(key, value == null ? null : value instanceof String text ? text
                : exchange.getContext().getTypeConverter().convertTo(String.class, exchange, value));
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
