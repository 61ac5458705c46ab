package chat.platform.duplicate.console;

import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

import io.hawt.web.auth.AuthenticationConfiguration;
import io.hawt.web.auth.AuthenticationContainerDiscovery;

/**
 * Hawtio's side of the console login: Hawtio takes the user Spring Security has logged in
 * ({@link ConsoleSecurity}), through Spring Security's JAAS login module, so that the console
 * shows who is logged in and its "Log out" ends the Spring Security session.
 * <p>
 * Hawtio's own Spring Security module (hawtio-springboot-security) would do this, but it is not
 * published on Maven Central for Hawtio 5.2.0; this plugs the same JAAS configuration in through
 * Hawtio's documented extension point, {@code hawtio.authenticationContainerDiscoveryClasses}
 * (set by {@link ConsoleSwitch}). Roles are not Hawtio's business here ({@code hawtio.roles=*}):
 * Spring Security lets only the operator and the viewer in, and {@link ConsoleRestrictor} decides
 * what each may do.
 */
public class SpringSecurityHawtioLogin implements AuthenticationContainerDiscovery {

    static final String SPRING_SECURITY_LOGIN_MODULE = "org.springframework.security.authentication.jaas.SecurityContextLoginModule";

    @Override
    public String getContainerName() {
        return "Spring Security";
    }

    @Override
    public boolean registerContainerAuthentication(AuthenticationConfiguration configuration) {
        configuration.setSpringSecurityEnabled(true);
        configuration.addConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(SPRING_SECURITY_LOGIN_MODULE,
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())};
            }
        });
        return true;
    }
}
