package chat.platform.duplicate.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

class ProblemResponsesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DB_DETAIL =
            "The database is not reachable right now. Try again later; nothing is left half-written.";
    private static final String NEUTRAL_DETAIL = "The request could not be completed.";

    private static CamelContext context;

    private final ProblemResponses responses = new ProblemResponses();

    @BeforeAll
    static void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterAll
    static void closeContext() throws Exception {
        context.close();
    }

    // ------------------------------------------------------------------ problemFor

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 404, 405, 409, 422})
    void apiProblemKeepsStatusTitleAndDetail(int status) {
        Problem problem = ProblemResponses.problemFor(new ApiProblem(status, "Title " + status, "Detail " + status), "r");
        assertThat(problem).isEqualTo(new Problem(status, "Title " + status, "Detail " + status));
    }

    @Test
    void factoryProblemsKeepTheirValues() {
        assertThat(ProblemResponses.problemFor(ApiProblem.unauthorized("who?"), "r"))
                .isEqualTo(new Problem(401, "Unauthorized", "who?"));
        assertThat(ProblemResponses.problemFor(ApiProblem.badRequest("bad id"), "r"))
                .isEqualTo(new Problem(400, "Bad Request", "bad id"));
        assertThat(ProblemResponses.problemFor(ApiProblem.notFound("none"), "r"))
                .isEqualTo(new Problem(404, "Not Found", "none"));
        assertThat(ProblemResponses.problemFor(ApiProblem.unprocessable("no"), "r"))
                .isEqualTo(new Problem(422, "Unprocessable Content", "no"));
    }

    @Test
    void wrappedApiProblemKeepsItsStatus() {
        Problem problem = ProblemResponses.problemFor(
                new RuntimeCamelException(new RuntimeException(ApiProblem.notFound("none"))), "r");
        assertThat(problem).isEqualTo(new Problem(404, "Not Found", "none"));
    }

    @Test
    void noJdbcConnectionIs503() {
        CannotGetJdbcConnectionException e = new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("platform-db - Connection is not available, request timed out"));
        assertThat(ProblemResponses.problemFor(e, "r")).isEqualTo(new Problem(503, "Service Unavailable", DB_DETAIL));
    }

    @Test
    void wrappedNoJdbcConnectionIs503() {
        RuntimeException e = new RuntimeException("route failed",
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", new SQLException("refused")));
        assertThat(ProblemResponses.problemFor(e, "r")).isEqualTo(new Problem(503, "Service Unavailable", DB_DETAIL));
        assertThat(ProblemResponses.problemFor(new RuntimeCamelException(e), "r").status()).isEqualTo(503);
    }

    @Test
    void otherDatabaseOutagesAre503() {
        assertThat(ProblemResponses.problemFor(new DataAccessResourceFailureException("I/O error"), "r").status())
                .isEqualTo(503);
        assertThat(ProblemResponses.problemFor(new QueryTimeoutException("timeout"), "r").status()).isEqualTo(503);
        assertThat(ProblemResponses.problemFor(
                new RuntimeException(new SQLTransientConnectionException("timeout")), "r").status()).isEqualTo(503);
    }

    @Test
    void anythingElseIs500WithANeutralDetail() {
        String secret = "password=hunter2 at org.postgresql.Driver";
        for (Throwable t : List.of(new RuntimeException(secret), new IllegalStateException(secret),
                new NullPointerException(secret), new RuntimeException(secret, new IOException(secret)),
                new DataIntegrityViolationException(secret, new SQLException(secret)))) {
            Problem problem = ProblemResponses.problemFor(t, "route-x");
            assertThat(problem).as(t.toString()).isEqualTo(new Problem(500, "Internal Server Error", NEUTRAL_DETAIL));
            assertThat(problem.toJson()).doesNotContain("hunter2").doesNotContain("postgresql")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void noExceptionIs500() {
        assertThat(ProblemResponses.problemFor(null, null))
                .isEqualTo(new Problem(500, "Internal Server Error", NEUTRAL_DETAIL));
    }

    // ------------------------------------------------------------------ render

    @Test
    void render401() {
        Exchange exchange = exchangeWithCaller(ApiProblem.unauthorized("A bearer token is required."));

        responses.render(exchange);

        assertThat(exchange.getMessage().getHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Exchange.HTTP_RESPONSE_CODE, 401,
                "Content-Type", "application/problem+json",
                "WWW-Authenticate", "Bearer"));
        assertBody(exchange, "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"A bearer token is required.\"}");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 405, 409, 422})
    void renderOtherCallerMistakesWithoutWwwAuthenticate(int status) {
        Exchange exchange = exchangeWithCaller(new ApiProblem(status, "T", "D"));

        responses.render(exchange);

        assertThat(exchange.getMessage().getHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Exchange.HTTP_RESPONSE_CODE, status,
                "Content-Type", "application/problem+json"));
        assertThat(exchange.getMessage().getHeader("WWW-Authenticate")).isNull();
        assertBody(exchange, "{\"type\":\"about:blank\",\"title\":\"T\",\"status\":" + status + ",\"detail\":\"D\"}");
    }

    @Test
    void render503() {
        Exchange exchange = exchangeWithCaller(new RuntimeException(
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection")));

        responses.render(exchange);

        assertThat(exchange.getMessage().getHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Exchange.HTTP_RESPONSE_CODE, 503,
                "Content-Type", "application/problem+json"));
        assertBody(exchange, "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                + "\"detail\":\"" + DB_DETAIL + "\"}");
    }

    @Test
    void render500LeaksNothing() {
        Exchange exchange = exchangeWithCaller(new IllegalStateException("SELECT secret FROM api_tokens"));

        responses.render(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        String body = exchange.getMessage().getBody(String.class);
        assertBody(exchange, "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500,"
                + "\"detail\":\"" + NEUTRAL_DETAIL + "\"}");
        assertThat(body).doesNotContain("secret").doesNotContain("IllegalStateException").doesNotContain("\tat ");
    }

    @Test
    void renderWithoutCaughtExceptionIs500() {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader("Authorization", "Bearer x");

        responses.render(exchange);

        assertThat(exchange.getMessage().getHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Exchange.HTTP_RESPONSE_CODE, 500,
                "Content-Type", "application/problem+json"));
    }

    @Test
    void bodyHasExactlyTheProblemFieldsInOrder() throws Exception {
        Exchange exchange = exchangeWithCaller(ApiProblem.notFound("none"));
        responses.render(exchange);
        JsonNode body = MAPPER.readTree(exchange.getMessage().getBody(String.class));
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("type", "title", "status", "detail");
        assertThat(body.get("status").isInt()).isTrue();
    }

    @Test
    void problemMediaType() {
        assertThat(Problem.MEDIA_TYPE).isEqualTo("application/problem+json");
        assertThat(new Problem(418, "t", "d").type()).isEqualTo("about:blank");
    }

    // ------------------------------------------------------------------ helpers

    /** An exchange as the caller's request left it: its headers and body, and the caught exception. */
    private static Exchange exchangeWithCaller(Throwable caught) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader("Authorization", "Bearer secret-token");
        exchange.getMessage().setHeader("Idempotency-Key", "k-1");
        exchange.getMessage().setHeader("conversationId", "12");
        exchange.getMessage().setHeader(Exchange.HTTP_URI, "/third-party/v1/conversations/12/messages/5/duplicate");
        exchange.getMessage().setHeader("Content-Type", "application/json");
        exchange.getMessage().setBody("{\"caller\":\"body\"}");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, caught);
        return exchange;
    }

    private static void assertBody(Exchange exchange, String expected) {
        try {
            assertThat(MAPPER.readTree(exchange.getMessage().getBody(String.class))).isEqualTo(MAPPER.readTree(expected));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
