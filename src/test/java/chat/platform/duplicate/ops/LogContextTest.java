package chat.platform.duplicate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The MDC while a route runs: Camel's keys and the named properties and headers at every step,
 * a value from the step after it was set, the route the exchange entered by in sub-routes too,
 * nothing of an exchange left once it is done (a failed one too), nothing of one exchange in the
 * next one on the same thread, and the caller's own keys untouched.
 */
class LogContextTest {

    private CamelContext camel;
    private final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        camel.stop();
        MDC.clear();
    }

    private void start(String properties, String headers) throws Exception {
        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("test-context");
        new LogContext(properties, headers).beforeApplicationStart(camel);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:request").routeId("request")
                        .process(this::see).id("before-ids")
                        .setProperty("conversationId").header("conversation")
                        .process(this::see).id("with-conversation")
                        .setProperty("conversationId").constant(9L)
                        .setHeader("CAMEL_SPAN_ID").constant("0123456789abcdef")
                        .process(this::see).id("changed")
                        .to("direct:sub")
                        .filter(header("fail")).throwException(new IllegalStateException("failed on purpose")).end()
                        .process(this::see).id("last");
                from("direct:sub").routeId("sub")
                        .process(this::see).id("in-sub");
            }

            private void see(Exchange exchange) {
                Map<String, String> copy = MDC.getCopyOfContextMap();
                seen.add(copy == null ? new HashMap<>() : copy);
            }
        });
        camel.start();
    }

    private Exchange send(Map<String, Object> headers) {
        try (ProducerTemplate template = camel.createProducerTemplate()) {
            return template.send("direct:request", exchange -> exchange.getIn().setHeaders(new HashMap<>(headers)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyStepSeesTheExchangesKeysAndValuesFromTheStepAfterTheyWereSet() throws Exception {
        start("conversationId,messageId", "CAMEL_SPAN_ID");
        MDC.put("caller", "kept");
        Exchange exchange = send(Map.of("conversation", 7L));

        assertThat(seen).hasSize(5);
        for (Map<String, String> step : seen) {
            assertThat(step).containsEntry("camel.exchangeId", exchange.getExchangeId())
                    .containsEntry("camel.routeId", "request")
                    .containsEntry("camel.contextId", "test-context")
                    .containsEntry("camel.threadId", Thread.currentThread().getName())
                    .containsEntry("caller", "kept")
                    .containsKey("camel.messageId")
                    .doesNotContainKey("messageId");
        }
        assertThat(seen.get(0)).doesNotContainKeys("conversationId", "CAMEL_SPAN_ID");
        assertThat(seen.get(1)).containsEntry("conversationId", "7").doesNotContainKey("CAMEL_SPAN_ID");
        assertThat(seen.get(2)).containsEntry("conversationId", "9").containsEntry("CAMEL_SPAN_ID", "0123456789abcdef");
        assertThat(seen.get(3)).as("a sub-route: the route the exchange entered by").containsEntry("camel.routeId", "request")
                .containsEntry("conversationId", "9");
        assertThat(seen.get(4)).containsEntry("conversationId", "9");

        assertThat(MDC.getCopyOfContextMap()).as("after the exchange: the caller's own keys only").isEqualTo(Map.of("caller", "kept"));
    }

    @Test
    void nothingOfOneExchangeInTheNextNorAfterAFailure() throws Exception {
        start("conversationId", "CAMEL_SPAN_ID");
        Exchange failed = send(Map.of("conversation", 7L, "fail", true));
        assertThat(failed.getException()).hasMessage("failed on purpose");
        assertThat(MDC.getCopyOfContextMap() == null ? Map.of() : MDC.getCopyOfContextMap()).isEmpty();

        seen.clear();
        Exchange next = send(Map.of());
        assertThat(seen.get(0)).containsEntry("camel.exchangeId", next.getExchangeId()).doesNotContainKeys("conversationId", "CAMEL_SPAN_ID");
        assertThat(seen.get(1)).doesNotContainKey("conversationId");
    }

    @Test
    void aStarNamesEveryPropertyAndHeader() throws Exception {
        start("*", "*");
        send(Map.of("conversation", 7L, "other", "x"));
        assertThat(seen.get(2)).containsEntry("conversationId", "9").containsEntry("conversation", "7").containsEntry("other", "x")
                .containsEntry("CAMEL_SPAN_ID", "0123456789abcdef");
        assertThat(MDC.getCopyOfContextMap() == null ? Map.of() : MDC.getCopyOfContextMap()).isEmpty();
    }
}
