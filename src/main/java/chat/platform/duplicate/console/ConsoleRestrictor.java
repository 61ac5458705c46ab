package chat.platform.duplicate.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.management.ObjectName;

import jakarta.servlet.http.HttpServletRequest;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * What a console user may do through Jolokia (Jolokia's documented {@link Restrictor} plug-in:
 * a Restrictor bean is the one Jolokia's servlet uses).
 * <ul>
 * <li><b>Reads</b> ({@code read}, {@code list}, {@code search}, {@code version}) follow the access
 * policy {@code jolokia-access.xml} of the jar: everything but the JVM's diagnostic MBeans (heap
 * dumps, diagnostic commands, agent loading, Flight Recorder) and the JVM's command line and
 * system properties. The policy must be there: without it the service does not start.</li>
 * <li><b>Operations and writes</b> only from the lists below, and only by POST (a GET link can
 * only read; POSTs carry the XSRF token, see {@link ConsoleSecurity}). Both roles may run the
 * operations that only read (route dumps and statistics, thread dumps, Hawtio's log and RBAC
 * queries); the operator may also start, stop, suspend, resume and restart routes, reset
 * statistics and switch statistics on or off. Nothing else runs: no message is sent to any
 * endpoint, no route or endpoint is added, changed or removed, no tracer or debugger runs.</li>
 * <li><b>Origin</b>: a browser request from another origin is refused, and no CORS header lets a
 * page of another origin read a reply.</li>
 * </ul>
 * Every operation and write, allowed or refused, is one line of logger {@code console.audit}:
 * user, role, MBean, operation or attribute, outcome (never the arguments).
 */
public final class ConsoleRestrictor implements Restrictor {

    static final String POLICY = "/jolokia-access.xml";
    private static final Logger AUDIT = LoggerFactory.getLogger("console.audit");

    /** Operations that only read, by MBean kind ({@code domain:type}): both roles. */
    static final Map<String, Set<String>> READ_OPERATIONS = Map.of(
            "org.apache.camel:context", Set.of("dumpRoutesAsXml", "dumpRoutesAsYaml", "dumpRoutesStatsAsXml",
                    "dumpRouteStatsAsJSon", "dumpStepStatsAsXml", "dumpRoutesCoverageAsXml", "dumpRouteTemplatesAsXml",
                    "dumpRestsAsXml", "dumpStatsAsXml", "dumpStatsAsJSon", "componentNames", "languageNames",
                    "dataFormatNames", "routeIds", "routeGroups"),
            "org.apache.camel:routes", Set.of("dumpRouteAsXml", "dumpRouteAsYaml", "dumpRouteStatsAsXml",
                    "dumpRouteStatsAsJSon", "dumpStepStatsAsXml", "dumpRouteSourceLocationsAsXml", "dumpStatsAsXml",
                    "dumpStatsAsJSon", "processorIds", "isUpdateRouteEnabled"),
            "org.apache.camel:processors", Set.of("dumpProcessorAsXml", "dumpStatsAsXml", "dumpStatsAsJSon"),
            "org.apache.camel:steps", Set.of("dumpStatsAsXml", "dumpStatsAsJSon"),
            // the in-flight exchanges and the endpoints' statistics (Hawtio's Exchanges and Endpoints views)
            "org.apache.camel:services", Set.of("browse", "endpointStatistics", "listRestServices"),
            "org.apache.camel:health", Set.of("isHealthy", "isHealthyReadiness", "isHealthyLiveness", "invoke",
                    "invokeReadiness", "invokeLiveness", "getHealthChecksIDs"),
            // Hawtio's own queries: the log view, its MBean tree and which buttons to show
            "hawtio:LogQuery", Set.of("getLogResults", "filterLogEvents", "jsonQueryLogResults", "getLogEvents"),
            "hawtio:security", Set.of("list", "canInvoke"),
            // the service's health and info through JMX (Hawtio's Spring Boot view); not its log levels, which
            // could switch on logging of requests with their credentials
            "org.springframework.boot:Endpoint", Set.of("health", "info"),
            "java.lang:Threading", Set.of("dumpAllThreads", "getThreadInfo", "findDeadlockedThreads",
                    "findMonitorDeadlockedThreads", "getThreadCpuTime", "getThreadUserTime"));

    /** Operations that change the routes' state or statistics: the operator only. */
    static final Map<String, Set<String>> OPERATOR_OPERATIONS = Map.of(
            "org.apache.camel:routes", Set.of("start", "stop", "suspend", "resume", "restart", "reset",
                    "setStatisticsEnabled"),
            "org.apache.camel:context", Set.of("reset", "setStatisticsEnabled"),
            "org.apache.camel:processors", Set.of("reset", "setStatisticsEnabled"),
            "org.apache.camel:steps", Set.of("reset", "setStatisticsEnabled"));

    /** Attributes the operator may write: statistics on or off. */
    static final Map<String, Set<String>> OPERATOR_WRITES = Map.of(
            "org.apache.camel:context", Set.of("StatisticsEnabled"),
            "org.apache.camel:routes", Set.of("StatisticsEnabled"),
            "org.apache.camel:processors", Set.of("StatisticsEnabled"),
            "org.apache.camel:steps", Set.of("StatisticsEnabled"));

    enum Role {
        OPERATOR, VIEWER, NONE
    }

    private final Restrictor policy;
    private final boolean open;

