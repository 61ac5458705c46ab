package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import chat.platform.duplicate.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Shutting an instance down (what SIGTERM does) while duplicates wait for a slow bridge:
 * in-flight requests finish; nothing is reported sent that the bridge did not accept, and
 * whatever did not finish is left created with its send attempt, for recovery.
 */
class GracefulShutdownTest extends ServiceTest {


    @Test
    void inFlightDuplicatesFinishOrStayRecoverable() throws Exception {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(acceptedByBridge("wamid.S").withFixedDelay(1000)));
        String token = fixtures.token(fixtures.user("Agent"));
        long conversation = fixtures.conversation("+31699999999");
        List<Long> originals = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            originals.add(fixtures.message(conversation, "agent").text("in flight " + i));
        }
        ConfigurableApplicationContext instance = startSecondInstance("shutting-down");
        int instancePort = Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
        long before = fixtures.count("messages");
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService callers = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<HttpResponse<String>>> replies = originals.stream()
                    .map(id -> CompletableFuture.supplyAsync(() -> {
                        try {
                            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + instancePort
                                            + "/third-party/v1/conversations/" + conversation + "/messages/" + id + "/duplicate"))
                                    .header("Authorization", "Bearer " + token)
                                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                        } catch (Exception e) {
                            return null;
                        }
                    }, callers)).toList();
            Thread.sleep(400);

            instance.close();

            List<HttpResponse<String>> answered = replies.stream().map(CompletableFuture::join).toList();
            assertThat(answered).as("in-flight requests were answered, not dropped").allSatisfy(r -> {
                assertThat(r).isNotNull();
                assertThat(r.statusCode()).isEqualTo(200);
            });
            Set<String> acceptedKeys = BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).stream()
                    .map(r -> r.getHeader("Idempotency-Key")).collect(Collectors.toSet());
            List<Map<String, Object>> created = jdbc.queryForList("""
                    SELECT m.id, m.status FROM messages m
                    WHERE m.conversation_id = ? AND m.duplicate_of_id IS NOT NULL""", conversation);
            assertThat(fixtures.count("messages") - before).isEqualTo(created.size());
            for (Map<String, Object> row : created) {
                if ("sent".equals(row.get("status"))) {
                    assertThat(acceptedKeys).as("sent only if the bridge got it").contains("message-" + row.get("id"));
                } else {
                    assertThat(row).as("not finished: left for recovery").containsEntry("status", "created");
                    assertThat(fixtures.leftForRecovery(((Number) row.get("id")).longValue())).isTrue();
                }
            }
        } finally {
            callers.shutdownNow();
            if (instance.isActive()) {
                instance.close();
            }
        }
    }
}
