package chat.platform.duplicate.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Spring Security for Hawtio and Jolokia only. The servlet filter of Spring Security is mapped
 * to {@code /actuator/hawtio/*} and {@code /actuator/jolokia/*} alone, so no other request (the
 * Client API with its bearer tokens, the bridge's status updates, health, metrics) ever passes
 * through it: no login, no firewall, no added headers there.
 * <ul>
 * <li>{@code HAWTIO_USERNAME} and {@code HAWTIO_PASSWORD} set: HTTP Basic login (realm
 * {@code hawtio}) for both paths; Jolokia's POSTs need the {@code XSRF-TOKEN} cookie's value in
 * {@code X-XSRF-TOKEN}, as Hawtio's console sends it;</li>
 * <li>not set: open (on the embedded default, with a warning); outside it {@link HawtioSwitch}
 * has switched both off.</li>
 * </ul>
 * Hawtio's own login stays off ({@code hawtio.authenticationEnabled=false}): this is the login.
 */
@Configuration(proxyBeanMethods = false)
public class HawtioSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(HawtioSecurity.class);

    private static String base(Environment environment) {
        String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Servlet URL patterns: {@code /x/*} also matches {@code /x}. */
    static List<String> guardedPatterns(Environment environment) {
        String base = base(environment);
        return List.of(base + "/hawtio/*", base + "/jolokia/*");
    }

    @Bean
    static BeanPostProcessor springSecurityOnlyForHawtio(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                // Spring Boot's registration of the springSecurityFilterChain filter (SecurityFilterAutoConfiguration)
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration
                        && "securityFilterChainRegistration".equals(beanName)) {
                    registration.setUrlPatterns(guardedPatterns(environment));
                }
                return bean;
            }
        };
    }

    @Bean
    SecurityFilterChain hawtioSecurityFilterChain(HttpSecurity http, Environment environment) throws Exception {
        String base = base(environment);
        // whole paths: Jolokia is a servlet of its own, beside Spring MVC's DispatcherServlet
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(paths.matcher(base + "/hawtio"), paths.matcher(base + "/hawtio/**"),
                paths.matcher(base + "/jolokia"), paths.matcher(base + "/jolokia/**")));
        if (HawtioSwitch.hasCredentials(environment)) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .httpBasic(basic -> basic.realmName("hawtio"))
                    .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                            .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                    .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class);
        } else {
            if (Boolean.parseBoolean(environment.getProperty("hawtio.enabled", "true"))) {
                LOG.warn("No HAWTIO_USERNAME/HAWTIO_PASSWORD on the embedded default: Hawtio ({}/hawtio) and "
                        + "Jolokia ({}/jolokia) are open to anyone who can reach this port.", base, base);
            }
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable());
        }
        return http.build();
    }

    /**
     * The one user: HAWTIO_USERNAME with HAWTIO_PASSWORD (none when they are not set). Also keeps
     * Spring Boot from making up a user with a generated password.
     */
    @Bean
    UserDetailsService hawtioUsers(Environment environment) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        if (HawtioSwitch.hasCredentials(environment)) {
            users.createUser(User.withUsername(environment.getProperty("hawtio.username"))
                    .password(Sha256PasswordEncoder.INSTANCE.encode(environment.getProperty("hawtio.password")))
                    .roles("HAWTIO")
                    .build());
        }
        return users;
    }

    /**
     * SHA-256 compared in constant time. Hawtio's console sends the Basic credentials with each
     * of its frequent Jolokia requests, so a deliberately slow hash (bcrypt) would cost a lot of
     * CPU; the password itself is an environment variable of this process anyway.
     */
    @Bean
    PasswordEncoder hawtioPasswordEncoder() {
        return Sha256PasswordEncoder.INSTANCE;
    }

    enum Sha256PasswordEncoder implements PasswordEncoder {
        INSTANCE;

        @Override
        public String encode(CharSequence rawPassword) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(rawPassword.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            return encodedPassword != null && MessageDigest.isEqual(
                    encode(rawPassword).getBytes(StandardCharsets.US_ASCII), encodedPassword.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Makes the deferred CSRF token load, so that the XSRF-TOKEN cookie is sent to the console. */
    static final class CsrfCookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
