package chat.platform.duplicate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;

class OidcRolesTest {

    static final ConsoleLogins.Oidc DEFAULTS = new ConsoleLogins.Oidc("https://idp.example", "console", "", "roles",
            "operator", "viewer");

    static List<String> roles(Map<String, Object> claims, ConsoleLogins.Oidc oidc) {
        return OidcRoles.authorities(claims, oidc).stream().map(GrantedAuthority::getAuthority).toList();
    }

    @Test
    void aListClaimNamesTheRoles() {
        assertThat(roles(Map.of("roles", List.of("operator")), DEFAULTS)).containsExactly("ROLE_operator");
        assertThat(roles(Map.of("roles", List.of("viewer", "other")), DEFAULTS)).containsExactly("ROLE_viewer");
        assertThat(roles(Map.of("roles", List.of("viewer", "operator")), DEFAULTS)).containsExactly("ROLE_operator", "ROLE_viewer");
    }

    @Test
    void aStringClaimIsSplitAtSpacesAndCommas() {
        assertThat(roles(Map.of("roles", "admin operator"), DEFAULTS)).containsExactly("ROLE_operator");
        assertThat(roles(Map.of("roles", "admin,viewer"), DEFAULTS)).containsExactly("ROLE_viewer");
    }

    @Test
    void noConsoleRoleIsNoAuthority() {
        assertThat(roles(Map.of(), DEFAULTS)).isEmpty();
        assertThat(roles(Map.of("roles", List.of("admin")), DEFAULTS)).isEmpty();
        assertThat(roles(Map.of("roles", 42), DEFAULTS)).isEmpty();
        assertThat(roles(Map.of("roles", List.of(1, 2)), DEFAULTS)).isEmpty();
        // role names are exact
        assertThat(roles(Map.of("roles", List.of("Operator", "operators")), DEFAULTS)).isEmpty();
    }

    @Test
    void theClaimAndTheValuesAreConfigurableAndADottedPathReachesIntoObjects() {
        ConsoleLogins.Oidc keycloak = new ConsoleLogins.Oidc("https://idp.example", "console", "", "realm_access.roles",
                "camel-admin", "camel-reader");
        assertThat(roles(Map.of("realm_access", Map.of("roles", List.of("camel-admin"))), keycloak)).containsExactly("ROLE_operator");
        assertThat(roles(Map.of("realm_access", Map.of("roles", List.of("camel-reader"))), keycloak)).containsExactly("ROLE_viewer");
        assertThat(roles(Map.of("realm_access", "camel-admin"), keycloak)).isEmpty();
        assertThat(roles(Map.of("roles", List.of("camel-admin")), keycloak)).isEmpty();
    }
}
