package chat.platform.duplicate.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;
import org.springframework.stereotype.Component;

/**
 * camel-sql's named parameters ({@code :#name}, {@code :#${expression}}), read once per statement
 * instead of at every call: the sql steps name it with the documented endpoint option
 * {@code prepareStatementStrategy: "#bean:namedSqlParameters"}.
 * <p>
 * The rules are camel-sql's own (its documentation, "Using named parameters"): the component
 * hands a statement over with its placeholder already turned into {@code :?}; a parameter is
 * {@code :?name} (looked up in the body when it converts to a Map, then the headers, then the
 * variables; missing everywhere is an error naming it), {@code :?${...}} or {@code :?$simple{...}}
 * (a simple expression); each becomes one {@code ?}, in order. camel-sql's default strategy finds
 * them with regular expressions at every call and evaluates each expression on a copy of the
 * exchange; this one finds them once per statement text, keeps each compiled expression and
 * evaluates it on the exchange itself, whose body is the one the copy would have had. Statements
 * with {@code :?in:} lists (their text depends on the values), parameters from a body other than
 * the message's (batch, {@code useMessageBodyForSql}) and statements without named parameters go
 * to camel-sql's default strategy unchanged.
 */
@Component("namedSqlParameters")
public class NamedSqlParameters implements SqlPrepareStatementStrategy {

    /** camel-sql's own pattern of a named parameter (DefaultSqlPrepareStatementStrategy). */
    private static final Pattern NAME = Pattern.compile(
            "\\:\\?((in\\:(\\w+|\\$\\{[^\\}]+\\}|\\$simple\\{[^\\}]+\\}))|(\\w+|\\$\\{[^\\}]+\\}|\\$simple\\{[^\\}]+\\}))",
            Pattern.MULTILINE);
    private static final String MISSING
            = "Cannot find key [%s] in message body or headers to use when setting named parameter in query [%s]";

    private final SqlPrepareStatementStrategy fallback = new DefaultSqlPrepareStatementStrategy();
    private final Map<String, Statement> statements = new ConcurrentHashMap<>();

    /** A statement's text with its parameters replaced by {@code ?}, and its parameters in order; null text: not handled here. */
    record Statement(String prepared, List<Parameter> parameters) {

        boolean handled() {
            return prepared != null;
        }
    }

    /** {@code name}, or a simple expression (compiled at its first use). */
    static final class Parameter {
        final String name;
        final boolean expression;
        volatile Expression compiled;

        Parameter(String name) {
            this.name = name;
            this.expression = (name.startsWith("${") || name.startsWith("$simple{")) && name.endsWith("}");
        }
    }

    /** At most this many statement texts are kept (a CamelSqlQuery header could bring new ones at every call). */
    static final int KEPT = 512;

    Statement statement(String query) {
        Statement statement = statements.get(query);
        if (statement == null) {
            statement = parse(query);
            if (statements.size() < KEPT) {
                statements.putIfAbsent(query, statement);
            }
        }
        return statement;
    }

    /** The parameters of a statement and its text with each replaced by {@code ?}; not handled with :?in: lists or nested braces. */
    static Statement parse(String query) {
        Matcher matcher = NAME.matcher(query);
        StringBuilder prepared = new StringBuilder(query.length());
        List<Parameter> parameters = new ArrayList<>();
        int last = 0;
        while (matcher.find()) {
            String name = matcher.group(1);
            if (name.startsWith("in:") || name.indexOf('{') != name.lastIndexOf('{')) {
                return new Statement(null, List.of());
            }
            prepared.append(query, last, matcher.start()).append('?');
            last = matcher.end();
            parameters.add(new Parameter(name));
        }
        if (parameters.isEmpty()) {
            return new Statement(null, List.of());
        }
        prepared.append(query, last, query.length());
        return new Statement(prepared.toString(), List.copyOf(parameters));
    }

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        if (!allowNamedParameters) {
            return query;
        }
        Statement statement = statement(query);
        return statement.handled() ? statement.prepared() : fallback.prepareQuery(query, true, exchange);
    }

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
            Object value) throws SQLException {
        Statement statement = statement(query);
        if (!statement.handled() || exchange == null || value != exchange.getMessage().getBody()) {
            return fallback.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
        }
        List<Object> values = new ArrayList<>(statement.parameters().size());
        Map<?, ?> body = null;
        for (Parameter parameter : statement.parameters()) {
            if (parameter.expression) {
                Expression expression = parameter.compiled;
                if (expression == null) {
                    expression = exchange.getContext().resolveLanguage("simple").createExpression(parameter.name);
                    parameter.compiled = expression;
                }
                values.add(expression.evaluate(exchange, Object.class));
                continue;
            }
            if (body == null) {
                Map<?, ?> map = value == null ? null : exchange.getContext().getTypeConverter().tryConvertTo(Map.class, exchange, value);
                body = map == null ? Collections.emptyMap() : map;
            }
            Map<String, Object> headers = exchange.getIn().getHeaders();
            Map<String, Object> variables = exchange.getVariables();
            if (body.containsKey(parameter.name)) {
                values.add(body.get(parameter.name));
            } else if (headers.containsKey(parameter.name)) {
                values.add(headers.get(parameter.name));
            } else if (variables != null && variables.containsKey(parameter.name)) {
                values.add(variables.get(parameter.name));
            } else {
                throw new RuntimeExchangeException(String.format(MISSING, parameter.name, query), exchange);
            }
        }
        return values.iterator();
    }

    @Override
    public void populateStatement(PreparedStatement ps, Iterator<?> iterator, int expectedParams) throws SQLException {
        fallback.populateStatement(ps, iterator, expectedParams);
    }
}
