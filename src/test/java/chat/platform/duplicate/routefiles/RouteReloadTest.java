package chat.platform.duplicate.routefiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.platform.duplicate.routes.RouteEditingExampleTest;
import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Live reload on a running service (its own instance on the tests' database and bridge, HTTP on a
 * random port) whose route folder is a ConfigMap volume as kubelet lays it out
 * ({@link ConfigMapFolder}), with {@code ROUTES_RELOAD=true}: an edit that fails the route check
 * (a typo'd bean, a missing SQL file, a half-written file) is not applied, the routes that run
 * keep answering, one WARN, the metric and the health component say so; a good edit, by a
 * ConfigMap update or written in place through the link, is applied for its own routes only; a
 * burst of requests across a reload gets no failure. The instance is started once for the class
 * and every test leaves the shipped routes running.
 */
@ExtendWith(OutputCaptureExtension.class)
class RouteReloadTest extends ServiceTest {

    private static final String FLOW = "duplicate-message.camel.yaml";
    private static final String GET = "get-message.camel.yaml";

    @TempDir
    static Path temp;

    private static ConfigurableApplicationContext live;
    private static ConfigMapFolder routes;
    private static Map<String, String> shipped;
    private static int livePort;

    private String token;
    private long conversation;

    @BeforeEach
    void liveInstance() throws Exception {
        bridgeAcceptsAll("wamid.L");
        if (live == null) {
            shipped = new LinkedHashMap<>();
            for (RouteFolder.RouteFile file : RouteFolder.read(Path.of("routes"))) {
                shipped.put(file.name(), file.text());
            }
            routes = ConfigMapFolder.create(temp.resolve("routes"), shipped);
            live = startSecondInstance("reloading-routes", "--routes.dir=" + routes.mount(), "--routes.reload=true",
                    "--routes.reload-interval-ms=300");
            livePort = Integer.parseInt(live.getEnvironment().getProperty("local.server.port"));
        }
        token = fixtures.token(fixtures.user("Route editor"));
        conversation = fixtures.conversation("+31600000027");
    }

    @AfterEach
    void theShippedRoutesRunAgain() throws Exception {
        routes.update(shipped);
        RouteFiles routeFiles = live.getBean(RouteFiles.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> shipped.keySet().stream()
                .allMatch(name -> RouteFolder.sha256(shipped.get(name).getBytes(StandardCharsets.UTF_8)).equals(routeFiles.runningSha256(name))));
        await().atMost(Duration.ofSeconds(30)).until(() -> routesHealth().path("lastRejected").isMissingNode());
    }

    @AfterAll
    static void stopLiveInstance() {
        if (live != null) {
            live.close();
            live = null;
        }
    }

    @Test
    void aTypoedBeanIsNotAppliedTheRunningRoutesAnswerAndTheWarningMetricAndHealthSaySo(CapturedOutput output) throws Exception {
        long message = fixtures.message(conversation, "agent").status("sent").text("Hello");
        double rejected = reloads("rejected");
        String typo = shipped.get(FLOW).replaceFirst("ref: duplicateRules(\\n\\s*method: \"duplicate\\()", "ref: duplicateRule$1");
        String problem = routes.mount().resolve(FLOW) + ":" + lineOf(typo, "ref: duplicateRule\n")
                + ": bean 'duplicateRule' does not exist in this service (did you mean 'duplicateRules'?)";

        update(FLOW, typo);

        await().atMost(Duration.ofSeconds(30)).until(() -> reloads("rejected") == rejected + 1);
        assertThat(duplicateOn(livePort, conversation, message, token).statusCode()).as("the old route answers").isEqualTo(200);
        assertThat(output.getOut().lines().filter(line -> line.contains(" WARN ") && line.contains("not applied")))
                .as("one WARN naming the file, the line and the problem")
                .containsExactly(output.getOut().lines().filter(line -> line.contains("Route file " + routes.mount().resolve(FLOW)
                        + " not applied, its routes run as before: " + problem)).findFirst().orElse("(no such WARN)"));
        JsonNode lastRejected = routesHealth().path("lastRejected");
        assertThat(lastRejected.path("file").asText()).isEqualTo(routes.mount().resolve(FLOW).toString());
        assertThat(lastRejected.path("problems")).extracting(JsonNode::asText).containsExactly(problem);
        assertThat(prometheus("rejected")).isEqualTo(rejected + 1);

        // a good version of the file: applied, and health forgets the rejected one
        double applied = reloads("applied");
        update(FLOW, withLogStep(shipped.get(FLOW)));
        await().atMost(Duration.ofSeconds(30)).until(() -> reloads("applied") == applied + 1);
        assertThat(routesHealth().path("lastRejected").isMissingNode()).isTrue();
        assertThat(routesHealth().path("lastApplied").path("file").asText()).isEqualTo(routes.mount().resolve(FLOW).toString());
        assertThat(duplicateOn(livePort, conversation, message, token).statusCode()).isEqualTo(200);
    }

    @Test
    void aMissingSqlFileIsNotApplied() throws Exception {
        long message = fixtures.message(conversation, "agent").status("sent").text("Hello");
        double rejected = reloads("rejected");
        String missing = shipped.get(FLOW).replace("uri: sql:classpath:sql/load-original.sql", "uri: sql:classpath:sql/load-originals.sql");

        update(FLOW, missing);

        await().atMost(Duration.ofSeconds(30)).until(() -> reloads("rejected") == rejected + 1);
        assertThat(routesHealth().path("lastRejected").path("problems")).extracting(JsonNode::asText).containsExactly(
                routes.mount().resolve(FLOW) + ":" + lineOf(missing, "uri: sql:classpath:sql/load-originals.sql")
                        + ": sql:classpath:sql/load-originals.sql: the service has no such SQL file (its statements ship in the jar, "
                        + "src/main/resources/sql/load-originals.sql)");
        assertThat(duplicateOn(livePort, conversation, message, token).statusCode()).isEqualTo(200);
    }

    /** What the check cannot see (an endpoint option Camel does not know) fails in Camel: the version that ran is put back. */
    @Test
    void anEditCamelCannotLoadIsRolledBack() throws Exception {
        long message = fixtures.message(conversation, "agent").status("sent").text("Hello");
        double rejected = reloads("rejected");

        update(GET, shipped.get(GET).replace("httpMethodRestrict: GET", "httpMethodRestric: GET"));

        await().atMost(Duration.ofSeconds(30)).until(() -> reloads("rejected") == rejected + 1);
        assertThat(routesHealth().path("lastRejected").path("problems").get(0).asText())
                .startsWith(routes.mount().resolve(GET) + ":" + lineOf(shipped.get(GET), "- route:") + ": Camel could not load it (route get-message): ")
                .contains("httpMethodRestric=GET");
        HttpResponse<String> got = get(livePort, "/third-party/v1/conversations/" + conversation + "/messages/" + message);
        assertThat(got.statusCode()).as("the version that ran answers again").isEqualTo(200);
        assertThat(live.getBean(CamelContext.class).getRoute("get-message").getEndpoint().getEndpointUri()).contains("httpMethodRestrict=GET");
    }

    /**
     * The worked example of docs/routes.md written in place through the file's link, as an editor
     * on the pod would (no event in the folder: the interval check finds it): first cut off half-way,
     * then whole.
     */
    @Test
    void aHalfWrittenFileIsNotAppliedTheWholeOneIsForItsOwnRoutesOnly(CapturedOutput output) throws Exception {
        long read = fixtures.message(conversation, "agent").status("read").text("Seen already");
        CamelContext camel = live.getBean(CamelContext.class);
        Route getMessage = camel.getRoute("get-message");
        Route duplicateMessage = camel.getRoute("duplicate-message");
        double applied = reloads("applied");
        String whole = RouteEditingExampleTest.withTheExample(shipped.get(FLOW));
        assertThat(whole).contains("id: refuse-read-messages");
        String half = whole.substring(0, whole.indexOf("id: refuse-read-message\n") + 10);

        routes.editInPlace(FLOW, half);
        await().atMost(Duration.ofSeconds(30)).until(() -> routesHealth().path("lastRejected").path("problems").toString()
                .contains(FLOW + ":" + half.split("\n", -1).length + ": the file does not end with a line break"));
        assertThat(duplicateOn(livePort, conversation, read, token).statusCode()).as("the old route answers").isEqualTo(200);

        routes.editInPlace(FLOW, whole);
        await().atMost(Duration.ofSeconds(30)).until(() -> reloads("applied") == applied + 1);

        HttpResponse<String> refused = duplicateOn(livePort, conversation, read, token);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(json(refused.body()).get("detail").asText()).isEqualTo("A message the customer has read is not sent again.");
        assertThat(output.getOut()).contains("Applied route file " + routes.mount().resolve(FLOW)
                + ": routes duplicate-message, send-to-bridge, record-bridge-outcome");
        assertThat(camel.getRoute("duplicate-message")).as("its routes are new").isNotSameAs(duplicateMessage);
        assertThat(camel.getRoute("get-message")).as("other files' routes are untouched").isSameAs(getMessage);
    }

    @Test
    void aConfigMapUpdateReloadsTheFileThatChangedAndNoOther(CapturedOutput output) throws Exception {
        CamelContext camel = live.getBean(CamelContext.class);
        Map<String, Route> before = new LinkedHashMap<>();
        camel.getRoutes().forEach(route -> before.put(route.getRouteId(), route));
        double applied = reloads("applied");

        update(GET, withLogStep(shipped.get(GET)));

        await().atMost(Duration.ofSeconds(30)).until(() -> reloads("applied") == applied + 1);
        assertThat(output.getOut().lines().filter(line -> line.contains("Applied route file")))
                .containsExactly(output.getOut().lines().filter(line -> line.contains("Applied route file "
                        + routes.mount().resolve(GET) + ": routes get-message")).findFirst().orElse("(no such INFO)"));
        before.forEach((id, route) -> {
            if (id.equals("get-message")) {
                assertThat(camel.getRoute(id)).as(id).isNotSameAs(route);
            } else {
                assertThat(camel.getRoute(id)).as(id).isSameAs(route);
            }
        });
        long message = fixtures.message(conversation, "agent").status("sent").text("Hello");
        HttpResponse<String> got = get(livePort, "/third-party/v1/conversations/" + conversation + "/messages/" + message);
        assertThat(got.statusCode()).isEqualTo(200);
    }

    /** 16 callers keep duplicating while the flow's file is swapped: every reply is a 200. */
    @Test
    void aBurstOfRequestsAcrossAReloadGetsNoFailure() throws Exception {
        long message = fixtures.message(conversation, "agent").status("sent").text("Hello");
        CamelContext camel = live.getBean(CamelContext.class);
        Route old = camel.getRoute("duplicate-message");
        double applied = reloads("applied");
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger replies = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                running.add(callers.submit(() -> {
                    while (!stop.get()) {
                        try {
                            HttpResponse<String> reply = duplicateOn(livePort, conversation, message, token);
                            if (reply.statusCode() != 200) {
                                failures.add(reply.statusCode() + " " + reply.body());
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                        }
                        replies.incrementAndGet();
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> replies.get() >= 32);

            update(FLOW, withLogStep(shipped.get(FLOW)));
            await().atMost(Duration.ofSeconds(30)).until(() -> reloads("applied") == applied + 1);
            int atSwap = replies.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> replies.get() >= atSwap + 32);
        } finally {
            stop.set(true);
            for (Future<?> caller : running) {
                caller.get(60, TimeUnit.SECONDS);
            }
            callers.shutdown();
        }
        assertThat(camel.getRoute("duplicate-message")).as("the route was swapped").isNotSameAs(old);
        assertThat(failures).as("replies other than 200 among %d", replies.get()).isEmpty();
    }

    // ---------------------------------------------------------------- updates, metrics, health

    /** A ConfigMap update (kubelet's atomic swap of ..data) that changes one file. */
    private static void update(String name, String content) throws Exception {
        Map<String, String> files = new LinkedHashMap<>(shipped);
        files.put(name, content);
        routes.update(files);
    }

    /** The file with a log step after the first step of its first route: a harmless, valid edit. */
    private static String withLogStep(String file) {
        Matcher steps = Pattern.compile("(?m)^(\\s*)steps:\\n(\\s*)- ").matcher(file);
        assertThat(steps.find()).isTrue();
        String indent = steps.group(2);
        return file.substring(0, steps.end() - 2) + "- log:\n" + indent + "    id: log-edited\n" + indent
                + "    message: \"the edited flow\"\n" + indent + file.substring(steps.end() - 2);
    }

    private static double reloads(String outcome) {
        return live.getBean(MeterRegistry.class).get("routes.reload").tag("outcome", outcome).counter().count();
    }

    private double prometheus(String outcome) {
        String text = get(livePort, "/actuator/prometheus").body();
        Matcher value = Pattern.compile("(?m)^routes_reload_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} (\\S+)$").matcher(text);
        assertThat(value.find()).as("routes_reload_total{outcome=%s} in /actuator/prometheus", outcome).isTrue();
        return Double.parseDouble(value.group(1));
    }

    private JsonNode routesHealth() {
        return json(getAsOperator(livePort, "/actuator/health").body()).path("components").path("routes").path("details");
    }

    private HttpResponse<String> get(int instancePort, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + instancePort + path)).GET();
        if (path.startsWith("/third-party")) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private static int lineOf(String text, String fragment) {
        assertThat(text).contains(fragment);
        return text.substring(0, text.indexOf(fragment)).split("\n", -1).length;
    }
}
