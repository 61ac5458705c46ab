package chat.platform.duplicate.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chat.platform.duplicate.bridge.BridgeRequests;
import chat.platform.duplicate.bridge.RetryAfter;
import chat.platform.duplicate.files.FileUrls;
import chat.platform.duplicate.problem.ApiProblem;
import chat.platform.duplicate.problem.ProblemResponses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Route render-problem of {@code routes/error-handling.camel.yaml}, as the route configurations
 * call it with a caught failure: the reply is the problem and nothing else, whatever the
 * request's headers and body were.
 */
class RenderProblemRouteTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DB_DETAIL =
            "The database is not reachable right now. Try again later; nothing is left half-written.";

    private static CamelContext context;
    private static ProducerTemplate producer;

    @BeforeAll
    static void loadTheRouteFile() throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind("problemResponses", new ProblemResponses());
        context.getRegistry().bind("bridgeRequests", new BridgeRequests(new FileUrls("https://files.example", "k")));
        context.getRegistry().bind("retryAfter", new RetryAfter(5000));
        context.getRegistry().bind("traceAttributes", new chat.platform.duplicate.ops.TraceAttributes());
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.resolveMandatoryResource(context, "file:routes/error-handling.camel.yaml"));
        context.start();
        producer = context.createProducerTemplate();
    }

    @AfterAll
    static void stop() throws Exception {
        context.close();
    }

    @Test
    void a401HasWwwAuthenticateBearer() {
        Exchange reply = render(ApiProblem.unauthorized("A bearer token is required."));

        assertThat(reply.getMessage().getHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Exchange.HTTP_RESPONSE_CODE, 401,
                "Content-Type", "application/problem+json",
                "WWW-Authenticate", "Bearer"));
        assertBody(reply, "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"A bearer token is required.\"}");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 405, 409, 422})
    void otherCallerMistakesHaveNoWwwAuthenticate(int status) {
        Exchange reply = render(new ApiProblem(status, "T", "D"));

        assertThat(reply.getMessage().getHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Exchange.HTTP_RESPONSE_CODE, status,
                "Content-Type", "application/problem+json"));
        assertBody(reply, "{\"type\":\"about:blank\",\"title\":\"T\",\"status\":" + status + ",\"detail\":\"D\"}");
    }

    @Test
    void anUnreachableDatabaseIs503() {
        Exchange reply = render(new RuntimeException(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection")));

        assertThat(reply.getMessage().getHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Exchange.HTTP_RESPONSE_CODE, 503,
                "Content-Type", "application/problem+json"));
        assertBody(reply, "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                + "\"detail\":\"" + DB_DETAIL + "\"}");
    }

    @Test
    void a500LeaksNothing() {
        Exchange reply = render(new IllegalStateException("SELECT secret FROM api_tokens"));

        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertBody(reply, "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500,"
                + "\"detail\":\"The request could not be completed.\"}");
        assertThat(reply.getMessage().getBody(String.class)).doesNotContain("secret")
                .doesNotContain("IllegalStateException").doesNotContain("\tat ");
    }

    @Test
    void theBodyHasExactlyTheProblemFieldsInOrder() throws Exception {
        JsonNode body = MAPPER.readTree(render(ApiProblem.notFound("none")).getMessage().getBody(String.class));
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("type", "title", "status", "detail");
        assertThat(body.get("status").isInt()).isTrue();
    }

    /** An exchange as the caller's request left it (its headers and body) with the caught failure. */
    private static Exchange render(Throwable caught) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader("Authorization", "Bearer secret-token");
        exchange.getMessage().setHeader("Idempotency-Key", "k-1");
        exchange.getMessage().setHeader("conversationId", "12");
        exchange.getMessage().setHeader(Exchange.HTTP_URI, "/third-party/v1/conversations/12/messages/5/duplicate");
        exchange.getMessage().setHeader("Content-Type", "application/json");
        exchange.getMessage().setBody("{\"caller\":\"body\"}");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, caught);
        exchange.setProperty(Exchange.FAILURE_ROUTE_ID, "duplicate-message");
        return producer.send("direct:render-problem", exchange);
    }

    private static void assertBody(Exchange exchange, String expected) {
        try {
            assertThat(MAPPER.readTree(exchange.getMessage().getBody(String.class))).isEqualTo(MAPPER.readTree(expected));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
