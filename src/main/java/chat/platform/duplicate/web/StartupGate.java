package chat.platform.duplicate.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import chat.platform.duplicate.problem.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tomcat accepts connections about two seconds before Camel has started the routes (Spring Boot
 * starts the web server first, Camel starts on the context's refresh), and again while the
 * service shuts down. Until Spring Boot's readiness state is {@code ACCEPTING_TRAFFIC} (published
 * once Camel's routes run), every request outside the actuator answers {@code 503} problem+json
 * with {@code Retry-After: 1} instead of a {@code 404} for a path that is about to exist. A filter
 * because Spring Boot has no setting that holds requests until the application is ready.
 */
@Component("startupGate")
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class StartupGate extends OncePerRequestFilter {

    private static final byte[] NOT_READY = new Problem(503, "Service Unavailable",
            "The service is starting or stopping. Try again in a moment; nothing was done for this request.")
            .toJson().getBytes(StandardCharsets.UTF_8);

    private final ApplicationAvailability availability;
    private final String actuator;

    public StartupGate(ApplicationAvailability availability,
            @Value("${management.endpoints.web.base-path:/actuator}") String actuatorBasePath) {
        this.availability = availability;
        this.actuator = actuatorBasePath;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC || isActuator(request)) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(503);
        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(NOT_READY.length);
        response.getOutputStream().write(NOT_READY);
    }

    private boolean isActuator(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() != null ? request.getPathInfo() : "");
        return path.equals(actuator) || path.startsWith(actuator + "/");
    }
}
