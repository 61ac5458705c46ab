package chat.platform.duplicate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlHelper;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.Mockito;

/**
 * The named parameters of camel-sql as its documentation gives them, against camel-sql's own
 * default strategy: for every kind of parameter and for every statement of the service, the same
 * statement text for the driver and the same values in the same order, call after call; the same
 * error for a missing one; what it does not handle itself goes to the default unchanged.
 */
class NamedSqlParametersTest {

    static final CamelContext CAMEL = new DefaultCamelContext();
    final SqlPrepareStatementStrategy camelSql = new DefaultSqlPrepareStatementStrategy();
    final NamedSqlParameters named = new NamedSqlParameters();

    @AfterAll
    static void stop() {
        CAMEL.stop();
    }

    /** An exchange as the routes have them: a Map body (variableSend), headers, variables and properties. */
    static Exchange exchange(Object body) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader("fromHeader", "h");
        exchange.getMessage().setHeader("both", "header wins over variable");
        exchange.getMessage().setHeader("CamelHttpResponseCode", 201);
        exchange.getMessage().setHeader("index", 1);
        exchange.setVariable("fromVariable", 42L);
        exchange.setVariable("both", "variable");
        exchange.setVariable("nothing", null);
        exchange.setVariable("tokenSha256", "ab".repeat(32));
        exchange.setVariable("idempotencyKey", null);
        exchange.setVariable("bridgeFailure", null);
        exchange.setVariable("externalId", "wamid.1");
        exchange.setVariable("list", List.of(7, 8, 9));
        exchange.setVariable("outcome", Map.of("status", "sent"));
        exchange.setProperty("conversationId", 3L);
        exchange.setProperty("messageId", 5L);
        exchange.setProperty("duplicateId", 8L);
        return exchange;
    }

    static Map<String, Object> row() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("conversationId", 3L);
        row.put("userId", 4L);
        row.put("referenceId", null);
        row.put("duplicateOfId", 5L);
        row.put("contentType", "text");
        row.put("payloadJson", "{\"content\":\"hi\"}");
        row.put("fileUuid", null);
        row.put("both", "body wins over header");
        return row;
    }

    static Stream<String> statements() {
        return Stream.of(
                // no named parameters: positional, from the body
                "SELECT 1 FROM t WHERE a = ?",
                // names: body Map, then headers, then variables
                "SELECT 1 FROM t WHERE a = :?conversationId AND b = :?fromHeader AND c = :?fromVariable AND d = :?both",
                "UPDATE t SET a = :?nothing WHERE b = :?referenceId",
                // expressions, both spellings, each position in the text
                "SELECT :?${variable.tokenSha256}, :?$simple{exchangeProperty.messageId} FROM t WHERE x = :?${header.CamelHttpResponseCode}",
                "INSERT INTO t VALUES (:?${body[payloadJson]}, :?${variable.outcome[status]}, :?${exchangeProperty.duplicateId}, :?userId)",
                "SELECT 1 FROM t WHERE a = CAST(:?${variable.bridgeFailure} AS text) AND b::text = :?${variable.externalId}",
                // not handled here: IN lists and nested expressions go to camel-sql's own strategy
                "SELECT 1 FROM t WHERE id IN (:?in:${variable.list}) AND b = :?fromHeader",
                "SELECT 1 FROM t WHERE id = :?${variable.list[${header.index}]}");
    }

    @ParameterizedTest
    @MethodSource("statements")
    void asCamelSqlItselfForEveryKindOfParameter(String query) throws Exception {
        for (Object body : new Object[] {row(), "a text body", null}) {
            for (int call = 0; call < 2; call++) {
                assertSame(query, exchange(body));
            }
        }
    }

    @Test
    void asCamelSqlItselfForEveryStatementOfTheService() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/sql"))) {
            List<Path> sql = files.filter(file -> file.toString().endsWith(".sql")).sorted().toList();
            assertThat(sql).hasSizeGreaterThan(8);
            for (Path file : sql) {
                // as the sql endpoint reads a statement from its file: the placeholder # becomes ?, comment lines go
                String query = SqlHelper.resolvePlaceholders(Files.readString(file, StandardCharsets.UTF_8), "#");
                Exchange exchange = exchange(row());
                exchange.getMessage().setHeaders(Map.of("CamelHttpResponseCode", 422));
                exchange.getMessage().setBody(row());
                assertThat(named.prepareQuery(query, true, exchange)).as(file.toString()).doesNotContain(":?");
                assertSame(query, exchange);
                assertSame(query, exchange);
            }
        }
    }

    @Test
    void aMissingNameIsTheSameError() {
        String query = "SELECT 1 FROM t WHERE a = :?nowhere";
        Exchange exchange = exchange(row());
        Throwable expected = catchThrowable(() -> values(camelSql, query, exchange));
        assertThat(expected).isNotNull();
        assertThatThrownBy(() -> values(named, query, exchange)).isInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
    }

    @Test
    void withoutNamedParametersAllowedTheTextIsLeftAlone() throws Exception {
        String query = "SELECT 1 FROM t WHERE a = :?conversationId";
        assertThat(named.prepareQuery(query, false, exchange(row()))).isEqualTo(camelSql.prepareQuery(query, false, exchange(row())))
                .isEqualTo(query);
    }

    @Test
    void eachStatementIsReadOnce() throws Exception {
        String query = "SELECT 1 FROM t WHERE a = :?${variable.tokenSha256} AND b = :?fromHeader";
        named.prepareQuery(query, true, exchange(row()));
        NamedSqlParameters.Statement first = named.statement(query);
        assertThat(first.prepared()).isEqualTo("SELECT 1 FROM t WHERE a = ? AND b = ?");
        assertThat(first.parameters()).extracting(parameter -> parameter.name).containsExactly("${variable.tokenSha256}", "fromHeader");
        named.prepareQuery(query, true, exchange(row()));
        assertThat(named.statement(query)).isSameAs(first);
    }

    /** Both strategies give the same statement text and the same values, in order, or fail alike. */
    void assertSame(String query, Exchange exchange) throws Exception {
        String expectedText = camelSql.prepareQuery(query, true, exchange);
        assertThat(named.prepareQuery(query, true, exchange)).as(query).isEqualTo(expectedText);
        Object expected = outcome(camelSql, query, exchange);
        assertThat(outcome(named, query, exchange)).as(query).isEqualTo(expected);
    }

    /** The values, or the failure's class and message. */
    static Object outcome(SqlPrepareStatementStrategy strategy, String query, Exchange exchange) {
        try {
            return values(strategy, query, exchange);
        } catch (Exception failure) {
            return failure.getClass().getName() + ": " + failure.getMessage();
        }
    }

    /** The values a strategy sets on the statement, in order (as the sql producer calls it). */
    static List<Object> values(SqlPrepareStatementStrategy strategy, String query, Exchange exchange) throws Exception {
        String prepared = strategy.prepareQuery(query, true, exchange);
        int expected = (int) prepared.chars().filter(c -> c == '?').count();
        Iterator<?> iterator = strategy.createPopulateIterator(query, prepared, expected, exchange, exchange.getMessage().getBody());
        List<Object> values = new ArrayList<>();
        while (iterator != null && iterator.hasNext()) {
            Object value = iterator.next();
            if (value instanceof Iterator<?> in) {
                List<Object> list = new ArrayList<>();
                in.forEachRemaining(list::add);
                value = list;
            }
            values.add(value);
        }
        return values;
    }

    @Test
    void theStatementGetsTheValuesThroughCamelSqlsOwnSetter() throws Exception {
        String query = "SELECT 1 FROM t WHERE a = :?conversationId AND b = :?${variable.externalId}";
        Exchange exchange = exchange(row());
        PreparedStatement statement = Mockito.mock(PreparedStatement.class);
        String prepared = named.prepareQuery(query, true, exchange);
        named.populateStatement(statement, named.createPopulateIterator(query, prepared, 2, exchange, exchange.getMessage().getBody()), 2);
        Mockito.verify(statement).setObject(1, 3L);
        Mockito.verify(statement).setString(2, "wamid.1");
    }
}
