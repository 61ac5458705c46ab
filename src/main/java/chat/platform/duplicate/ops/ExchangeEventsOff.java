package chat.platform.duplicate.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.spring.boot.CamelSpringBootApplicationListener;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

/**
 * Two event notifiers of the libraries take only route or context events but leave the
 * exchange events on: camel-micrometer's route notifier (gauges of routes added and running)
 * and camel-spring-boot's start-up listener (it waits for the context's start). While any
 * notifier takes an event, Camel creates it: an event object at every step that sends to an
 * endpoint, and at every exchange created and done (~1 % of a duplicate's CPU at 32 callers,
 * async-profiler). Once the context has started, this bean tells those two notifiers to ignore
 * exchange and step events, which they never read; every other notifier is left as it is.
 */
@Component("exchangeEventsOff")
public class ExchangeEventsOff implements CamelContextConfiguration {

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // nothing
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        for (EventNotifier notifier : camelContext.getManagementStrategy().getEventNotifiers()) {
            if (notifier instanceof EventNotifierSupport support && takesNoExchangeEvents(notifier)) {
                support.setIgnoreExchangeEvents(true);
                support.setIgnoreStepEvents(true);
            }
        }
    }

    /** Notifiers known to read route or context events only */
    static boolean takesNoExchangeEvents(EventNotifier notifier) {
        return notifier instanceof MicrometerRouteEventNotifier
                || notifier.getClass().getEnclosingClass() == CamelSpringBootApplicationListener.class;
    }
}