    /**
     * @param policy the access policy for reads ({@code jolokia-access.xml})
     * @param open the console has no login (the embedded default): whoever reaches it acts as operator
     */
    ConsoleRestrictor(Restrictor policy, boolean open) {
        this.policy = policy;
        this.open = open;
    }

    /** With the jar's {@code jolokia-access.xml}; fails when it is missing (Jolokia would then allow everything). */
    public static ConsoleRestrictor withPolicy(boolean open) {
        try (InputStream xml = ConsoleRestrictor.class.getResourceAsStream(POLICY)) {
            if (xml == null) {
                throw new IllegalStateException(POLICY + " is missing from the class path: without it the console "
                        + "would be unrestricted");
            }
            return new ConsoleRestrictor(new PolicyRestrictor(xml), open);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + POLICY, e);
        }
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return policy.isHttpMethodAllowed(method);
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return type != RequestType.NOTIFICATION && (type == RequestType.EXEC || type == RequestType.WRITE
                || policy.isTypeAllowed(type));
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return policy.isAttributeReadAllowed(name, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        Role role = role();
        String refusal = refusal(name, attribute, OPERATOR_WRITES, Map.of(), role);
        audit("write", name, attribute, role, refusal);
        return refusal == null;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        Role role = role();
        String refusal = refusal(name, operationName(operation), OPERATOR_OPERATIONS, READ_OPERATIONS, role);
        audit("exec", name, operation, role, refusal);
        return refusal == null;
    }

    /** Why this operation or write is refused, or null when it is allowed. */
    private String refusal(ObjectName name, String member, Map<String, Set<String>> operatorOnly,
            Map<String, Set<String>> everyone, Role role) {
        String method = currentMethod();
        if (!"POST".equals(method)) {
            return method == null ? "no HTTP request" : "only by POST";
        }
        if (name == null || name.isPattern()) {
            return "not on an MBean pattern";
        }
        String kind = kind(name);
        if (everyone.getOrDefault(kind, Set.of()).contains(member)) {
            return role == Role.NONE ? "no console role" : null;
        }
        if (operatorOnly.getOrDefault(kind, Set.of()).contains(member)) {
            return role == Role.OPERATOR ? null : "operator only";
        }
        return "not allowed from the console";
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return policy.isRemoteAccessAllowed(hostOrAddress);
    }

    /**
     * Same origin only. Without an Origin (or Referer) header the request is not a browser's
     * cross-site request (scripts, the console's own GETs): allowed, and no CORS headers are set.
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean strictCheck) {
        if (origin == null) {
            return strictCheck;
        }
        HttpServletRequest request = currentRequest();
        return request != null && sameOrigin(origin, request.getServerName(), request.getServerPort());
    }

    static boolean sameOrigin(String origin, String serverName, int serverPort) {
        try {
            URI uri = URI.create(origin.strip());
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return uri.getHost().equalsIgnoreCase(serverName) && port == serverPort;
        } catch (IllegalArgumentException notAnOrigin) {
            return false;
        }
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return policy.isObjectNameHidden(name);
    }

    /** {@code domain:type} of an MBean, e.g. {@code org.apache.camel:routes}. */
    static String kind(ObjectName name) {
        return name.getDomain() + ":" + name.getKeyProperty("type");
    }

    /** Jolokia passes an operation with its signature when the caller gave one: {@code stop(long)}. */
    static String operationName(String operation) {
        if (operation == null) {
            return "";
        }
        int signature = operation.indexOf('(');
        return (signature < 0 ? operation : operation.substring(0, signature)).strip();
    }

    Role role() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken)) {
            for (GrantedAuthority authority : authentication.getAuthorities()) {
                if (("ROLE_" + ConsoleLogins.OPERATOR).equals(authority.getAuthority())) {
                    return Role.OPERATOR;
                }
            }
            for (GrantedAuthority authority : authentication.getAuthorities()) {
                if (("ROLE_" + ConsoleLogins.VIEWER).equals(authority.getAuthority())) {
                    return Role.VIEWER;
                }
            }
            return Role.NONE;
        }
        return open ? Role.OPERATOR : Role.NONE;
    }

    private static String user() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || authentication instanceof AnonymousAuthenticationToken ? "anonymous"
                : authentication.getName();
    }

    private void audit(String action, ObjectName name, String member, Role role, String refusal) {
        String roleName = role == Role.NONE ? "none" : open && role == Role.OPERATOR && "anonymous".equals(user())
                ? "operator (open console)" : role.name().toLowerCase(Locale.ROOT);
        if (refusal == null) {
            AUDIT.info("console {} allowed: user={} role={} mbean={} {}={}", action, clean(user()), roleName,
                    name == null ? "-" : clean(name.getCanonicalName()), "exec".equals(action) ? "operation" : "attribute",
                    clean(member));
        } else {
            AUDIT.warn("console {} refused ({}): user={} role={} mbean={} {}={}", action, refusal, clean(user()), roleName,
                    name == null ? "-" : clean(name.getCanonicalName()), "exec".equals(action) ? "operation" : "attribute",
                    clean(member));
        }
    }

    /** Log values come from requests: no line breaks or other control characters, at most 200 characters. */
    static String clean(String value) {
        if (value == null) {
            return "-";
        }
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }

    private static HttpServletRequest currentRequest() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest() : null;
    }

    private static String currentMethod() {
        HttpServletRequest request = currentRequest();
        return request == null ? null : request.getMethod();
    }
}
