package chat.platform.duplicate.sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.component.sql.SqlHelper;
import org.apache.camel.spi.EndpointStrategy;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * The JDBC text of the route files' SQL, worked out once per query instead of on every call.
 * camel-sql's {@link DefaultSqlPrepareStatementStrategy} turns a step's query into JDBC SQL
 * ({@code :#name} and {@code :#${...}} into {@code ?}) with regular expressions on every
 * execution, looks for named parameters twice more, and finds the names of the parameters to
 * bind, in order, with one more regular expression on every execution; for the long queries of a
 * duplicate (sql/load-message.sql, store-duplicate) the first was ~6 % of its CPU (bench, JFR),
 * the last ~3 % (async-profiler, 32 callers). A query of a {@code sql:} step is fixed text, so
 * the answers are always the same: they are kept here per query. The values are still looked up
 * on every call exactly as camel-sql does ({@link SqlHelper}: the body's map, headers,
 * variables, or a {@code ${...}} expression).
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

    /** camel-sql's own pattern of a named parameter ({@code :?name}, {@code :?${...}}, {@code :?in:...}). */
    private static final Pattern NAME_PATTERN = Pattern.compile(
            "\\:\\?((in\\:(\\w+|\\$\\{[^\\}]+\\}|\\$simple\\{[^\\}]+\\}))|(\\w+|\\$\\{[^\\}]+\\}|\\$simple\\{[^\\}]+\\}))",
            Pattern.MULTILINE);
    private static final String MISSING_PARAMETER
            = "Cannot find key [%s] in message body or headers to use when setting named parameter in query [%s]";

    private final ConcurrentMap<String, String> prepared = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, List<String>> parameters = new ConcurrentHashMap<>();

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        String answer = allowNamedParameters ? prepared.get(query) : null;
        if (answer != null) {
            return answer;
        }
        // an IN parameter's text depends on its values: never kept (so never found above)
        if (!allowNamedParameters || query.contains(":?in:")) {
            return super.prepareQuery(query, allowNamedParameters, exchange);
        }
        answer = super.prepareQuery(query, true, exchange);
        keep(prepared, query, answer);
        return answer;
    }

    /** As camel-sql's: the query has a named parameter (its parser finds a first one). */
    @Override
    protected boolean hasNamedParameters(String query) {
        return !namesOf(query).isEmpty();
    }

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
            Object value) throws SQLException {
        List<String> names = namesOf(query);
        if (names.isEmpty()) {
            return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
        }
        return new NamedValues(names, query, exchange, value);
    }

    private List<String> namesOf(String query) {
        List<String> names = parameters.get(query);
        if (names == null) {
            names = parameterNames(query);
            keep(parameters, query, names);
        }
        return names;
    }

    /** The named parameters of a query in their order, as camel-sql's parser finds them. */
    static List<String> parameterNames(String query) {
        List<String> names = new ArrayList<>();
        Matcher matcher = NAME_PATTERN.matcher(query);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (name.chars().filter(c -> c == '{').count() != name.chars().filter(c -> c == '}').count()) {
                // nested brackets (":?${array[?${index}]}"): the pattern stops at the first '}'
                String rest = query.substring(matcher.start());
                int open = rest.indexOf('{');
                name = "$" + rest.substring(open, closingBracket(rest, open) + 1);
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static int closingBracket(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            if (text.charAt(i) == '{') {
                depth++;
            } else if (text.charAt(i) == '}') {
                depth--;
            }
            if (depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The values of a query's named parameters, looked up as camel-sql's own iterator does. */
    private static final class NamedValues implements Iterator<Object> {

        private final Iterator<String> names;
        private final String query;
        private final Exchange exchange;
        private final Object body;

        NamedValues(List<String> names, String query, Exchange exchange, Object body) {
            this.names = names.iterator();
            this.query = query;
            this.exchange = exchange;
            this.body = body;
        }

        @Override
        public boolean hasNext() {
            return names.hasNext();
        }

        @Override
        public Object next() {
            if (!names.hasNext()) {
                throw new NoSuchElementException();
            }
            String name = names.next();
            boolean in = name.startsWith("in:");
            if (in) {
                name = name.substring(3);
            }
            Object value;
            if (isExpression(name)) {
                // camel-sql evaluates an expression on a copy of the exchange that carries the given
                // body (for batches); when that is the exchange's own body, the exchange itself will do
                value = SqlHelper.lookupParameter(name, exchange, body == exchange.getMessage().getBody() ? null : body);
            } else if (SqlHelper.hasParameter(name, exchange, body)) {
                value = SqlHelper.lookupParameter(name, exchange, body);
            } else {
                throw new RuntimeExchangeException(String.format(MISSING_PARAMETER, name, query), exchange);
            }
            return in && value != null ? createInParameterIterator(value) : value;
        }
    }

    /** As camel-sql: such a name is always "present" and is evaluated with the simple language */
    private static boolean isExpression(String name) {
        return (name.startsWith("$simple{") || name.startsWith("${")) && name.endsWith("}");
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
