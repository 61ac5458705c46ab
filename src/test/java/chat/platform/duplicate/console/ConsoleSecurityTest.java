package chat.platform.duplicate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.AfterEach;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The console (Hawtio, Jolokia) with both logins of the shared test configuration: the operator
 * {@code ops} and the viewer {@code watcher}, over HTTP as a browser or a script meets it. What
 * each role may do, what neither may do (the JVM, the database, other endpoints, secrets), how
 * requests must come (POST with the XSRF token, same origin), the login itself (form, Basic,
 * throttling, logout, session) and health.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsoleSecurityTest extends ServiceTest {

    @Autowired
    CamelContext camelContext;

    String context() {
        return Console.context(camelContext);
    }

    String route(String routeId) {
        return Console.route(camelContext, routeId);
    }

    /** A timer route whose stop hurts no other test for the moment it is stopped. */
    String purge() {
        return route("purge-expired-idempotency-keys");
    }
    static final List<String> SECRETS = List.of(BRIDGE_TOKEN, CALLBACK_TOKEN, "test-signing-key", HAWTIO_PASSWORD,
            VIEWER_PASSWORD);

    @Autowired
    LoginThrottle throttle;

    Console operator() {
        return Console.basic(port, HAWTIO_USERNAME, HAWTIO_PASSWORD);
    }

    Console viewer() {
        return Console.basic(port, VIEWER_USERNAME, VIEWER_PASSWORD);
    }

    @AfterEach
    void routeStartedAndNobodyLocked() {
        if (!"Started".equals(operator().read(purge(), "State").path("value").asText())) {
            operator().exec(purge(), "start()");
        }
        for (String name : List.of(HAWTIO_USERNAME, VIEWER_USERNAME, "intruder")) {
            throttle.succeeded(name);
        }
    }

    static void assertAllowed(JsonNode answer) {
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
    }

    static void assertRefused(JsonNode answer) {
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(403);
        assertThat(answer.toString()).doesNotContain("\"stacktrace\"").doesNotContain("\tat ");
    }

    // --- who gets in

    @Test
    void nobodyGetsInWithoutALogin() {
        Console anonymous = Console.anonymous(port);
        for (String path : List.of("/actuator/hawtio/", "/actuator/hawtio/index.html", "/actuator/hawtio/jolokia/version")) {
            HttpResponse<String> page = anonymous.page(path);
            assertThat(page.statusCode()).as(path).isEqualTo(302);
            assertThat(page.headers().firstValue("Location")).as(path).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/actuator/hawtio/login"));
        }
        for (String path : List.of("/actuator/hawtio/user", "/actuator/jolokia", "/actuator/jolokia/version",
                Console.ROUTE_IDS, "/actuator/hawtio/jolokia/version")) {
            HttpResponse<String> reply = anonymous.get(path);
            assertThat(reply.statusCode()).as(path).isEqualTo(401);
            assertThat(reply.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Basic realm=\"hawtio\"");
            assertThat(reply.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
            assertThat(reply.body()).as(path).doesNotContain("org.apache.camel");
        }
    }

    @Test
    void theLoginPageIsAFormWithItsCsrfField() {
        HttpResponse<String> page = Console.anonymous(port).get("/actuator/hawtio/login");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<form method=\"post\" action=\"/actuator/hawtio/login\">", "name=\"username\"",
                "type=\"password\"", "name=\"_csrf\"").doesNotContain("single sign-on");
    }

    @Test
    void wrongPasswordsAreRefused() {
        assertThat(Console.basic(port, HAWTIO_USERNAME, "guess").get(Console.ROUTE_IDS).statusCode()).isEqualTo(401);
        assertThat(Console.basic(port, "someone", HAWTIO_PASSWORD).get(Console.ROUTE_IDS).statusCode()).isEqualTo(401);
        HttpResponse<String> form = Console.anonymous(port).login(VIEWER_USERNAME, "guess");
        assertThat(form.statusCode()).isEqualTo(302);
        assertThat(form.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/login?error"));
    }

    @Test
    void afterFiveWrongPasswordsAUserNameWaitsEvenWithTheRightOne(CapturedOutput output) {
        Console guessing = Console.basic(port, VIEWER_USERNAME, "guess");
        for (int i = 1; i <= 5; i++) {
            assertThat(guessing.get(Console.ROUTE_IDS).statusCode()).as("wrong password " + i).isEqualTo(401);
        }

        HttpResponse<String> right = viewer().get(Console.ROUTE_IDS);
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(1L, 60L));
        assertThat(right.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        // the form says why
        Console browser = Console.anonymous(port);
        assertThat(browser.login(VIEWER_USERNAME, VIEWER_PASSWORD).headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/login?error"));
        assertThat(browser.get("/actuator/hawtio/login?error").body()).contains("Too many wrong passwords for this user name");
        // other names are not held up, and a made-up name is counted like a real one
        assertThat(operator().get(Console.ROUTE_IDS).statusCode()).isEqualTo(200);
        Console intruder = Console.basic(port, "intruder", "x");
        for (int i = 1; i <= 5; i++) {
            assertThat(intruder.get(Console.ROUTE_IDS).statusCode()).isEqualTo(401);
        }
        assertThat(intruder.get(Console.ROUTE_IDS).statusCode()).isEqualTo(429);
        assertThat(output).contains("console login failed: user=" + VIEWER_USERNAME + " (wrong user name or password); "
                + "the user name is locked for");
        assertThat(output).contains("console login refused: user=" + VIEWER_USERNAME + " is locked for");
    }

    @Test
    void aFormLoginIsASessionThatLogoutEnds(CapturedOutput output) {
        Console browser = Console.formLogin(port, VIEWER_USERNAME, VIEWER_PASSWORD);
        String session = browser.cookie("JSESSIONID");
        assertThat(session).isNotBlank();
        assertThat(browser.get("/actuator/hawtio/user").body().strip()).isEqualTo("\"" + VIEWER_USERNAME + "\"");
        assertThat(browser.page("/actuator/hawtio/").statusCode()).isEqualTo(200);
        assertThat(Console.answer(browser.jolokia(Console.JSON.createObjectNode().put("type", "version")))
                .path("status").asInt()).isEqualTo(200);
        assertThat(output).contains("console login: user=" + VIEWER_USERNAME + " role=viewer");

        // Hawtio's "Log out"
        HttpResponse<String> logout = browser.get("/actuator/hawtio/auth/logout");
        assertThat(logout.statusCode()).isEqualTo(302);

        Console replay = Console.anonymous(port);
        replay.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/actuator/hawtio/login")));
        HttpResponse<String> withOldCookie = replay.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/actuator/jolokia/version")).header("Cookie", "JSESSIONID=" + session));
        assertThat(withOldCookie.statusCode()).isEqualTo(401);
        HttpResponse<String> pageWithOldCookie = replay.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/actuator/hawtio/")).header("Accept", "text/html")
                .header("Cookie", "JSESSIONID=" + session));
        assertThat(pageWithOldCookie.statusCode()).isEqualTo(302);
        assertThat(pageWithOldCookie.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/actuator/hawtio/login"));
    }

    @Test
    void hawtioKnowsTheSessionTimeout() {
        JsonNode timeout = json(operator().get("/actuator/hawtio/auth/config/session-timeout").body());
        assertThat(timeout.path("timeout").asInt()).isEqualTo(1800);
    }

    // --- what each role may do

    @Test
    void bothRolesReadTheRoutesTheirDiagramsAndStatistics() {
        for (Console user : List.of(operator(), viewer())) {
            List<String> routeIds = new ArrayList<>();
            json(user.get(Console.ROUTE_IDS).body()).get("value").forEach(mbean -> routeIds.add(mbean.get("RouteId").asText()));
            assertThat(routeIds).contains("duplicate-message", "send-to-bridge", "get-message", "recover-unsent-duplicates");

            // what Hawtio's route diagram and its statistics call
            JsonNode diagram = user.exec(context(), "dumpRoutesAsXml()");
            assertAllowed(diagram);
            assertThat(diagram.path("value").asText()).contains("id=\"duplicate-message\"");
            JsonNode statistics = user.exec(context(), "dumpRoutesStatsAsXml(boolean,boolean)", true, true);
            assertAllowed(statistics);
            assertThat(statistics.path("value").asText()).contains("exchangesCompleted");
            assertAllowed(user.exec(route("duplicate-message"), "dumpRouteAsXml(boolean,boolean)", true, true));
            assertAllowed(user.read(route("duplicate-message"), "ExchangesTotal"));
            // the logs view: the service's recent log lines
            JsonNode logs = user.exec("hawtio:type=LogQuery", "getLogResults(int)", 100);
            assertAllowed(logs);
            assertThat(logs.path("value").path("events").size()).isPositive();
            // the threads view
            assertAllowed(user.exec("java.lang:type=Threading", "dumpAllThreads(boolean,boolean)", false, false));
        }
    }

    @Test
    void onlyTheOperatorControlsRoutesAndStatistics(CapturedOutput output) {
        Console viewer = viewer();
        for (String operation : List.of("stop()", "suspend()", "restart()", "reset()", "reset(boolean)")) {
            assertRefused(operation.equals("reset(boolean)") ? viewer.exec(purge(), operation, true) : viewer.exec(purge(), operation));
        }
        assertRefused(viewer.write(purge(), "StatisticsEnabled", false));
        assertThat(operator().read(purge(), "State").path("value").asText()).isEqualTo("Started");
        assertThat(output).contains("console exec refused (operator only): user=" + VIEWER_USERNAME + " role=viewer mbean="
                + "org.apache.camel:context=" + camelContext.getManagementName() + ",name=\"purge-expired-idempotency-keys\",type=routes "
                + "operation=stop()");

        Console operator = operator();
        assertAllowed(operator.exec(purge(), "stop()"));
        assertThat(operator.read(purge(), "State").path("value").asText()).isEqualTo("Stopped");
        assertAllowed(operator.exec(purge(), "start()"));
        assertAllowed(operator.exec(purge(), "suspend()"));
        assertThat(operator.read(purge(), "State").path("value").asText()).isEqualTo("Suspended");
        assertAllowed(operator.exec(purge(), "resume()"));
        assertThat(operator.read(purge(), "State").path("value").asText()).isEqualTo("Started");
        assertAllowed(operator.exec(purge(), "reset(boolean)", true));
        assertAllowed(operator.write(purge(), "StatisticsEnabled", false));
        assertAllowed(operator.write(purge(), "StatisticsEnabled", true));
        assertThat(output).contains("console exec allowed: user=" + HAWTIO_USERNAME + " role=operator mbean="
                + "org.apache.camel:context=" + camelContext.getManagementName() + ",name=\"purge-expired-idempotency-keys\",type=routes "
                + "operation=stop()");
        assertThat(output).contains("console write allowed: user=" + HAWTIO_USERNAME + " role=operator mbean="
                + "org.apache.camel:context=" + camelContext.getManagementName() + ",name=\"purge-expired-idempotency-keys\",type=routes "
                + "attribute=StatisticsEnabled");
    }

    // --- what nobody may do

    @Test
    void nobodyGetsIntoTheJvm(@TempDir Path folder, CapturedOutput output) {
        Path heap = folder.resolve("heap.hprof");
        Path recording = folder.resolve("recording.jfr");
        for (Console user : List.of(operator(), viewer())) {
            assertRefused(user.exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap", heap.toString(), true));
            assertRefused(user.exec("com.sun.management:type=HotSpotDiagnostic", "setVMOption", "HeapDumpOnOutOfMemoryError", "true"));
            for (String command : List.of("vmSystemProperties", "vmCommandLine", "vmFlags", "threadPrint")) {
                assertRefused(user.exec("com.sun.management:type=DiagnosticCommand", command));
            }
            assertRefused(user.exec("com.sun.management:type=DiagnosticCommand", "jvmtiAgentLoad", new Object[] {new String[] {"/tmp/agent.so"}}));
            assertRefused(user.exec("com.sun.management:type=DiagnosticCommand", "vmLog", new Object[] {new String[] {"output=" + folder.resolve("vm.log")}}));
            assertRefused(user.exec("jdk.management.jfr:type=FlightRecorder", "newRecording"));
            assertRefused(user.exec("jdk.management.jfr:type=FlightRecorder", "takeSnapshot"));
            assertRefused(user.read("java.lang:type=Runtime", "SystemProperties"));
            assertRefused(user.read("java.lang:type=Runtime", "InputArguments"));
            assertRefused(user.exec("java.lang:type=Memory", "gc"));
            assertRefused(user.exec("java.util.logging:type=Logging", "setLoggerLevel", "", "FINEST"));
            assertRefused(user.write("java.lang:type=Threading", "ThreadContentionMonitoringEnabled", true));
            // the pool's credentials and size
            assertRefused(user.write("com.zaxxer.hikari:name=dataSource,type=HikariDataSource", "Password", "x"));
            assertRefused(user.write("com.zaxxer.hikari:name=dataSource,type=HikariDataSource", "MaximumPoolSize", 1));
            // Jolokia's own configuration (debug, history)
            assertRefused(user.exec("jolokia:type=Config,*", "setHistoryEntriesForAttribute"));
        }
        assertThat(heap).doesNotExist();
        assertThat(recording).doesNotExist();
        assertThat(folder.resolve("vm.log")).doesNotExist();
        // the audit names the MBean and operation, never the arguments
        assertThat(output).contains("console exec refused (not allowed from the console): user=" + VIEWER_USERNAME
                + " role=viewer mbean=com.sun.management:type=HotSpotDiagnostic operation=dumpHeap");
        assertThat(output).doesNotContain(heap.toString());
    }

    @Test
    void nobodySendsAMessageToAnyEndpointOrChangesTheRoutes(@TempDir Path folder) {
        String sql = "sql:create table console_was_here (id int)";
        String file = "file:" + folder + "?fileName=written";
        String http = BRIDGE.baseUrl() + "/from-console";
        for (Console user : List.of(operator(), viewer())) {
            assertRefused(user.exec(context(), "requestBody(java.lang.String,java.lang.Object)", sql, "x"));
            assertRefused(user.exec(context(), "requestStringBody", sql, "x"));
            assertRefused(user.exec(context(), "sendBody(java.lang.String,java.lang.Object)", file, "x"));
            assertRefused(user.exec(context(), "sendStringBody", http, "x"));
            assertRefused(user.exec(context(), "sendBodyAndHeaders", http, "x", Map.of()));
            assertRefused(user.exec(context(), "requestBodyAndHeaders", sql, "x", Map.of()));
            assertRefused(user.exec(context(), "createEndpoint", sql));
            assertRefused(user.exec(context(), "removeEndpoints", "*"));
            assertRefused(user.exec(context(), "stop()"));
            assertRefused(user.exec(context(), "suspend()"));
            assertRefused(user.exec(context(), "setGlobalOption", "x", "y"));
            assertRefused(user.write(context(), "Tracing", true));
            assertRefused(user.exec(route("get-message"), "remove()"));
            assertRefused(user.exec(route("get-message"), "updateRouteFromXml", "<route id=\"get-message\"/>"));
            assertRefused(user.write(route("get-message"), "Tracing", true));
            // a pattern names no one route
            assertRefused(user.exec("org.apache.camel:type=routes,*", "stop()"));
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM information_schema.tables WHERE table_name = 'console_was_here'",
                Integer.class)).isZero();
        assertThat(folder.resolve("written")).doesNotExist();
        assertThat(BRIDGE.findAll(WireMock.anyRequestedFor(WireMock.urlEqualTo("/from-console")))).isEmpty();
        assertThat(operator().read(route("get-message"), "State").path("value").asText()).isEqualTo("Started");
    }

    @Test
    void noSecretIsReadableInTheConsole() {
        Console operator = operator();
        List<String> seen = new ArrayList<>();
        // every attribute of every MBean that may be read, and the MBeans' descriptions
        ObjectNode everything = Console.JSON.createObjectNode().put("type", "read").put("mbean", "*:*");
        everything.putObject("config").put("ignoreErrors", true).put("serializeLong", "string");
        HttpResponse<String> all = operator.jolokia(everything);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all.body()).path("value").size()).isGreaterThan(100);
        seen.add(all.body());
        seen.add(operator.get("/actuator/jolokia/list").body());
        // every dump of the routes, placeholders resolved and not (YAML dumps need camel-yaml-io, not here)
        for (boolean resolved : new boolean[] {true, false}) {
            seen.add(operator.exec(context(), "dumpRoutesAsXml(boolean,boolean)", resolved, true).toString());
            for (String routeId : List.of("send-to-bridge", "bridge-status-updates", "duplicate-message")) {
                seen.add(operator.exec(route(routeId), "dumpRouteAsXml(boolean,boolean)", resolved, true).toString());
            }
        }
        assertThat(seen.get(2)).contains("bridgeAuthorization");
        for (String reply : seen) {
            for (String secret : SECRETS) {
                assertThat(reply).as("a console reply").doesNotContain(secret);
            }
        }
    }

    // --- how requests must come

    @Test
    void operationsAndWritesOnlyByPostWithTheXsrfToken() {
        Console operator = operator();
        // GET can only read, even what the operator may do by POST
        for (String path : List.of("/actuator/jolokia/exec/" + purge() + "/stop()",
                "/actuator/jolokia/exec/" + context() + "/dumpRoutesAsXml()",
                "/actuator/jolokia/write/" + purge() + "/StatisticsEnabled/false",
                "/actuator/jolokia/?p=/exec/" + purge() + "/stop()")) {
            HttpResponse<String> reply = operator.get(path.replace("\"", "%22"));
            assertThat(reply.statusCode()).as(path).isEqualTo(200);
            assertThat(json(reply.body()).path("status").asInt()).as(path + " " + reply.body()).isEqualTo(403);
        }
        assertThat(operator.read(purge(), "State").path("value").asText()).isEqualTo("Started");
        assertThat(operator.read(purge(), "StatisticsEnabled").path("value").asBoolean()).isTrue();

        ObjectNode stop = Console.JSON.createObjectNode().put("type", "exec").put("mbean", purge()).put("operation", "stop()");
        assertThat(operator.jolokia(stop, null, null).statusCode()).isEqualTo(403);
        assertThat(operator.jolokia(stop, "not-the-token", null).statusCode()).isEqualTo(403);
        assertThat(operator.read(purge(), "State").path("value").asText()).isEqualTo("Started");
    }

    @Test
    void onlyPagesOfTheConsolesOwnOriginMayCallJolokia() {
        Console operator = operator();
        ObjectNode version = Console.JSON.createObjectNode().put("type", "version");
        JsonNode foreign = Console.answer(operator.jolokia(version, operator.xsrf(), "http://evil.example"));
        assertThat(foreign.path("status").asInt()).as(foreign.toString()).isEqualTo(403);
        HttpResponse<String> own = operator.jolokia(version, operator.xsrf(), "http://localhost:" + port);
        assertThat(Console.answer(own).path("status").asInt()).isEqualTo(200);

        HttpResponse<String> preflight = operator.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/actuator/jolokia"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://evil.example").header("Access-Control-Request-Method", "POST"));
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    // --- health

    @Test
    void healthShowsItsDetailsOnlyToALoggedInUser() {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            HttpResponse<String> anonymous = get(path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(200);
            assertThat(json(anonymous.body()).path("status").asText()).isEqualTo("UP");
            assertThat(json(anonymous.body()).has("components")).as(path).isFalse();
            assertThat(anonymous.body()).as(path).doesNotContain(BRIDGE.baseUrl());
        }
        for (Console user : List.of(viewer(), operator(), Console.formLogin(port, VIEWER_USERNAME, VIEWER_PASSWORD))) {
            JsonNode health = json(user.get("/actuator/health").body());
            assertThat(health.path("components").path("bridge").path("details").path("circuit").asText()).isEqualTo("CLOSED");
            assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void theClientApiNeverMeetsSpringSecurity() {
        // a bearer-token request: no Basic challenge, no session cookie, no security headers
        HttpResponse<String> reply = duplicate(1, 1, "no-such-token");

        assertThat(reply.statusCode()).isEqualTo(401);
        assertThat(reply.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(reply.headers().map().keySet()).map(String::toLowerCase)
                .doesNotContain("set-cookie", "x-frame-options", "x-content-type-options", "cache-control", "pragma");
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(200);
    }
}
