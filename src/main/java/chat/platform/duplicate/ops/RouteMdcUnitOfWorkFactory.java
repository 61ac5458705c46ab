package chat.platform.duplicate.ops;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The log MDC of the exchange being routed ({@code camel.main.use-mdc-logging}): Camel's keys
 * {@code camel.routeId} and {@code camel.exchangeId}, and the chat ids taken from the route
 * variables {@code conversationId}, {@code messageId} and {@code duplicateId} as
 * {@code chat.conversationId}, {@code chat.messageId}, {@code chat.duplicateId}.
 * <p>
 * Like Camel's own MDC unit of work they are set before every step (so they are right on
 * whichever thread a step runs) and removed after it, when the route is left and when the
 * exchange is done. Unlike it, only these five keys: Camel's sets eight keys before every step,
 * restores eight after it and wraps every step's callback (~3 % of a duplicate's CPU at 32
 * callers, async-profiler), for keys this service has no use for ({@code camel.contextId} is
 * always {@code duplicate-message-service}, {@code camel.messageId} changes at every step,
 * {@code camel.breadcrumbId}, {@code camel.correlationId}, {@code camel.stepId} and
 * {@code camel.transactionKey} belong to EIPs no route uses). No
 * {@code camel.main.mdc-logging-keys-pattern}: it is not read. No route file has to do anything
 * for the MDC. {@code logging.pattern.correlation} prints it.
 */
@Component("routeMdcUnitOfWorkFactory")
public class RouteMdcUnitOfWorkFactory implements UnitOfWorkFactory {

    static final String ROUTE_ID = "camel.routeId";
    static final String EXCHANGE_ID = "camel.exchangeId";
    static final String CONVERSATION_ID = "chat.conversationId";
    static final String MESSAGE_ID = "chat.messageId";
    static final String DUPLICATE_ID = "chat.duplicateId";

    private InflightRepository inflightRepository;
    private boolean useMdcLogging;
    private boolean allowUseOriginalMessage;
    private boolean useBreadcrumb;

    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        // as Camel's DefaultUnitOfWorkFactory
        inflightRepository = camelContext.getInflightRepository();
        useMdcLogging = Boolean.TRUE.equals(camelContext.isUseMDCLogging());
        allowUseOriginalMessage = Boolean.TRUE.equals(camelContext.isAllowUseOriginalMessage());
        useBreadcrumb = Boolean.TRUE.equals(camelContext.isUseBreadcrumb());
    }

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        if (!useMdcLogging) {
            return new DefaultUnitOfWork(exchange, inflightRepository, allowUseOriginalMessage, useBreadcrumb);
        }
        return new RouteMdcUnitOfWork(exchange, this);
    }

    static final class RouteMdcUnitOfWork extends DefaultUnitOfWork {

        private final RouteMdcUnitOfWorkFactory factory;
        /** The thread this unit of work began on, and the MDC's values of the five keys there (e.g. a parent exchange's) */
        private final Thread origin;
        private final String routeId;
        private final String exchangeId;
        private final String conversationId;
        private final String messageId;
        private final String duplicateId;

        RouteMdcUnitOfWork(Exchange exchange, RouteMdcUnitOfWorkFactory factory) {
            super(exchange, factory.inflightRepository, factory.allowUseOriginalMessage, factory.useBreadcrumb);
            this.factory = factory;
            origin = Thread.currentThread();
            routeId = MDC.get(ROUTE_ID);
            exchangeId = MDC.get(EXCHANGE_ID);
            conversationId = MDC.get(CONVERSATION_ID);
            messageId = MDC.get(MESSAGE_ID);
            duplicateId = MDC.get(DUPLICATE_ID);
            prepare(exchange);
        }

        @Override
        public UnitOfWork createChildUnitOfWork(Exchange childExchange) {
            UnitOfWork child = factory.createUnitOfWork(childExchange);
            child.setParentUnitOfWork(this);
            return child;
        }

        private void prepare(Exchange exchange) {
            put(EXCHANGE_ID, exchange.getExchangeId());
            Route route = getRoute();
            put(ROUTE_ID, route != null ? route.getRouteId() : null);
            put(CONVERSATION_ID, exchange.getVariable("conversationId"));
            put(MESSAGE_ID, exchange.getVariable("messageId"));
            put(DUPLICATE_ID, exchange.getVariable("duplicateId"));
        }

        /** The MDC as it was before this unit of work; on another thread, without the five keys */
        void clear() {
            boolean home = Thread.currentThread() == origin;
            put(ROUTE_ID, home ? routeId : null);
            put(EXCHANGE_ID, home ? exchangeId : null);
            put(CONVERSATION_ID, home ? conversationId : null);
            put(MESSAGE_ID, home ? messageId : null);
            put(DUPLICATE_ID, home ? duplicateId : null);
        }

        @Override
        public boolean isBeforeAfterProcess() {
            return true;
        }

        @Override
        public AsyncCallback beforeProcess(Processor processor, Exchange exchange, AsyncCallback callback) {
            prepare(exchange);
            // calls afterProcess when the step is done
            return super.beforeProcess(processor, exchange, callback);
        }

        @Override
        public void afterProcess(Processor processor, Exchange exchange, AsyncCallback callback, boolean doneSync) {
            // the exchange may go on on another thread: nothing of it stays on this one
            clear();
        }

        @Override
        public void pushRoute(Route route) {
            super.pushRoute(route);
            put(ROUTE_ID, route != null ? route.getRouteId() : null);
        }

        @Override
        public Route popRoute() {
            Route left = super.popRoute();
            Route current = getRoute();
            put(ROUTE_ID, current != null ? current.getRouteId() : null);
            return left;
        }

        @Override
        public void done(Exchange exchange) {
            super.done(exchange);
            clear();
        }

        @Override
        public void reset() {
            super.reset();
            clear();
        }

        @Override
        public String toString() {
            return "RouteMdcUnitOfWork";
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
