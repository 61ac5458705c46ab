package chat.platform.duplicate.console;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import chat.platform.duplicate.config.Misconfiguration;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Who may log in to the console (Hawtio at {@code /actuator/hawtio}, Jolokia at
 * {@code /actuator/jolokia}), as the environment says:
 * <ul>
 * <li>{@code HAWTIO_USERNAME}/{@code HAWTIO_PASSWORD}: the <b>operator</b>, who may also start,
 * stop, suspend and resume routes and reset their statistics;</li>
 * <li>{@code HAWTIO_VIEWER_USERNAME}/{@code HAWTIO_VIEWER_PASSWORD}: a <b>viewer</b>, who sees
 * everything the operator sees and changes nothing;</li>
 * <li>{@code HAWTIO_OIDC_ISSUER_URI} with {@code HAWTIO_OIDC_CLIENT_ID} (and
 * {@code HAWTIO_OIDC_CLIENT_SECRET} for a confidential client): the browser logs in through that
 * OpenID Connect provider instead of the login form; a claim of the ID token
 * ({@code HAWTIO_OIDC_ROLES_CLAIM}, default {@code roles}) names the role.</li>
 * </ul>
 * Half a login (a user name without its password, a client id without an issuer) is a
 * misconfiguration that stops the start, naming the variable to set.
 */
public record ConsoleLogins(Login operator, Login viewer, Oidc oidc, Duration sessionTimeout) {

    /** The two roles, as Spring Security roles ({@code ROLE_operator}, {@code ROLE_viewer}). */
    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";

    public record Login(String username, String password) {
        @Override
        public String toString() {
            return "Login[" + username + "]";
        }
    }

    public record Oidc(String issuerUri, String clientId, String clientSecret, String rolesClaim, String operatorRole,
            String viewerRole) {
        @Override
        public String toString() {
            return "Oidc[" + issuerUri + ", " + clientId + "]";
        }
    }

    public static ConsoleLogins from(Environment environment) {
        Login operator = login(environment, "hawtio.username", "hawtio.password", "HAWTIO_USERNAME", "HAWTIO_PASSWORD");
        Login viewer = login(environment, "hawtio.viewer-username", "hawtio.viewer-password", "HAWTIO_VIEWER_USERNAME",
                "HAWTIO_VIEWER_PASSWORD");
        if (operator != null && viewer != null && operator.username().equals(viewer.username())) {
            throw new Misconfiguration("HAWTIO_USERNAME and HAWTIO_VIEWER_USERNAME are both " + operator.username()
                    + ": one name cannot be the operator and the viewer.", "Give the viewer a user name of its own.");
        }
        return new ConsoleLogins(operator, viewer, oidc(environment), sessionTimeout(environment));
    }

    /** Anyone can log in at all: the console is on, behind a login. */
    public boolean any() {
        return operator != null || viewer != null || oidc != null;
    }

    private static Login login(Environment environment, String userKey, String passwordKey, String userVariable,
            String passwordVariable) {
        String user = environment.getProperty(userKey);
        String password = environment.getProperty(passwordKey);
        if (!StringUtils.hasText(user) && !StringUtils.hasText(password)) {
            return null;
        }
        if (!StringUtils.hasText(user)) {
            throw new Misconfiguration(passwordVariable + " is set without " + userVariable + ".",
                    "Set " + userVariable + " too, or unset " + passwordVariable + ".");
        }
        if (!StringUtils.hasText(password)) {
            throw new Misconfiguration(userVariable + " is set without " + passwordVariable + ".",
                    "Set " + passwordVariable + " too (from a secret), or unset " + userVariable + ".");
        }
        return new Login(user.strip(), password);
    }

    private static Oidc oidc(Environment environment) {
        String issuer = environment.getProperty("hawtio.oidc.issuer-uri");
        String clientId = environment.getProperty("hawtio.oidc.client-id");
        if (!StringUtils.hasText(issuer)) {
            if (StringUtils.hasText(clientId)) {
                throw new Misconfiguration("HAWTIO_OIDC_CLIENT_ID is set without HAWTIO_OIDC_ISSUER_URI.",
                        "Set HAWTIO_OIDC_ISSUER_URI to the OpenID Connect provider's issuer, or unset HAWTIO_OIDC_CLIENT_ID.");
            }
            return null;
        }
        if (!StringUtils.hasText(clientId)) {
            throw new Misconfiguration("HAWTIO_OIDC_ISSUER_URI is set without HAWTIO_OIDC_CLIENT_ID.",
                    "Set HAWTIO_OIDC_CLIENT_ID (and HAWTIO_OIDC_CLIENT_SECRET for a confidential client) to the "
                            + "console's client at " + issuer + ".");
        }
        return new Oidc(issuer.strip(), clientId.strip(), environment.getProperty("hawtio.oidc.client-secret", ""),
                environment.getProperty("hawtio.oidc.roles-claim", "roles"),
                environment.getProperty("hawtio.oidc.operator-role", OPERATOR),
                environment.getProperty("hawtio.oidc.viewer-role", VIEWER));
    }

    /** {@code HAWTIO_SESSION_TIMEOUT}: {@code 30m}, {@code 900s}, {@code 1h} or plain seconds; default 30 minutes. */
    static Duration sessionTimeout(Environment environment) {
        String value = environment.getProperty("hawtio.session-timeout", "30m");
        Duration timeout;
        try {
            timeout = DurationStyle.detectAndParse(value.strip(), ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            timeout = null;
        }
        if (timeout == null || timeout.toSeconds() < 60) {
            throw new Misconfiguration("HAWTIO_SESSION_TIMEOUT is " + value + ": not a duration of a minute or more.",
                    "Set HAWTIO_SESSION_TIMEOUT to a duration such as 30m, 2h or 900s (plain numbers are seconds).");
        }
        return timeout;
    }
}
