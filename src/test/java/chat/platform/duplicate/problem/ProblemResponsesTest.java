package chat.platform.duplicate.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.sql.SQLTransientConnectionException;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.RuntimeCamelException;
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

    @Test
    void problemMediaType() {
        assertThat(Problem.MEDIA_TYPE).isEqualTo("application/problem+json");
        assertThat(new Problem(418, "t", "d").type()).isEqualTo("about:blank");
    }
}
