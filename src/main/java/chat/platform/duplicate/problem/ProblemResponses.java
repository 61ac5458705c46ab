package chat.platform.duplicate.problem;

import java.sql.SQLTransientException;

import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;

/**
 * Turns the exception a Client API route caught into its reply: an RFC 9457 problem, never a
 * stack trace. Caller mistakes keep their own status; a database that cannot be
 * reached is {@code 503}; anything else is a logged {@code 500} with a neutral detail.
 */
@Component("problemResponses")
public class ProblemResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    /**
     * Whether the failure is the database's, not the request's: no connection within the pool's
     * connection-timeout, a connection that broke, or a transient database error (the 503 cases).
     */
    public boolean databaseUnavailable(Throwable caught) {
        return isDatabaseUnavailable(caught);
    }

    /** The problem of a failure caught in route {@code routeId} (route render-problem makes it the reply). */
    public static Problem problemFor(Throwable caught, String routeId) {
        ApiProblem apiProblem = ObjectHelper.getException(ApiProblem.class, caught);
        if (apiProblem != null) {
            return Problem.of(apiProblem);
        }
        if (isDatabaseUnavailable(caught)) {
            LOG.warn("Route {}: database unavailable: {}", routeId, String.valueOf(caught));
            return new Problem(503, "Service Unavailable",
                    "The database is not reachable right now. Try again later; nothing is left half-written.");
        }
        LOG.error("Route {} failed unexpectedly", routeId, caught);
        return new Problem(500, "Internal Server Error", "The request could not be completed.");
    }

    private static boolean isDatabaseUnavailable(Throwable caught) {
        return ObjectHelper.getException(CannotGetJdbcConnectionException.class, caught) != null
                || ObjectHelper.getException(DataAccessResourceFailureException.class, caught) != null
                || ObjectHelper.getException(TransientDataAccessException.class, caught) != null
                || ObjectHelper.getException(SQLTransientException.class, caught) != null;
    }
}
