package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import chat.platform.duplicate.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * ROUTES_MAX_THREADS: with every route thread waiting for a slow bridge, a further request is
 * refused at once with a 503 problem and Retry-After, and nothing is written for it; once a
 * thread is free again, requests are served.
 */
class RouteCapacityTest extends ServiceTest {

    @Test
    void aRequestBeyondTheRouteThreadsIsRefusedAtOnceWith503AndNothingWritten() throws Exception {
        String token = fixtures.token(fixtures.user("Agent"));
        long conversation = fixtures.conversation("+31600000077");
        long first = fixtures.message(conversation, "agent").text("first");
        long second = fixtures.message(conversation, "agent").text("second");
        long refused = fixtures.message(conversation, "agent").text("refused");
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(acceptedByBridge("cap-").withFixedDelay(1500)));

        ConfigurableApplicationContext instance = startSecondInstance("two-route-threads",
                "--spring.task.execution.pool.core-size=1", "--routes.max-threads=2");
        try {
            int instancePort = Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
            CompletableFuture<HttpResponse<String>> one = CompletableFuture.supplyAsync(() -> duplicateOn(instancePort, conversation, first, token));
            CompletableFuture<HttpResponse<String>> two = CompletableFuture.supplyAsync(() -> duplicateOn(instancePort, conversation, second, token));
            awaitBridgeRequests(2);

            long started = System.nanoTime();
            HttpResponse<String> busy = duplicateOn(instancePort, conversation, refused, token);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(json(busy.body()).get("status").asInt()).isEqualTo(503);
            assertThat(busy.body()).doesNotContain("Exception");
            assertThat(tookMs).as("refused at once, not after the bridge").isLessThan(1000);
            assertThat(fixtures.row("SELECT count(*) AS n FROM messages WHERE duplicate_of_id = ?", refused)).containsEntry("n", 0L);

            assertThat(one.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(two.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            HttpResponse<String> later = duplicateOn(instancePort, conversation, refused, token);
            assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
        } finally {
            instance.close();
        }
    }
}
