package chat.platform.duplicate.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import chat.platform.duplicate.problem.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Spring Security for the console and health only. Its servlet filter is mapped to
 * {@code /actuator/hawtio/*}, {@code /actuator/jolokia/*} and {@code /actuator/health/*}, so no
 * other request (the Client API with its bearer tokens, the bridge's status updates, metrics)
 * ever passes through it: no login, no firewall, no added headers there.
 * <p>
 * With a login configured ({@link ConsoleLogins}):
 * <ul>
 * <li>a browser gets the login page ({@link ConsoleLoginPage}, {@code /actuator/hawtio/login}) or,
 * with single sign-on, the OpenID Connect provider's; the login is a session
 * ({@code HAWTIO_SESSION_TIMEOUT}); Hawtio's "Log out" ({@code /actuator/hawtio/auth/logout}) ends
 * it, and the old session cookie is refused from then on;</li>
 * <li>scripts use HTTP Basic on Jolokia with the same users and roles;</li>
 * <li>every POST (Jolokia's exec and write are only allowed by POST, {@link ConsoleRestrictor})
 * carries the XSRF token: the {@code XSRF-TOKEN} cookie's value in {@code X-XSRF-TOKEN}, as
 * Hawtio's console sends it;</li>
 * <li>after {@code HAWTIO_LOGIN_MAX_FAILURES} (5) wrong passwords for a user name, that name
 * waits {@code HAWTIO_LOGIN_LOCK_DURATION} (60 s) before its next try ({@link LoginThrottle}):
 * 429 with Retry-After for Basic, the reason on the login page for the form;</li>
 * <li>health answers everyone with its status, and a logged-in operator or viewer with its
 * details too ({@code management.endpoint.health.show-details=when-authorized}).</li>
 * </ul>
 * Without a login the console is open on the embedded default, with a warning (and switched off
 * elsewhere, {@link ConsoleSwitch}).
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurity.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("console.audit");
    /** The client registration of the single sign-on; part of its redirect URI. */
    static final String REGISTRATION = "hawtio";

    private static String base(Environment environment) {
        String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Servlet URL patterns: {@code /x/*} also matches {@code /x}. */
    static List<String> guardedPatterns(Environment environment) {
        String base = base(environment);
        return List.of(base + "/hawtio/*", base + "/jolokia/*", base + "/health/*");
    }

    @Bean
    static BeanPostProcessor springSecurityOnlyForTheConsole(Environment environment) {
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
    ConsoleLogins consoleLogins(Environment environment) {
        return ConsoleLogins.from(environment);
    }

    /** Jolokia's restrictor (a Restrictor bean is the one Jolokia's servlet uses). */
    @Bean
    ConsoleRestrictor consoleRestrictor(ConsoleLogins logins) {
        return ConsoleRestrictor.withPolicy(!logins.any());
    }

    @Bean
    LoginThrottle loginThrottle(@Value("${hawtio.login.max-failures:5}") int maxFailures,
            @Value("${hawtio.login.lock-duration:60s}") Duration lockFor) {
        return new LoginThrottle(maxFailures, lockFor, Clock.systemUTC());
    }

    /**
     * The console's user name and password logins (operator, viewer), behind the throttle. Also
     * keeps Spring Boot from making up a user with a generated password.
     */
    @Bean
    AuthenticationProvider consolePasswords(ConsoleLogins logins, LoginThrottle throttle) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        if (logins.operator() != null) {
            users.createUser(User.withUsername(logins.operator().username())
                    .password(Sha256PasswordEncoder.INSTANCE.encode(logins.operator().password()))
                    .roles(ConsoleLogins.OPERATOR).build());
        }
        if (logins.viewer() != null) {
            users.createUser(User.withUsername(logins.viewer().username())
                    .password(Sha256PasswordEncoder.INSTANCE.encode(logins.viewer().password()))
                    .roles(ConsoleLogins.VIEWER).build());
        }
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(Sha256PasswordEncoder.INSTANCE);
        return new ThrottledPasswords(passwords, throttle);
    }

    @Bean
    SecurityFilterChain consoleSecurityFilterChain(HttpSecurity http, Environment environment, ConsoleLogins logins)
            throws Exception {
        String base = base(environment);
        String hawtio = base + "/hawtio";
        String health = base + "/health";
        // whole paths: Jolokia is a servlet of its own, beside Spring MVC's DispatcherServlet
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(paths.matcher(hawtio), paths.matcher(hawtio + "/**"),
                paths.matcher(base + "/jolokia"), paths.matcher(base + "/jolokia/**"),
                paths.matcher(health), paths.matcher(health + "/**")));
        if (!logins.any()) {
            if (Boolean.parseBoolean(environment.getProperty("hawtio.enabled", "true"))) {
                LOG.warn("No console login (HAWTIO_USERNAME/HAWTIO_PASSWORD) on the embedded default: Hawtio ({}/hawtio) "
                        + "and Jolokia ({}/jolokia) are open to anyone who can reach this port.", base, base);
            }
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable())
                    .build();
        }

        String login = hawtio + "/login";
        String singleSignOn = logins.oidc() != null ? hawtio + "/oauth2/authorization/" + REGISTRATION : null;
        boolean form = logins.oidc() == null;
        AuthenticationEntryPoint browser = new LoginUrlAuthenticationEntryPoint(form ? login : singleSignOn);
        AuthenticationEntryPoint scripts = new ScriptEntryPoint();
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(paths.matcher(health), paths.matcher(health + "/**"), paths.matcher(login)).permitAll()
                        .anyRequest().hasAnyRole(ConsoleLogins.OPERATOR, ConsoleLogins.VIEWER))
                .httpBasic(basic -> basic.realmName("hawtio").authenticationEntryPoint(scripts))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, failure) ->
                                (isBrowser(request) ? browser : scripts).commence(request, response, failure))
                        .accessDeniedHandler((request, response, denied) -> problem(response,
                                new Problem(403, "Forbidden", "This login has no console role."))))
                .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new ConsoleCsrfTokenRequestHandler()))
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class)
                .addFilterAfter(new ConsoleLoginPage(login, form, singleSignOn), CsrfCookieFilter.class)
                .logout(logout -> logout.logoutUrl(hawtio + "/auth/logout").logoutSuccessUrl(login + "?logout"));
        // after the login, back to the page asked for, as it was (no "?continue" added to it)
        HttpSessionRequestCache pagesAskedFor = new HttpSessionRequestCache();
        pagesAskedFor.setMatchingRequestParameterName(null);
        http.requestCache(cache -> cache.requestCache(pagesAskedFor));
        SimpleUrlAuthenticationFailureHandler failed = new SimpleUrlAuthenticationFailureHandler(login + "?error");
        SavedRequestAwareAuthenticationSuccessHandler succeeded = new LoggedLogin(hawtio + "/");
        succeeded.setRequestCache(pagesAskedFor);
        if (form) {
            http.formLogin(formLogin -> formLogin.loginPage(login).loginProcessingUrl(login)
                    .successHandler(succeeded).failureHandler(failed));
        } else {
            http.oauth2Login(oauth -> oauth.clientRegistrationRepository(new IssuerRegistration(logins.oidc(), hawtio))
                    .loginPage(login)
                    .authorizationEndpoint(endpoint -> endpoint.baseUri(hawtio + "/oauth2/authorization"))
                    .redirectionEndpoint(endpoint -> endpoint.baseUri(hawtio + "/login/oauth2/code/*"))
                    .userInfoEndpoint(userInfo -> userInfo.oidcUserService(new ConsoleRoleOidcUsers(logins.oidc())))
                    .successHandler(succeeded).failureHandler(failed));
        }
        return http.build();
    }

    /** A browser's page load (not the console's own XHR): it is sent to the login page, not asked for Basic. */
    static boolean isBrowser(HttpServletRequest request) {
        MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return html.matches(request) && !"XMLHttpRequest".equals(request.getHeader("X-Requested-With"));
    }

    /** The text the login page shows for a failed login. */
    static String loginFailureMessage(AuthenticationException failure) {
        if (failure instanceof LoginThrottledException throttled) {
            return "Too many wrong passwords for this user name: try again in " + throttled.retryAfterSeconds() + " s.";
        }
        if (failure instanceof OAuth2AuthenticationException oauth && "access_denied".equals(oauth.getError().getErrorCode())) {
            return oauth.getError().getDescription();
        }
        if (failure instanceof OAuth2AuthenticationException) {
            return "The single sign-on failed. Try again, or ask your identity provider's administrator.";
        }
        return "Wrong user name or password.";
    }

    private static void problem(HttpServletResponse response, Problem problem) throws IOException {
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.getOutputStream().write(problem.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Scripts (and the console's XHR): 401 with a Basic challenge, or 429 while the user name is locked. */
    static final class ScriptEntryPoint implements AuthenticationEntryPoint {
        private final BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();

        ScriptEntryPoint() {
            basic.setRealmName("hawtio");
        }

        @Override
        public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
                throws IOException {
            if (failure instanceof LoginThrottledException throttled) {
                response.setHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
                problem(response, new Problem(429, "Too Many Requests", loginFailureMessage(failure)));
                return;
            }
            response.setHeader("WWW-Authenticate", "Basic realm=\"hawtio\"");
            problem(response, new Problem(401, "Unauthorized", "Log in to the console: a user name and password, "
                    + "or the console's login page."));
        }
    }

    /** A user name refused without a check: too many wrong passwords lately. */
    static final class LoginThrottledException extends AuthenticationException {
        private final long retryAfterSeconds;

        LoginThrottledException(Duration retryAfter) {
            super("too many wrong passwords");
            this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * The password check behind the {@link LoginThrottle}: a locked name is refused before its
     * password is looked at; each wrong password counts, a right one clears the count. Failed
     * logins and locks are logged (logger {@code console.audit}).
     */
    static final class ThrottledPasswords implements AuthenticationProvider {
        private final AuthenticationProvider passwords;
        private final LoginThrottle throttle;

        ThrottledPasswords(AuthenticationProvider passwords, LoginThrottle throttle) {
            this.passwords = passwords;
            this.throttle = throttle;
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            String name = authentication.getName();
            Duration locked = throttle.lockedFor(name);
            if (!locked.isZero()) {
                LoginThrottledException refused = new LoginThrottledException(locked);
                AUDIT.warn("console login refused: user={} is locked for {} s more after repeated wrong passwords",
                        ConsoleRestrictor.clean(name), refused.retryAfterSeconds());
                throw refused;
            }
            try {
                Authentication authenticated = passwords.authenticate(authentication);
                throttle.succeeded(name);
                return authenticated;
            } catch (BadCredentialsException wrong) {
                boolean nowLocked = throttle.failed(name);
                AUDIT.warn("console login failed: user={} (wrong user name or password){}", ConsoleRestrictor.clean(name),
                        nowLocked ? "; the user name is locked for " + throttle.lockedFor(name).toSeconds() + " s" : "");
                throw wrong;
            }
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }

    /** An interactive login (form or single sign-on) is one line of {@code console.audit}. */
    static final class LoggedLogin extends SavedRequestAwareAuthenticationSuccessHandler {
        LoggedLogin(String defaultTarget) {
            setDefaultTargetUrl(defaultTarget);
        }

        @Override
        public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                Authentication authentication) throws ServletException, IOException {
            AUDIT.info("console login: user={} role={}", ConsoleRestrictor.clean(authentication.getName()),
                    authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                            .map(role -> role.replaceFirst("^ROLE_", "")).sorted().reduce((a, b) -> a + "," + b).orElse("none"));
            super.onAuthenticationSuccess(request, response, authentication);
        }
    }

    /**
     * The single sign-on's client registration, read from the provider's discovery document on
     * the first login (not at start: the service starts, and serves its API, while the provider
     * is unreachable; a login then fails until it is back).
     */
    static final class IssuerRegistration implements ClientRegistrationRepository {
        private final ConsoleLogins.Oidc oidc;
        private final String hawtio;
        private volatile ClientRegistration registration;

        IssuerRegistration(ConsoleLogins.Oidc oidc, String hawtio) {
            this.oidc = oidc;
            this.hawtio = hawtio;
        }

        @Override
        public ClientRegistration findByRegistrationId(String registrationId) {
            if (!REGISTRATION.equals(registrationId)) {
                return null;
            }
            ClientRegistration known = registration;
            if (known == null) {
                synchronized (this) {
                    if (registration == null) {
                        registration = discover();
                    }
                    known = registration;
                }
            }
            return known;
        }

        private ClientRegistration discover() {
            boolean confidential = StringUtils.hasText(oidc.clientSecret());
            try {
                return ClientRegistrations.fromIssuerLocation(oidc.issuerUri())
                        .registrationId(REGISTRATION)
                        .clientId(oidc.clientId())
                        .clientSecret(confidential ? oidc.clientSecret() : null)
                        .clientAuthenticationMethod(confidential ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC
                                : ClientAuthenticationMethod.NONE)
                        .scope("openid", "profile")
                        .redirectUri("{baseUrl}" + hawtio + "/login/oauth2/code/{registrationId}")
                        .userNameAttributeName(IdTokenClaimNames.SUB)
                        .build();
            } catch (RuntimeException unreachable) {
                LOG.warn("The OpenID Connect provider {} (HAWTIO_OIDC_ISSUER_URI) could not be asked for its settings: {}",
                        oidc.issuerUri(), unreachable.getMessage());
                throw unreachable;
            }
        }
    }

    /**
     * The single sign-on's user with its console role ({@link OidcRoles}); refused when the ID
     * token names no console role. Named by {@code preferred_username} where the token has it.
     */
    static final class ConsoleRoleOidcUsers implements OAuth2UserService<OidcUserRequest, OidcUser> {
        private final OidcUserService delegate = new OidcUserService();
        private final ConsoleLogins.Oidc oidc;

        ConsoleRoleOidcUsers(ConsoleLogins.Oidc oidc) {
            this.oidc = oidc;
        }

        @Override
        public OidcUser loadUser(OidcUserRequest request) {
            OidcUser user = delegate.loadUser(request);
            Set<GrantedAuthority> authorities = OidcRoles.authorities(user.getClaims(), oidc);
            String nameKey = user.getClaims().get("preferred_username") instanceof String ? "preferred_username"
                    : IdTokenClaimNames.SUB;
            if (authorities.isEmpty()) {
                AUDIT.warn("console login refused: user={} has no console role (claim {} names neither {} nor {})",
                        ConsoleRestrictor.clean(String.valueOf(user.getClaims().get(nameKey))), oidc.rolesClaim(),
                        oidc.operatorRole(), oidc.viewerRole());
                throw new OAuth2AuthenticationException(new OAuth2Error("access_denied",
                        "Your login has no console role: ask for " + oidc.operatorRole() + " or " + oidc.viewerRole()
                                + " in claim " + oidc.rolesClaim() + ".", null));
            }
            return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), nameKey);
        }
    }

    /**
     * SHA-256 compared in constant time. Scripts send the Basic credentials with each Jolokia
     * request, so a deliberately slow hash (bcrypt) would cost a lot of CPU; the password itself
     * is an environment variable of this process anyway, and wrong guesses are throttled.
     */
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

    /**
     * Hawtio's console sends the cookie's raw value in the {@code X-XSRF-TOKEN} header; the login
     * form sends the masked value of the page ({@code _csrf}), which resists BREACH.
     */
    static final class ConsoleCsrfTokenRequestHandler extends CsrfTokenRequestAttributeHandler {
        private final CsrfTokenRequestHandler masked = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
            masked.handle(request, response, token);
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
            return StringUtils.hasText(request.getHeader(token.getHeaderName()))
                    ? super.resolveCsrfTokenValue(request, token) : masked.resolveCsrfTokenValue(request, token);
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
