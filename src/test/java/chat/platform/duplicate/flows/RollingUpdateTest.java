package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import chat.platform.duplicate.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A rolling update as Kubernetes does it, on two instances of the service (one database, one
 * bridge): under a steady load of duplicates with Idempotency-Keys, one instance is shut down
 * the way SIGTERM does it (its context closed: Spring's graceful phase, then Camel's shutdown)
 * while some of its duplicates wait for the bridge's redeliveries. The callers behave as the API
 * allows: a 503 (with Retry-After), a 409 (the key's first request still running) or a refused or
 * dropped connection is retried with the same key, on the other instance as a load balancer
 * would. Then every key got one 200 (a repeat gets the same body), every duplicate reached the
 * bridge once, and none is left created. GracefulShutdownTest shows one instance finishing the
 * duplicates in flight without keys or load.
 */
class RollingUpdateTest extends ServiceTest {

    private static final int CALLERS = 6;
    /** The stopping instance waits this long before a redelivery: its duplicates are in that wait when it is stopped. */
    private static final int REDELIVERY_DELAY_MS = 1500;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> firstReplies = new ConcurrentHashMap<>();
    private final Map<String, Integer> answeredOn = new ConcurrentHashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final AtomicInteger retried503 = new AtomicInteger();
    private final AtomicInteger retriedConnections = new AtomicInteger();
    private final AtomicInteger retried409 = new AtomicInteger();
    private final AtomicInteger answeredByStopping = new AtomicInteger();
    private final AtomicInteger repeats = new AtomicInteger();

    @Test
    void stoppingOneOfTwoInstancesUnderLoadLosesAndDoublesNothing() throws Exception {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).atPriority(10).willReturn(acceptedByBridge("wamid.R").withFixedDelay(100)));
        List<Long> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(fixtures.conversation("+3169000000" + i));
        }
        for (long conversation : waiting) {
            // the first attempt of this conversation's duplicate is refused (503), the redelivery accepted
            String scenario = "redelivered-" + conversation;
            BRIDGE.stubFor(post(urlEqualTo("/messages")).atPriority(1).inScenario(scenario).whenScenarioStateIs(STARTED)
                    .withRequestBody(matchingJsonPath("$.conversation_id", equalTo(String.valueOf(conversation))))
                    .willReturn(aResponse().withStatus(503)).willSetStateTo("refused once"));
            BRIDGE.stubFor(post(urlEqualTo("/messages")).atPriority(1).inScenario(scenario).whenScenarioStateIs("refused once")
                    .withRequestBody(matchingJsonPath("$.conversation_id", equalTo(String.valueOf(conversation))))
                    .willReturn(acceptedByBridge("wamid.R")));
        }
        String token = fixtures.token(fixtures.user("Rolling Agent"));
        List<long[]> originals = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            long conversation = fixtures.conversation("+3168000000" + i);
            originals.add(new long[] {conversation, fixtures.message(conversation, "agent").text("rolling " + i)});
        }
        List<long[]> waitingOriginals = waiting.stream()
                .map(c -> new long[] {c, fixtures.message(c, "agent").text("waits for a redelivery")}).toList();

        ConfigurableApplicationContext stopping = startSecondInstance("rolling-update-old",
                "--bridge.redelivery-delay-ms=" + REDELIVERY_DELAY_MS, "--bridge.max-delay-ms=" + REDELIVERY_DELAY_MS);
        int stoppingPort = Integer.parseInt(stopping.getEnvironment().getProperty("local.server.port"));
        int[] ports = {stoppingPort, port};
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS + waitingOriginals.size());
        try {
            List<CompletableFuture<Integer>> load = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                int caller = c;
                load.add(CompletableFuture.supplyAsync(() -> {
                    int keys = 0;
                    while (!stop.get()) {
                        String key = "rolling-" + caller + "-" + keys;
                        callUntilAnswered(ports, keys % 2, originals.get(caller), token, key);
                        if (keys % 4 == 0) {
                            repeat(originals.get(caller), token, key);
                        }
                        keys++;
                    }
                    return keys;
                }, callers));
            }
            awaitAtLeast(answeredByStopping, 20, "the stopping instance answered 20 requests");

            // duplicates on the stopping instance whose first attempt the bridge refuses: at SIGTERM
            // they wait for their redelivery
            List<CompletableFuture<Void>> redelivered = new ArrayList<>();
            for (int i = 0; i < waitingOriginals.size(); i++) {
                long[] original = waitingOriginals.get(i);
                String key = "redelivered-" + i;
                redelivered.add(CompletableFuture.runAsync(() -> callUntilAnswered(new int[] {stoppingPort, port}, 0, original, token, key), callers));
            }
            for (long conversation : waiting) {
                awaitFirstAttempt(conversation);
            }
            long closing = System.nanoTime();
            stopping.close();
            long closedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
            int keysAtClose = firstReplies.size();

            CompletableFuture.allOf(redelivered.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            awaitAtLeast(() -> firstReplies.size(), keysAtClose + 30, "30 more keys answered after the shutdown");
            stop.set(true);
            int keys = load.stream().mapToInt(CompletableFuture::join).sum() + waitingOriginals.size();

            System.out.printf("rolling update: %d keys, %d answered by the stopping instance, shutdown %d ms; retried: %d x 503, %d x refused or dropped, %d x 409; %d repeats%n",
                    keys, answeredByStopping.get(), closedMs, retried503.get(), retriedConnections.get(), retried409.get(), repeats.get());
            assertThat(problems).as("unexpected replies").isEmpty();
            for (int i = 0; i < waitingOriginals.size(); i++) {
                assertThat(answeredOn.get("redelivered-" + i)).as("the stopping instance finished its duplicate waiting for a redelivery")
                        .isEqualTo(stoppingPort);
            }
            assertThat(closedMs).as("the shutdown waited for the redeliveries (%d ms)", closedMs).isGreaterThanOrEqualTo(REDELIVERY_DELAY_MS / 2);
            assertThat(retried503.get() + retriedConnections.get()).as("callers met the stopping instance's refusals").isPositive();
            assertThat(firstReplies).as("every key answered 200").hasSize(keys);

            // what the database and the bridge saw
            Set<Long> originalIds = new java.util.HashSet<>();
            originals.forEach(o -> originalIds.add(o[1]));
            waitingOriginals.forEach(o -> originalIds.add(o[1]));
            List<Map<String, Object>> duplicates = jdbc.queryForList("SELECT id, status FROM messages WHERE duplicate_of_id IN ("
                    + originalIds.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")");
            Set<Long> replied = firstReplies.values().stream().map(body -> json(body).get("data").get("id").asLong()).collect(Collectors.toSet());
            assertThat(duplicates).as("one duplicate per key").hasSize(keys);
            assertThat(duplicates.stream().map(d -> ((Number) d.get("id")).longValue()).collect(Collectors.toSet())).isEqualTo(replied);
            assertThat(duplicates).as("none left created").allSatisfy(d -> assertThat(d.get("status")).isEqualTo("sent"));
            Map<String, Long> accepted = BRIDGE.getAllServeEvents().stream()
                    .filter(e -> e.getRequest().getUrl().equals("/messages") && e.getResponse().getStatus() == 200)
                    .collect(Collectors.groupingBy(e -> e.getRequest().getHeader("Idempotency-Key"), Collectors.counting()));
            for (Long id : replied) {
                assertThat(accepted.get("message-" + id)).as("duplicate %d accepted by the bridge once", id).isEqualTo(1L);
            }
            for (long conversation : waiting) {
                assertThat(BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))
                        .withRequestBody(matchingJsonPath("$.conversation_id", equalTo(String.valueOf(conversation)))))).hasSize(2);
            }
            assertThat(repeats.get()).isPositive();
        } finally {
            stop.set(true);
            callers.shutdownNow();
            if (stopping.isActive()) {
                stopping.close();
            }
        }
    }

    /**
     * One caller's request with its key, retried as the API allows until it is answered 200: the
     * first try on instance {@code first}, each retry on the next one.
     */
    private void callUntilAnswered(int[] ports, int first, long[] original, String token, String key) {
        for (int attempt = 0; attempt < 400; attempt++) {
            int target = ports[(first + attempt) % ports.length];
            HttpResponse<String> reply;
            try {
                reply = http.send(request(target, original, token, key), HttpResponse.BodyHandlers.ofString());
            } catch (IOException refusedOrDropped) {
                retriedConnections.incrementAndGet();
                pause(20);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            switch (reply.statusCode()) {
                case 200 -> {
                    if (target == ports[0] && ports[0] != port) {
                        answeredByStopping.incrementAndGet();
                    }
                    answeredOn.putIfAbsent(key, target);
                    String earlier = firstReplies.putIfAbsent(key, reply.body());
                    if (earlier != null && !earlier.equals(reply.body())) {
                        problems.put(key, "answered twice with different bodies");
                    }
                    return;
                }
                case 503 -> {
                    if (reply.headers().firstValue("Retry-After").isEmpty()) {
                        problems.put(key, "503 without Retry-After: " + reply.body());
                    }
                    retried503.incrementAndGet();
                    pause(20);
                }
                case 409 -> {
                    retried409.incrementAndGet();
                    pause(100);
                }
                default -> {
                    problems.put(key, reply.statusCode() + " " + reply.body());
                    return;
                }
            }
        }
        problems.put(key, "never answered 200");
    }

    /** The same key again, on the instance that stays: the first reply once more, nothing created. */
    private void repeat(long[] original, String token, String key) {
        try {
            HttpResponse<String> again = http.send(request(port, original, token, key), HttpResponse.BodyHandlers.ofString());
            repeats.incrementAndGet();
            if (again.statusCode() != 200 || !again.body().equals(firstReplies.get(key))) {
                problems.put(key + " (repeat)", again.statusCode() + " " + again.body());
            }
        } catch (IOException e) {
            problems.put(key + " (repeat)", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpRequest request(int target, long[] original, String token, String key) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + target + "/third-party/v1/conversations/" + original[0]
                        + "/messages/" + original[1] + "/duplicate"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private static void awaitFirstAttempt(long conversation) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))
                .withRequestBody(matchingJsonPath("$.conversation_id", equalTo(String.valueOf(conversation))))).isEmpty()) {
            assertThat(System.nanoTime()).as("the bridge got the first attempt for conversation %d", conversation).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void awaitAtLeast(AtomicInteger counter, int count, String what) throws InterruptedException {
        awaitAtLeast(counter::get, count, what);
    }

    private static void awaitAtLeast(java.util.function.IntSupplier value, int count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (value.getAsInt() < count) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
