package chat.platform.duplicate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The MDC a step sees (Camel context with this factory, routes calling each other and changing
 * thread), and that nothing of an exchange stays on a thread after it.
 */
class RouteMdcUnitOfWorkFactoryTest {

    /** What a step saw: its name, its thread and the MDC's five keys */
    record Seen(String step, String thread, Map<String, String> mdc) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();
    private CamelContext camel;

    @AfterEach
    void stop() {
        MDC.clear();
        otherThread.shutdownNow();
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void everyStepSeesItsRouteAndTheChatIdsOfItsExchange() throws Exception {
        start(true);

        Exchange exchange = camel.createProducerTemplate().request("direct:outer", e -> { });

        String id = exchange.getExchangeId();
        assertThat(seen).extracting(Seen::step).containsExactly("outer", "inner", "other-thread", "back");
        assertThat(seen.get(0).mdc()).isEqualTo(mdc("outer", id, "7", "8", null));
        assertThat(seen.get(1).mdc()).isEqualTo(mdc("inner", id, "7", "8", "9"));
        assertThat(seen.get(2).mdc()).isEqualTo(mdc("inner", id, "7", "8", "9"));
        assertThat(seen.get(2).thread()).isNotEqualTo(seen.get(1).thread());
        assertThat(seen.get(3).mdc()).isEqualTo(mdc("outer", id, "7", "8", "9"));
        assertThat(exchange.getException()).isNull();
    }

    @Test
    void nothingOfTheExchangeStaysOnTheThreadsItRanOn() throws Exception {
        start(true);
        MDC.put("camel.routeId", "caller");
        MDC.put("unrelated", "kept");

        camel.createProducerTemplate().request("direct:outer", e -> { });

        assertThat(current()).isEqualTo(mdc("caller", null, null, null, null));
        assertThat(MDC.get("unrelated")).isEqualTo("kept");
        // the thread the exchange went on with: its next task sees none of the exchange's keys
        assertThat(otherThread.submit(RouteMdcUnitOfWorkFactoryTest::current).get())
                .isEqualTo(mdc(null, null, null, null, null));
    }

    @Test
    void withoutMdcLoggingCamelsPlainUnitOfWork() throws Exception {
        start(false);

        Exchange exchange = camel.createProducerTemplate().request("direct:outer", e -> { });

        assertThat(seen).extracting(Seen::mdc).containsOnly(mdc(null, null, null, null, null));
        assertThat(new RouteMdcUnitOfWorkFactory()).satisfies(factory -> {
            factory.afterPropertiesConfigured(camel);
            assertThat(factory.createUnitOfWork(exchange)).isExactlyInstanceOf(DefaultUnitOfWork.class);
        });
    }

    private void start(boolean useMdcLogging) throws Exception {
        camel = new DefaultCamelContext();
        camel.setUseMDCLogging(useMdcLogging);
        RouteMdcUnitOfWorkFactory factory = new RouteMdcUnitOfWorkFactory();
        camel.getCamelContextExtension().addContextPlugin(org.apache.camel.spi.UnitOfWorkFactory.class, factory);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:outer").routeId("outer")
                        .setVariable("conversationId", constant(7L))
                        .setVariable("messageId", constant(8L))
                        .process(e -> see("outer"))
                        .to("direct:inner")
                        .process(e -> see("back"));
                from("direct:inner").routeId("inner")
                        .setVariable("duplicateId", constant(9L))
                        .process(e -> see("inner"))
                        .threads().executorService(otherThread)
                        .process(e -> see("other-thread"));
            }
        });
        camel.start();
    }

    private void see(String step) {
        seen.add(new Seen(step, Thread.currentThread().getName(), current()));
    }

    private static Map<String, String> current() {
        return mdc(MDC.get("camel.routeId"), MDC.get("camel.exchangeId"), MDC.get("chat.conversationId"),
                MDC.get("chat.messageId"), MDC.get("chat.duplicateId"));
    }

    private static Map<String, String> mdc(String route, String exchange, String conversation, String message, String duplicate) {
        Map<String, String> mdc = new HashMap<>();
        mdc.put("camel.routeId", route);
        mdc.put("camel.exchangeId", exchange);
        mdc.put("chat.conversationId", conversation);
        mdc.put("chat.messageId", message);
        mdc.put("chat.duplicateId", duplicate);
        return mdc;
    }
}
