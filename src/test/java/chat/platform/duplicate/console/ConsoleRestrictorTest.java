package chat.platform.duplicate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.management.ObjectName;

import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The console's Jolokia restrictor with the jar's own {@code jolokia-access.xml}: every family
 * of MBean access, for each role, by POST and by GET.
 */
class ConsoleRestrictorTest {

    static final ConsoleRestrictor SECURED = ConsoleRestrictor.withPolicy(false);
    static final ConsoleRestrictor OPEN = ConsoleRestrictor.withPolicy(true);
    static final String ROUTE = "org.apache.camel:context=duplicate-message-service,type=routes,name=\"get-message\"";
    static final String CONTEXT = "org.apache.camel:context=duplicate-message-service,type=context,name=\"duplicate-message-service\"";
    static final String PROCESSOR = "org.apache.camel:context=duplicate-message-service,type=processors,name=\"hash-token\"";

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
        RequestContextHolder.resetRequestAttributes();
    }

    static void as(String role) {
        SecurityContextHolder.getContext().setAuthentication(role == null
                ? new AnonymousAuthenticationToken("k", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"))
                : UsernamePasswordAuthenticationToken.authenticated("someone", null, AuthorityUtils.createAuthorityList("ROLE_" + role)));
    }

    static void by(String method) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/actuator/jolokia");
        request.setServerName("console.example");
        request.setServerPort(8080);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
    }

    static ObjectName name(String name) throws Exception {
        return new ObjectName(name);
    }

    @Test
    void theOperatorControlsRoutesAndStatisticsTheViewerOnlyReads() throws Exception {
        by("POST");
        for (String operation : List.of("start", "stop()", "stop(long)", "suspend()", "resume", "restart()", "reset(boolean)")) {
            as("operator");
            assertThat(SECURED.isOperationAllowed(name(ROUTE), operation)).as(operation).isTrue();
            as("viewer");
            assertThat(SECURED.isOperationAllowed(name(ROUTE), operation)).as(operation).isFalse();
        }
        for (String mbean : List.of(ROUTE, CONTEXT, PROCESSOR)) {
            as("operator");
            assertThat(SECURED.isAttributeWriteAllowed(name(mbean), "StatisticsEnabled")).isTrue();
            assertThat(SECURED.isOperationAllowed(name(mbean), "reset()")).isTrue();
            as("viewer");
            assertThat(SECURED.isAttributeWriteAllowed(name(mbean), "StatisticsEnabled")).isFalse();
        }
    }

    @Test
    void bothRolesRunTheOperationsThatOnlyRead() throws Exception {
        by("POST");
        for (String role : List.of("operator", "viewer")) {
            as(role);
            assertThat(SECURED.isOperationAllowed(name(CONTEXT), "dumpRoutesAsXml()")).isTrue();
            assertThat(SECURED.isOperationAllowed(name(CONTEXT), "dumpRoutesStatsAsXml")).isTrue();
            assertThat(SECURED.isOperationAllowed(name(ROUTE), "dumpRouteAsXml(boolean,boolean)")).isTrue();
            assertThat(SECURED.isOperationAllowed(name(PROCESSOR), "dumpProcessorAsXml")).isTrue();
            assertThat(SECURED.isOperationAllowed(name("java.lang:type=Threading"), "dumpAllThreads(boolean,boolean)")).isTrue();
            assertThat(SECURED.isOperationAllowed(name("org.springframework.boot:type=Endpoint,name=Health"), "health")).isTrue();
            assertThat(SECURED.isOperationAllowed(name("hawtio:type=security,name=RBACRegistry"), "list()")).isTrue();
            assertThat(SECURED.isOperationAllowed(name("hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity"),
                    "canInvoke(java.util.Map)")).isTrue();
            assertThat(SECURED.isOperationAllowed(name("org.apache.camel:context=x,type=services,name=DefaultInflightRepository"),
                    "browse()")).isTrue();
        }
    }

    @Test
    void nobodyGetsIntoTheJvmTheDatabaseOrTheEndpoints() throws Exception {
        by("POST");
        for (String role : List.of("operator", "viewer")) {
            as(role);
            for (String[] refused : new String[][] {
                    {"com.sun.management:type=HotSpotDiagnostic", "dumpHeap"},
                    {"com.sun.management:type=HotSpotDiagnostic", "setVMOption"},
                    {"com.sun.management:type=DiagnosticCommand", "vmSystemProperties"},
                    {"com.sun.management:type=DiagnosticCommand", "jvmtiAgentLoad"},
                    {"com.sun.management:type=DiagnosticCommand", "vmLog"},
                    {"jdk.management.jfr:type=FlightRecorder", "newRecording"},
                    {"java.lang:type=Memory", "gc"},
                    {"java.util.logging:type=Logging", "setLoggerLevel"},
                    {"JMImplementation:type=MLet", "getMBeansFromURL"},
                    {"org.springframework.boot:type=Endpoint,name=Loggers", "configureLogLevel"},
                    {"org.springframework.boot:type=Endpoint,name=Heapdump", "dumpHeap"},
                    {"jolokia:type=Config,agent=x", "setHistoryEntriesForAttribute"},
                    {CONTEXT, "sendBody"}, {CONTEXT, "requestBody(java.lang.String,java.lang.Object)"},
                    {CONTEXT, "sendBodyAndHeaders"}, {CONTEXT, "requestStringBody"}, {CONTEXT, "createEndpoint"},
                    {CONTEXT, "removeEndpoints"}, {CONTEXT, "stop()"}, {CONTEXT, "suspend"}, {CONTEXT, "setGlobalOption"},
                    {ROUTE, "remove()"}, {ROUTE, "updateRouteFromXml"}, {ROUTE, "stopAndFail"},
                    {"org.apache.camel:context=x,type=tracer,name=BacklogTracer", "dumpAllTracedMessagesAsXml"},
                    {"org.apache.camel:context=x,type=tracer,name=BacklogDebugger", "evaluateExpressionAtBreakpoint"},
                    {"org.apache.camel:context=x,type=endpoints,name=\"sql://x\"", "browseAllMessagesAsXml"}}) {
                assertThat(SECURED.isOperationAllowed(name(refused[0]), refused[1])).as(role + " " + refused[0] + " " + refused[1]).isFalse();
            }
            for (String[] refused : new String[][] {{CONTEXT, "Tracing"}, {ROUTE, "Tracing"},
                    {"com.zaxxer.hikari:name=dataSource,type=HikariDataSource", "Password"},
                    {"java.lang:type=Threading", "ThreadContentionMonitoringEnabled"}}) {
                assertThat(SECURED.isAttributeWriteAllowed(name(refused[0]), refused[1])).as(role + " " + refused[1]).isFalse();
            }
        }
    }

    @Test
    void readsFollowThePolicy() throws Exception {
        assertThat(SECURED.isAttributeReadAllowed(name(ROUTE), "ExchangesTotal")).isTrue();
        assertThat(SECURED.isAttributeReadAllowed(name("java.lang:type=Runtime"), "Uptime")).isTrue();
        assertThat(SECURED.isAttributeReadAllowed(name("java.lang:type=Runtime"), "SystemProperties")).isFalse();
        assertThat(SECURED.isAttributeReadAllowed(name("java.lang:type=Runtime"), "InputArguments")).isFalse();
        assertThat(SECURED.isAttributeReadAllowed(name("com.sun.management:type=HotSpotDiagnostic"), "DiagnosticOptions")).isFalse();
        assertThat(SECURED.isObjectNameHidden(name("com.sun.management:type=DiagnosticCommand"))).isTrue();
        assertThat(SECURED.isObjectNameHidden(name(ROUTE))).isFalse();
        for (RequestType type : List.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH, RequestType.VERSION,
                RequestType.EXEC, RequestType.WRITE)) {
            assertThat(SECURED.isTypeAllowed(type)).as(type.getName()).isTrue();
        }
        assertThat(SECURED.isTypeAllowed(RequestType.NOTIFICATION)).isFalse();
    }

    @Test
    void aGetCanOnlyRead() throws Exception {
        as("operator");
        by("GET");
        assertThat(SECURED.isOperationAllowed(name(ROUTE), "stop()")).isFalse();
        assertThat(SECURED.isOperationAllowed(name(CONTEXT), "dumpRoutesAsXml()")).isFalse();
        assertThat(SECURED.isAttributeWriteAllowed(name(ROUTE), "StatisticsEnabled")).isFalse();
        // and without a request (not through the servlet) nothing runs
        RequestContextHolder.resetRequestAttributes();
        assertThat(SECURED.isOperationAllowed(name(ROUTE), "stop()")).isFalse();
    }

    @Test
    void patternsNameNoOneMBean() throws Exception {
        as("operator");
        by("POST");
        assertThat(SECURED.isOperationAllowed(name("org.apache.camel:type=routes,*"), "stop()")).isFalse();
        assertThat(SECURED.isAttributeWriteAllowed(name("org.apache.camel:type=routes,*"), "StatisticsEnabled")).isFalse();
    }

    @Test
    void withoutALoginConfiguredAnyoneIsTheOperatorElseNobody() throws Exception {
        by("POST");
        as(null);
        assertThat(OPEN.isOperationAllowed(name(ROUTE), "stop()")).isTrue();
        assertThat(OPEN.isOperationAllowed(name("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap")).isFalse();
        assertThat(SECURED.isOperationAllowed(name(ROUTE), "stop()")).isFalse();
        assertThat(SECURED.isOperationAllowed(name(CONTEXT), "dumpRoutesAsXml()")).isFalse();
        // a login without a console role
        as("someone-else");
        assertThat(SECURED.isOperationAllowed(name(CONTEXT), "dumpRoutesAsXml()")).isFalse();
    }

    @Test
    void sameOriginOnly() {
        by("POST");
        assertThat(SECURED.isOriginAllowed(null, true)).as("no Origin: not a cross-site browser request").isTrue();
        assertThat(SECURED.isOriginAllowed(null, false)).as("no CORS headers without an Origin").isFalse();
        assertThat(SECURED.isOriginAllowed("http://console.example:8080", true)).isTrue();
        assertThat(SECURED.isOriginAllowed("https://CONSOLE.example:8080", false)).isTrue();
        for (String other : List.of("http://evil.example:8080", "http://console.example", "http://console.example:8081",
                "https://console.example", "null", "not an origin", "file:///x")) {
            assertThat(SECURED.isOriginAllowed(other, true)).as(other).isFalse();
            assertThat(SECURED.isOriginAllowed(other, false)).as(other).isFalse();
        }
        assertThat(ConsoleRestrictor.sameOrigin("https://console.example", "console.example", 443)).isTrue();
        assertThat(ConsoleRestrictor.sameOrigin("http://console.example", "console.example", 80)).isTrue();
    }

    @Test
    void auditedValuesCannotForgeLogLines() {
        assertThat(ConsoleRestrictor.clean("stop()\n2026-12-04 INFO console exec allowed")).doesNotContain("\n");
        assertThat(ConsoleRestrictor.clean("x".repeat(500))).hasSize(203);
        assertThat(ConsoleRestrictor.operationName("stop(long)")).isEqualTo("stop");
        assertThat(ConsoleRestrictor.operationName(null)).isEmpty();
    }

    @Test
    void aPolicyFileThatAllowsNoExecStillLetsNothingRunWithoutTheLists() throws Exception {
        // the jar's policy, read by Jolokia's own class, allows no exec or write at all by itself
        PolicyRestrictor policy = new PolicyRestrictor(ConsoleRestrictor.class.getResourceAsStream(ConsoleRestrictor.POLICY));
        assertThat(policy.isOperationAllowed(name(ROUTE), "stop")).isFalse();
        assertThat(policy.isAttributeWriteAllowed(name(ROUTE), "StatisticsEnabled")).isFalse();
        assertThat(policy.isOperationAllowed(name("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap")).isFalse();
        // and a policy that allowed everything would not open what the lists refuse
        ConsoleRestrictor lax = new ConsoleRestrictor(new PolicyRestrictor(new ByteArrayInputStream(
                "<restrict/>".getBytes(StandardCharsets.UTF_8))), false);
        as("operator");
        by("POST");
        assertThat(lax.isOperationAllowed(name("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap")).isFalse();
    }
}
