package chat.platform.duplicate.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.mdc.MDCService;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The log MDC of every step, from camel-mdc: Camel's keys ({@code camel.routeId},
 * {@code camel.exchangeId}, ...) and the exchange properties named by {@code camel.mdc.custom-properties}
 * (the chat ids the routes set: {@code conversationId}, {@code messageId}, {@code duplicateId}) and
 * the headers named by {@code camel.mdc.custom-headers} (the trace and span ids Camel's tracer sets
 * while tracing is on: {@code CAMEL_TRACE_ID}, {@code CAMEL_SPAN_ID}).
 * {@code logging.pattern.correlation} prints them. A bean because camel-mdc 4.18 has no Spring
 * Boot starter; its service is added to Camel before the routes start.
 */
@Component("logContext")
public class LogContext implements CamelContextConfiguration {

    private final String customProperties;
    private final String customHeaders;

    public LogContext(@Value("${camel.mdc.custom-properties:conversationId,messageId,duplicateId}") String customProperties,
            @Value("${camel.mdc.custom-headers:CAMEL_TRACE_ID,CAMEL_SPAN_ID}") String customHeaders) {
        this.customProperties = customProperties;
        this.customHeaders = customHeaders;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        MDCService mdc = new MDCService();
        mdc.setCustomProperties(customProperties);
        mdc.setCustomHeaders(customHeaders);
        mdc.init(camelContext);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing
    }
}
