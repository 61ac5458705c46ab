package chat.platform.duplicate.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import chat.platform.duplicate.config.Misconfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ConsoleLoginsTest {

    @Test
    void nothingSetIsNoLogin() {
        ConsoleLogins logins = ConsoleLogins.from(new MockEnvironment());
        assertThat(logins.any()).isFalse();
        assertThat(logins.sessionTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void theOperatorTheViewerAndSingleSignOn() {
        ConsoleLogins logins = ConsoleLogins.from(new MockEnvironment()
                .withProperty("hawtio.username", "ops").withProperty("hawtio.password", "p1")
                .withProperty("hawtio.viewer-username", "watcher").withProperty("hawtio.viewer-password", "p2")
                .withProperty("hawtio.oidc.issuer-uri", "https://idp.example/realms/x")
                .withProperty("hawtio.oidc.client-id", "console"));
        assertThat(logins.any()).isTrue();
        assertThat(logins.operator()).isEqualTo(new ConsoleLogins.Login("ops", "p1"));
        assertThat(logins.viewer()).isEqualTo(new ConsoleLogins.Login("watcher", "p2"));
        assertThat(logins.oidc()).isEqualTo(new ConsoleLogins.Oidc("https://idp.example/realms/x", "console", "", "roles",
                "operator", "viewer"));
        // no password in a toString (logs, failure reports)
        assertThat(logins.toString()).doesNotContain("p1", "p2");
    }

    @Test
    void eachLoginAloneTurnsTheConsoleOn() {
        assertThat(ConsoleLogins.from(new MockEnvironment().withProperty("hawtio.viewer-username", "w")
                .withProperty("hawtio.viewer-password", "p")).any()).isTrue();
        assertThat(ConsoleLogins.from(new MockEnvironment().withProperty("hawtio.oidc.issuer-uri", "https://idp")
                .withProperty("hawtio.oidc.client-id", "c")).any()).isTrue();
    }

    @Test
    void halfALoginNamesTheVariableToSet() {
        assertMisconfigured(new MockEnvironment().withProperty("hawtio.username", "ops"),
                "HAWTIO_USERNAME is set without HAWTIO_PASSWORD.", "Set HAWTIO_PASSWORD");
        assertMisconfigured(new MockEnvironment().withProperty("hawtio.password", "p"),
                "HAWTIO_PASSWORD is set without HAWTIO_USERNAME.", "Set HAWTIO_USERNAME");
        assertMisconfigured(new MockEnvironment().withProperty("hawtio.viewer-username", "w"),
                "HAWTIO_VIEWER_USERNAME is set without HAWTIO_VIEWER_PASSWORD.", "Set HAWTIO_VIEWER_PASSWORD");
        assertMisconfigured(new MockEnvironment().withProperty("hawtio.oidc.issuer-uri", "https://idp"),
                "HAWTIO_OIDC_ISSUER_URI is set without HAWTIO_OIDC_CLIENT_ID.", "Set HAWTIO_OIDC_CLIENT_ID");
        assertMisconfigured(new MockEnvironment().withProperty("hawtio.oidc.client-id", "c"),
                "HAWTIO_OIDC_CLIENT_ID is set without HAWTIO_OIDC_ISSUER_URI.", "Set HAWTIO_OIDC_ISSUER_URI");
        assertMisconfigured(new MockEnvironment().withProperty("hawtio.username", "same").withProperty("hawtio.password", "a")
                        .withProperty("hawtio.viewer-username", "same").withProperty("hawtio.viewer-password", "b"),
                "HAWTIO_USERNAME and HAWTIO_VIEWER_USERNAME are both same", "Give the viewer a user name of its own.");
    }

    @Test
    void theSessionTimeoutIsADuration() {
        assertThat(timeout("45m")).isEqualTo(Duration.ofMinutes(45));
        assertThat(timeout("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(timeout("900")).isEqualTo(Duration.ofSeconds(900));
        for (String wrong : new String[] {"soon", "30", "-5m", ""}) {
            assertMisconfigured(new MockEnvironment().withProperty("hawtio.session-timeout", wrong),
                    "HAWTIO_SESSION_TIMEOUT is " + wrong + ": not a duration of a minute or more.", "Set HAWTIO_SESSION_TIMEOUT");
        }
    }

    static Duration timeout(String value) {
        return ConsoleLogins.from(new MockEnvironment().withProperty("hawtio.session-timeout", value)).sessionTimeout();
    }

    static void assertMisconfigured(MockEnvironment environment, String description, String action) {
        assertThatThrownBy(() -> ConsoleLogins.from(environment)).isInstanceOfSatisfying(Misconfiguration.class, failure -> {
            assertThat(failure.description()).startsWith(description);
            assertThat(failure.action()).startsWith(action);
        });
    }
}
