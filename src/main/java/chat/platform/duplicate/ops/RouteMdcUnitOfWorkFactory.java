package chat.platform.duplicate.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.impl.engine.MDCUnitOfWork;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Camel's MDC logging ({@code camel.main.use-mdc-logging}: {@code camel.routeId},
 * {@code camel.exchangeId}, ...) plus the chat ids of the exchange being routed, taken from the
 * route variables {@code conversationId}, {@code messageId} and {@code duplicateId} before every
 * step: MDC keys {@code chat.conversationId}, {@code chat.messageId}, {@code chat.duplicateId}.
 * Set again before every step, they are right on whichever thread a step runs, so no
 * {@code camel.main.mdc-logging-keys-pattern} is needed (with one, Camel copies the whole MDC and
 * matches every key against it at every step); they are removed when the exchange is done.
 * No route file has to do anything for it. {@code logging.pattern.correlation} prints them.
 */
@Component("routeMdcUnitOfWorkFactory")
public class RouteMdcUnitOfWorkFactory implements UnitOfWorkFactory {

    static final String CONVERSATION_ID = "chat.conversationId";
    static final String MESSAGE_ID = "chat.messageId";
    static final String DUPLICATE_ID = "chat.duplicateId";

    private InflightRepository inflightRepository;
    private boolean useMdcLogging;
    private String mdcLoggingKeysPattern;
    private boolean allowUseOriginalMessage;
    private boolean useBreadcrumb;

    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        // as Camel's DefaultUnitOfWorkFactory
        inflightRepository = camelContext.getInflightRepository();
        useMdcLogging = Boolean.TRUE.equals(camelContext.isUseMDCLogging());
        mdcLoggingKeysPattern = camelContext.getMDCLoggingKeysPattern();
        allowUseOriginalMessage = Boolean.TRUE.equals(camelContext.isAllowUseOriginalMessage());
        useBreadcrumb = Boolean.TRUE.equals(camelContext.isUseBreadcrumb());
    }

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        if (!useMdcLogging) {
            return new DefaultUnitOfWork(exchange, inflightRepository, allowUseOriginalMessage, useBreadcrumb);
        }
        return new RouteMdcUnitOfWork(exchange, inflightRepository, mdcLoggingKeysPattern, allowUseOriginalMessage, useBreadcrumb);
    }

    static final class RouteMdcUnitOfWork extends MDCUnitOfWork {

        private final InflightRepository inflight;
        private final String pattern;
        private final boolean originalMessage;
        private final boolean breadcrumb;

        RouteMdcUnitOfWork(Exchange exchange, InflightRepository inflightRepository, String pattern,
                boolean allowUseOriginalMessage, boolean useBreadcrumb) {
            super(exchange, inflightRepository, pattern, allowUseOriginalMessage, useBreadcrumb);
            this.inflight = inflightRepository;
            this.pattern = pattern;
            this.originalMessage = allowUseOriginalMessage;
            this.breadcrumb = useBreadcrumb;
        }

        @Override
        public UnitOfWork newInstance(Exchange exchange) {
            return new RouteMdcUnitOfWork(exchange, inflight, pattern, originalMessage, breadcrumb);
        }

        @Override
        protected void prepareMDC(Exchange exchange) {
            super.prepareMDC(exchange);
            put(CONVERSATION_ID, exchange.getVariable("conversationId"));
            put(MESSAGE_ID, exchange.getVariable("messageId"));
            put(DUPLICATE_ID, exchange.getVariable("duplicateId"));
        }

        @Override
        public void clear() {
            super.clear();
            MDC.remove(CONVERSATION_ID);
            MDC.remove(MESSAGE_ID);
            MDC.remove(DUPLICATE_ID);
        }

        private static void put(String key, Object value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value.toString());
            }
        }
    }
}
