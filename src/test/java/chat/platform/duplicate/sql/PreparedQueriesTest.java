package chat.platform.duplicate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

class PreparedQueriesTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final PreparedQueries queries = new PreparedQueries();
    private final DefaultSqlPrepareStatementStrategy camelSql = new DefaultSqlPrepareStatementStrategy();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    /** The query as the sql endpoint hands it over: its placeholder '#' already replaced by '?' (usePlaceholder). */
    private static String asEndpoint(String query) {
        return query.replace('#', '?');
    }

    private Exchange exchange() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setVariable("ids", List.of(1, 2, 3));
        return exchange;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1",
            "SELECT user_id FROM api_tokens WHERE token_sha256 = :#${variable.tokenSha256} AND revoked_at IS NULL",
            "INSERT INTO t (a, b) VALUES (:#a, :#b)",
            "UPDATE t SET a = :#${variable.x} WHERE id = :#id AND b = ?",
            "SELECT * FROM t WHERE a = ? AND b = ?",
            "SELECT ':#not a parameter' AS text, :#a",
            "SELECT * FROM t WHERE a = :?a AND b = :?${header.b}"})
    void asCamelSqlPreparesIt(String routeQuery) throws Exception {
        String query = asEndpoint(routeQuery);
        String expected = camelSql.prepareQuery(query, true, exchange());

        assertThat(queries.prepareQuery(query, true, exchange())).isEqualTo(expected);
        assertThat(queries.prepareQuery(query, true, exchange())).isEqualTo(expected);
        assertThat(queries.prepareQuery(query, false, exchange())).isEqualTo(camelSql.prepareQuery(query, false, exchange()));
    }

    @Test
    void theLoadQueryOfTheRoutesIsPreparedAsCamelSqlDoesAndOnlyOnce() throws Exception {
        String query = asEndpoint(new ClassPathResource("sql/load-message.sql").getContentAsString(StandardCharsets.UTF_8));

        String first = queries.prepareQuery(query, true, exchange());

        assertThat(first).isEqualTo(camelSql.prepareQuery(query, true, exchange()))
                .contains("t.conversation_id = ?").doesNotContain(":?");
        assertThat(queries.prepareQuery(query, true, exchange())).isSameAs(first);
        assertThat(queries.size()).isEqualTo(1);
    }

    /** Everything an iterator of values gives; an IN parameter's values (an iterator) as {in=[...]}. */
    private static List<Object> values(Iterator<?> iterator) {
        List<Object> values = new ArrayList<>();
        iterator.forEachRemaining(value -> values.add(value instanceof Iterator<?> in ? Map.of("in", values(in)) : value));
        return values;
    }

    private Exchange boundExchange(Object body) {
        Exchange exchange = exchange();
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader("b", "from a header");
        exchange.getMessage().setHeader("a", "header a (the body's a wins)");
        exchange.setVariable("x", 42L);
        exchange.setVariable("onlyVariable", "from a variable");
        return exchange;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1",
            "INSERT INTO t (a, b) VALUES (:#a, :#b)",
            "UPDATE t SET a = :#${variable.x} WHERE id = :#a AND b = :#${header.b} AND c = :#onlyVariable",
            "SELECT * FROM t WHERE id IN (:#in:${variable.ids}) AND a = :#a AND n = :#${variable.x}",
            "SELECT * FROM t WHERE id IN (:#in:ids)",
            "SELECT :#${body[a]}, :#$simple{variable.x}, ':#${variable.x}' AS quoted",
            "SELECT a FROM t WHERE a = :#a\n  AND b = :#b -- two lines"})
    void bindsTheSameValuesInTheSameOrderAsCamelSql(String routeQuery) throws Exception {
        String query = asEndpoint(routeQuery);
        Map<String, Object> body = Map.of("a", "body a", "ids", List.of(4, 5));

        for (int call = 0; call < 2; call++) { // the second call uses the names kept from the first
            Exchange ours = boundExchange(body);
            Exchange camels = boundExchange(body);
            List<Object> expected = values(camelSql.createPopulateIterator(query, camelSql.prepareQuery(query, true, camels),
                    1, camels, camels.getMessage().getBody()));

            assertThat(values(queries.createPopulateIterator(query, queries.prepareQuery(query, true, ours), 1, ours,
                    ours.getMessage().getBody()))).isEqualTo(expected);
        }
    }

    @Test
    void aStoreDuplicateLikeQueryBindsBodyValuesAndVariablesInOrder() throws Exception {
        String query = asEndpoint("INSERT INTO m (c, u, k) VALUES (:#conversationId, :#userId, :#${variable.idempotencyKey})");
        Exchange exchange = boundExchange(Map.of("conversationId", 7L, "userId", 9L));
        exchange.setVariable("idempotencyKey", "key-1");

        assertThat(values(queries.createPopulateIterator(query, "", 3, exchange, exchange.getMessage().getBody())))
                .containsExactly(7L, 9L, "key-1");
    }

    @Test
    void aMissingParameterFailsAsInCamelSql() {
        String query = asEndpoint("SELECT :#nowhere");
        Exchange ours = boundExchange(Map.of("a", 1));
        Exchange camels = boundExchange(Map.of("a", 1));

        Throwable expected = catchThrowable(
                () -> values(camelSql.createPopulateIterator(query, "", 1, camels, camels.getMessage().getBody())));
        assertThat(expected).isInstanceOf(RuntimeExchangeException.class);
        assertThatThrownBy(() -> values(queries.createPopulateIterator(query, "", 1, ours, ours.getMessage().getBody())))
                .isInstanceOf(RuntimeExchangeException.class)
                .hasMessage(expected.getMessage().replace(camels.getExchangeId(), ours.getExchangeId()));
    }

    @Test
    void parameterNamesAreCamelSqlsIncludingNestedExpressions() {
        assertThat(PreparedQueries.parameterNames("SELECT :?a, :?${variable.b}, :?in:c, :?in:${header.d}, :?$simple{body}"))
                .containsExactly("a", "${variable.b}", "in:c", "in:${header.d}", "$simple{body}");
        assertThat(PreparedQueries.parameterNames("SELECT :?${variable.list[${variable.i}]} AS x, :?y"))
                .containsExactly("${variable.list[${variable.i}]}", "y");
        assertThat(PreparedQueries.parameterNames("SELECT ? FROM t")).isEmpty();
    }

    @Test
    void aQueryWithInParametersDependsOnTheValuesAndIsNotKept() throws Exception {
        String query = asEndpoint("SELECT * FROM t WHERE id IN (:#in:${variable.ids})");
        Exchange two = exchange();
        two.setVariable("ids", List.of(7, 8));

        assertThat(queries.prepareQuery(query, true, exchange())).isEqualTo("SELECT * FROM t WHERE id IN (?,?,?)");
        assertThat(queries.prepareQuery(query, true, two)).isEqualTo("SELECT * FROM t WHERE id IN (?,?)");
        assertThat(queries.size()).isZero();
    }

    @Test
    void atMostMaxQueriesAreKeptAndFurtherOnesAreStillPrepared() throws Exception {
        for (int i = 0; i < PreparedQueries.MAX_QUERIES + 10; i++) {
            queries.prepareQuery(asEndpoint("SELECT " + i + " WHERE a = :#a"), true, exchange());
        }

        assertThat(queries.size()).isEqualTo(PreparedQueries.MAX_QUERIES);
        assertThat(queries.prepareQuery(asEndpoint("SELECT late WHERE a = :#a AND b = :#${variable.b}"), true, exchange()))
                .isEqualTo("SELECT late WHERE a = ? AND b = ?");
    }

    @Test
    void everySqlEndpointWithoutItsOwnStrategyOrSeparatorGetsThisOne() {
        camel.addComponent("sql", new SqlComponent());
        camel.getCamelContextExtension().registerEndpointCallback(queries);
        SqlPrepareStatementStrategy own = new DefaultSqlPrepareStatementStrategy();
        camel.getRegistry().bind("own", own);
        camel.getRegistry().bind("ds", new SimpleDriverDataSource());

        SqlEndpoint plain = camel.getEndpoint("sql:SELECT 1?dataSource=#ds", SqlEndpoint.class);
        SqlEndpoint withOwn = camel.getEndpoint("sql:SELECT 2?dataSource=#ds&prepareStatementStrategy=#own", SqlEndpoint.class);
        SqlEndpoint otherSeparator = camel.getEndpoint("sql:SELECT 3?dataSource=#ds&separator=;", SqlEndpoint.class);

        assertThat(plain.getPrepareStatementStrategy()).isSameAs(queries);
        assertThat(withOwn.getPrepareStatementStrategy()).isSameAs(own);
        assertThat(otherSeparator.getPrepareStatementStrategy()).isNull();
    }
}
