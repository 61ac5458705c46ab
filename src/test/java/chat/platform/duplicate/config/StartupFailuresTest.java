package chat.platform.duplicate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.mock.env.MockEnvironment;

class StartupFailuresTest {

    private final StartupFailures analyzer = new StartupFailures(new MockEnvironment()
            .withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/platform?password=secret")
            .withProperty("routes.dir", "/app/routes"));

    @Test
    void theProductionBuildWithoutADatabaseUrlNamesTheVariable() {
        assertThatThrownBy(() -> StartupDefaults.embeddedDatabase(new DeferredLogs(), "not.in.this.Build"))
                .isInstanceOfSatisfying(Misconfiguration.class, failure -> {
                    assertThat(failure.description()).contains("SPRING_DATASOURCE_URL is not set").contains("production build");
                    assertThat(failure.action()).startsWith("Set SPRING_DATASOURCE_URL");
                });
    }

    @Test
    void aMisconfigurationIsReportedAsItsDescriptionAndAction() {
        FailureAnalysis analysis = analyzer.analyze(new IllegalStateException("wrapped", new Misconfiguration("what", "how")));

        assertThat(analysis.getDescription()).isEqualTo("what");
        assertThat(analysis.getAction()).isEqualTo("how");
    }

    @Test
    void aDatabaseThatRefusesOrRejectsTheLoginIsUnreachable() {
        for (String state : new String[] {"08001", "08006", "28P01", "3D000"}) {
            FailureAnalysis analysis = analyzer.analyze(new RuntimeException("flyway", new SQLException("no", state)));
            assertThat(analysis).as(state).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo("The database jdbc:postgresql://db:5432/platform could not be reached: no");
            assertThat(analysis.getAction()).contains("SPRING_DATASOURCE_URL");
        }
        assertThat(analyzer.analyze(new RuntimeException(new SQLException("refused", null, new ConnectException("Connection refused")))))
                .isNotNull();
    }

    @Test
    void otherFailuresAreLeftToSpringBoot() {
        assertThat(analyzer.analyze(new RuntimeException(new SQLException("syntax error", "42601")))).isNull();
        assertThat(analyzer.analyze(new ConnectException("not a database's"))).isNull();
        assertThat(analyzer.analyze(new IllegalStateException("anything"))).isNull();
    }

    @Test
    void aJdbcUrlIsPrintedWithoutItsQuery() {
        assertThat(StartupFailures.withoutQuery("jdbc:postgresql://h/db?user=u&password=p")).isEqualTo("jdbc:postgresql://h/db");
        assertThat(StartupFailures.withoutQuery("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }
}
