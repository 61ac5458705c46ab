package chat.platform.duplicate.sql;

import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.spi.EndpointStrategy;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * The JDBC text of the route files' SQL, worked out once per query instead of on every call.
 * camel-sql's {@link DefaultSqlPrepareStatementStrategy} turns a step's query into JDBC SQL
 * ({@code :#name} and {@code :#${...}} into {@code ?}) with regular expressions on every
 * execution, and looks for named parameters twice more; for the long queries of a duplicate
 * (sql/load-message.sql, store-duplicate) that was ~6 % of its CPU (bench, JFR). A query of a
 * {@code sql:} step is fixed text, so the answer is always the same: it is kept here per query.
 * A query with {@code :?in:} parameters (its text depends on the values) is prepared anew every
 * time, as by camel-sql; at most {@value #MAX_QUERIES} queries are kept (a {@code toD} could make
 * endless texts), any further one is prepared every time. Binding values, metadata and
 * everything else stay camel-sql's.
 * <p>
 * Every {@code sql:} endpoint without a {@code prepareStatementStrategy} (or a {@code separator})
 * of its own gets this one (an endpoint callback registered before the routes start; endpoints
 * of reloaded route files get it too). No route file has to say anything for it.
 */
@Component("preparedQueries")
public class PreparedQueries extends DefaultSqlPrepareStatementStrategy
        implements EndpointStrategy, CamelContextConfiguration {

    static final int MAX_QUERIES = 256;

    private final ConcurrentMap<String, String> prepared = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Boolean> named = new ConcurrentHashMap<>();

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        if (!allowNamedParameters || query.contains(":?in:")) {
            return super.prepareQuery(query, allowNamedParameters, exchange);
        }
        String answer = prepared.get(query);
        if (answer == null) {
            answer = super.prepareQuery(query, true, exchange);
            keep(prepared, query, answer);
        }
        return answer;
    }

    @Override
    protected boolean hasNamedParameters(String query) {
        Boolean answer = named.get(query);
        if (answer == null) {
            answer = super.hasNamedParameters(query);
            keep(named, query, answer);
        }
        return answer;
    }

    private static <V> void keep(ConcurrentMap<String, V> cache, String query, V value) {
        if (cache.size() < MAX_QUERIES) {
            cache.putIfAbsent(query, value);
        }
    }

    /** Number of queries kept. */
    public int size() {
        return prepared.size();
    }

    @Override
    public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
        // this strategy splits a plain body by ',' (camel-sql's default separator), as the default one
        if (endpoint instanceof SqlEndpoint sql && sql.getPrepareStatementStrategy() == null && sql.getSeparator() == ',') {
            sql.setPrepareStatementStrategy(this);
        }
        return endpoint;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getCamelContextExtension().registerEndpointCallback(this);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing
    }
}
