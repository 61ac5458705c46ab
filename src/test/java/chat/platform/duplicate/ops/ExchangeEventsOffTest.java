package chat.platform.duplicate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import chat.platform.duplicate.support.ServiceTest;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.EventNotifier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Once the service runs, no event notifier but the redelivery counter takes exchange events
 * (so Camel creates none at each step), and what the quieted notifiers feed still works.
 */
class ExchangeEventsOffTest extends ServiceTest {

    @Autowired
    CamelContext camel;

    @Test
    void noStartedNotifierTakesTheEventsOfEveryStep() {
        assertThat(camel.getManagementStrategy().getStartedEventNotifiers())
                .as("notifiers that would make Camel create an event at every step")
                .filteredOn(notifier -> !(notifier instanceof RedeliveryMetrics))
                .allSatisfy(notifier -> assertThat(ignoresEveryStepEvent(notifier)).as(notifier.getClass().getName()).isTrue());
        // the two the bean quiets are there (else this test would pass for nothing)
        assertThat(camel.getManagementStrategy().getStartedEventNotifiers())
                .filteredOn(ExchangeEventsOff::takesNoExchangeEvents).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void theRouteGaugesOfCamelMicrometerStillCount() {
        HttpResponse<String> scrape = get("/actuator/prometheus", null);

        assertThat(scrape.body()).containsPattern("(?m)^camel_routes_running_routes(\\{[^}]*\\})? [1-9]");
    }

    private static boolean ignoresEveryStepEvent(EventNotifier notifier) {
        return notifier.isIgnoreExchangeEvents()
                || notifier.isIgnoreExchangeSendingEvents() && notifier.isIgnoreExchangeSentEvents()
                        && notifier.isIgnoreExchangeCreatedEvent() && notifier.isIgnoreExchangeCompletedEvent();
    }
}
