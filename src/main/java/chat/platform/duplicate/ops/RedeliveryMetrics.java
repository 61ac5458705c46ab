package chat.platform.duplicate.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Counter {@code camel.exchanges.redeliveries} (Prometheus: {@code camel_exchanges_redeliveries_total})
 * with tag {@code routeId}: each redelivery attempt of Camel's error handler, counted in the route
 * whose step is redelivered (for the bridge: {@code send-to-bridge}). camel-micrometer's route
 * policy counts only external redeliveries (a broker's redelivered flag), not these.
 */
@Component("redeliveryMetrics")
public class RedeliveryMetrics extends EventNotifierSupport implements CamelContextConfiguration {

    static final String METER = "camel.exchanges.redeliveries";

    /** Looked up at the first redelivery, so that this bean needs nothing while Camel starts. */
    private final ObjectProvider<MeterRegistry> registry;

    public RedeliveryMetrics(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
        // Only redelivery events are wanted; Camel then skips the others for this notifier.
        // (Not the failed events: Camel treats redelivery events as a kind of them.)
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    /**
     * Registers this notifier just before the routes start: as a plain EventNotifier bean it was
     * found in Camel's registry but not among the running CamelContext's notifiers.
     */
    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        if (!camelContext.getManagementStrategy().getEventNotifiers().contains(this)) {
            camelContext.getManagementStrategy().addEventNotifier(this);
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeRedeliveryEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeRedeliveryEvent redelivery) {
            counter(routeId(redelivery.getExchange())).increment();
        }
    }

    Counter counter(String routeId) {
        return Counter.builder(METER)
                .description("Redelivery attempts of Camel's error handler")
                .tag("routeId", routeId)
                .register(registry.getObject());
    }

    private static String routeId(Exchange exchange) {
        UnitOfWork unitOfWork = exchange.getUnitOfWork();
        Route route = unitOfWork == null ? null : unitOfWork.getRoute();
        if (route != null) {
            return route.getRouteId();
        }
        String from = exchange.getFromRouteId();
        return from == null ? "unknown" : from;
    }
}
