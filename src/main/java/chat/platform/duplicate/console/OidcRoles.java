package chat.platform.duplicate.console;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The console role of a single sign-on user, from a claim of the ID token: {@code roles} by
 * default ({@code HAWTIO_OIDC_ROLES_CLAIM}; a dotted path reaches into objects, e.g.
 * {@code realm_access.roles} for Keycloak). The claim is a list of strings or one string of
 * names separated by spaces or commas; the value {@code HAWTIO_OIDC_OPERATOR_ROLE} (default
 * {@code operator}) makes the user the operator, {@code HAWTIO_OIDC_VIEWER_ROLE} (default
 * {@code viewer}) a viewer. Without either the user may not use the console.
 */
final class OidcRoles {

    private OidcRoles() {
    }

    /** {@code ROLE_operator} and/or {@code ROLE_viewer}; empty when the claims name neither. */
    static Set<GrantedAuthority> authorities(Map<String, Object> claims, ConsoleLogins.Oidc oidc) {
        Set<GrantedAuthority> authorities = new LinkedHashSet<>();
        List<String> values = values(claims, oidc.rolesClaim());
        if (values.contains(oidc.operatorRole())) {
            authorities.add(new SimpleGrantedAuthority("ROLE_" + ConsoleLogins.OPERATOR));
        }
        if (values.contains(oidc.viewerRole())) {
            authorities.add(new SimpleGrantedAuthority("ROLE_" + ConsoleLogins.VIEWER));
        }
        return authorities;
    }

    static List<String> values(Map<String, Object> claims, String path) {
        Object value = claims;
        for (String key : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return List.of();
            }
            value = map.get(key);
        }
        List<String> values = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            for (Object item : list) {
                if (item instanceof String text) {
                    values.add(text.strip());
                }
            }
        } else if (value instanceof String text) {
            for (String name : text.split("[\\s,]+")) {
                if (!name.isEmpty()) {
                    values.add(name);
                }
            }
        }
        return values;
    }
}
