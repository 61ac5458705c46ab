package chat.platform.duplicate.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import chat.platform.duplicate.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The project's Flyway migrations create the platform's tables exactly as the contract file
 * {@code src/test/resources/contract/platform-schema.sql} (the contract's file, copied into the
 * repository) declares them: the contract file is run into
 * a fresh database of the same PostgreSQL server and both catalogs are compared. The
 * migrations may add columns, indexes and tables of their own, never change or drop the
 * contract's.
 */
class PlatformSchemaContractTest extends ServiceTest {

    static final String CONTRACT = "/contract/platform-schema.sql";

    private static final String COLUMNS = """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' nullable=' || is_nullable
                   || ' default=' || coalesce(column_default, '-') || ' identity=' || coalesce(identity_generation, '-')
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history'""";
    private static final String CONSTRAINTS = """
            SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'flyway_schema_history'""";

    @Value("${spring.datasource.url}")
    String migratedUrl;

    @Value("${spring.datasource.username}")
    String username;

    @Test
    void theMigratedSchemaHasEveryTableColumnTypeAndConstraintOfTheContract() throws Exception {
        String contractSql;
        try (var in = PlatformSchemaContractTest.class.getResourceAsStream(CONTRACT)) {
            contractSql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String database = "contract_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection migrated = DriverManager.getConnection(migratedUrl, username, "");
                Statement statement = migrated.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String contractUrl = migratedUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        Set<String> contractColumns;
        Set<String> contractConstraints;
        try (Connection contract = DriverManager.getConnection(contractUrl, username, "");
                Statement statement = contract.createStatement()) {
            statement.execute(contractSql);
            contractColumns = strings(contract, COLUMNS);
            contractConstraints = strings(contract, CONSTRAINTS);
        }
        Set<String> migratedColumns;
        Set<String> migratedConstraints;
        try (Connection migrated = DriverManager.getConnection(migratedUrl, username, "")) {
            migratedColumns = strings(migrated, COLUMNS);
            migratedConstraints = strings(migrated, CONSTRAINTS);
        }

        assertThat(contractColumns).as("the contract file declares the platform's tables").hasSizeGreaterThan(40);
        assertThat(migratedColumns).containsAll(contractColumns);
        assertThat(contractConstraints).hasSizeGreaterThan(20);
        assertThat(migratedConstraints).containsAll(contractConstraints);
    }

    private static Set<String> strings(Connection connection, String sql) throws Exception {
        Set<String> result = new TreeSet<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.add(rows.getString(1));
            }
        }
        return result;
    }
}
