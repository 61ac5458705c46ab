package chat.platform.duplicate.routefiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The gate a live reload holds while it swaps a file's routes: requests inside on those paths
 * finish first, new ones wait for the swap, other paths pass, and only so many wait.
 */
class RouteSwapGateTest {

    private final RouteSwapGate gate = new RouteSwapGate(true);

    /** A thread per request, as Tomcat gives each its own. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** A request on {@code path} whose route runs until {@code release} (null: at once); {@code entered} counts down when it runs. */
    private CompletableFuture<MockHttpServletResponse> request(String path, CountDownLatch entered, CountDownLatch release) {
        FilterChain chain = (request, response) -> {
            entered.countDown();
            if (release != null) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        return CompletableFuture.supplyAsync(() -> {
            MockHttpServletResponse response = new MockHttpServletResponse();
            try {
                gate.doFilter(new MockHttpServletRequest("POST", path), response, chain);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return response;
        }, threads);
    }

    @Test
    void aSwapWaitsForTheRequestsInsideAndHoldsNewOnesOnItsPathsOnly() throws Exception {
        CountDownLatch insideRuns = new CountDownLatch(1);
        CountDownLatch insideMayFinish = new CountDownLatch(1);
        CompletableFuture<MockHttpServletResponse> inside = request("/things/7/duplicate", insideRuns, insideMayFinish);
        assertThat(insideRuns.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<AutoCloseable> hold = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.hold(List.of("/things/{id}/duplicate"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        assertThatThrownBy(() -> hold.get(300, TimeUnit.MILLISECONDS)).as("the swap waits for the request inside")
                .isInstanceOf(TimeoutException.class);
        insideMayFinish.countDown();
        AutoCloseable held = hold.get(10, TimeUnit.SECONDS);
        inside.get(10, TimeUnit.SECONDS);

        CountDownLatch heldRuns = new CountDownLatch(1);
        CompletableFuture<MockHttpServletResponse> waiting = request("/things/8/duplicate", heldRuns, null);
        CountDownLatch otherRuns = new CountDownLatch(1);
        request("/things/8", otherRuns, null);
        assertThat(otherRuns.await(10, TimeUnit.SECONDS)).as("another path passes").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);
        assertThat(heldRuns.getCount()).as("a request on the swapped path waits").isEqualTo(1);

        held.close();
        assertThat(heldRuns.await(10, TimeUnit.SECONDS)).as("and runs once the swap is done").isTrue();
        assertThat(waiting.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
    }

    @Test
    void beyondThirtyTwoWaitingRequestsTheAnswerIs503WithRetryAfter() throws Exception {
        AutoCloseable held = gate.hold(List.of("/things/{id}"));
        CountDownLatch ran = new CountDownLatch(RouteSwapGate.MAX_WAITING);
        for (int i = 0; i < RouteSwapGate.MAX_WAITING; i++) {
            request("/things/" + i, ran, null);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == RouteSwapGate.MAX_WAITING);

        MockHttpServletResponse refused = request("/things/99", new CountDownLatch(1), null).get(10, TimeUnit.SECONDS);

        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        assertThat(refused.getContentAsString()).contains("being reloaded");
        held.close();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void withoutReloadNothingIsCountedOrHeld() throws Exception {
        RouteSwapGate off = new RouteSwapGate(false);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/things/1");
        CountDownLatch ran = new CountDownLatch(1);
        off.doFilter(request, new MockHttpServletResponse(), (req, res) -> ran.countDown());
        assertThat(ran.getCount()).isZero();
    }

    @Test
    void platformHttpPathsMatchOneSegmentPerParameter() {
        String regex = RouteSwapGate.regex("/third-party/v1/conversations/{conversationId}/messages/{messageId}/duplicate");
        assertThat("/third-party/v1/conversations/1/messages/22/duplicate").matches(regex);
        assertThat("/third-party/v1/conversations/1/messages/22").doesNotMatch(regex);
        assertThat("/third-party/v1/conversations/1/x/messages/22/duplicate").doesNotMatch(regex);
        assertThat("/a.b").doesNotMatch(RouteSwapGate.regex("/a+b"));
    }
}
