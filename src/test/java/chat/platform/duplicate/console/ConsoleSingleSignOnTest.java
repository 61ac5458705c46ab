package chat.platform.duplicate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import chat.platform.duplicate.support.ServiceTest;
import com.nimbusds.jose.JOSEObjectType;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Single sign-on to the console through a real OpenID Connect provider (mock-oauth2-server):
 * the browser is sent to the provider and back, the ID token's {@code roles} claim makes the
 * user the operator or a viewer, and a user with neither is refused. Scripts keep HTTP Basic with
 * the local logins. Its own context: the shared configuration plus the provider.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsoleSingleSignOnTest extends ServiceTest {

    @Autowired
    CamelContext camelContext;

    String context() {
        return Console.context(camelContext);
    }

    String route(String routeId) {
        return Console.route(camelContext, routeId);
    }

    static final MockOAuth2Server PROVIDER = new MockOAuth2Server();
    static final String ISSUER = "platform";
    static final String CLIENT = "duplicate-message-console";

    static {
        PROVIDER.start(0);
    }

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        registry.add("hawtio.oidc.issuer-uri", () -> PROVIDER.issuerUrl(ISSUER).toString());
        registry.add("hawtio.oidc.client-id", () -> CLIENT);
        registry.add("hawtio.oidc.client-secret", () -> "client-secret");
    }

    /** The provider's next login is {@code user} with these roles in the ID token. */
    static void nextLogin(String user, Object roles) {
        Map<String, Object> claims = roles == null ? Map.of("preferred_username", user)
                : Map.of("preferred_username", user, "roles", roles);
        PROVIDER.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, "subject-" + user, JOSEObjectType.JWT.getType(),
                List.of(CLIENT), claims, 3600));
    }

    @Test
    void theBrowserLogsInAtTheProviderAndTheRolesClaimMakesTheOperator(CapturedOutput output) {
        nextLogin("alice", List.of("operator"));
        Console alice = Console.browser(port);

        HttpResponse<String> console = alice.page("/actuator/hawtio/");

        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.uri().getPath()).isEqualTo("/actuator/hawtio/");
        assertThat(console.body()).containsIgnoringCase("hawtio");
        assertThat(alice.get("/actuator/hawtio/user").body().strip()).isEqualTo("\"alice\"");
        String route = route("purge-expired-idempotency-keys");
        assertThat(alice.exec(route, "stop()").path("status").asInt()).isEqualTo(200);
        assertThat(alice.exec(route, "start()").path("status").asInt()).isEqualTo(200);
        assertThat(output).contains("console login: user=alice role=operator");
        assertThat(output).contains("console exec allowed: user=alice role=operator");
    }

    @Test
    void aViewerOfTheProviderOnlyReads() {
        nextLogin("bob", "viewer");
        Console bob = Console.browser(port);

        assertThat(bob.page("/actuator/hawtio/").statusCode()).isEqualTo(200);

        assertThat(bob.exec(context(), "dumpRoutesAsXml()").path("status").asInt()).isEqualTo(200);
        assertThat(bob.exec(route("purge-expired-idempotency-keys"), "stop()").path("status").asInt()).isEqualTo(403);
        assertThat(json(bob.get("/actuator/health").body()).path("components").has("db")).isTrue();
    }

    @Test
    void aUserWithoutAConsoleRoleIsRefusedAndToldWhy(CapturedOutput output) {
        nextLogin("carol", List.of("accounting"));
        Console carol = Console.browser(port);

        HttpResponse<String> reply = carol.page("/actuator/hawtio/");

        assertThat(reply.uri().getPath()).isEqualTo("/actuator/hawtio/login");
        assertThat(reply.body()).contains("Your login has no console role: ask for operator or viewer in claim roles.");
        assertThat(reply.body()).contains("Log in with single sign-on").doesNotContain("type=\"password\"");
        assertThat(carol.get(Console.ROUTE_IDS).statusCode()).isEqualTo(401);
        assertThat(output).contains("console login refused: user=carol has no console role");
    }

    @Test
    void scriptsKeepBasicWithTheLocalLogins() {
        Console script = Console.basic(port, HAWTIO_USERNAME, HAWTIO_PASSWORD);
        assertThat(script.get(Console.ROUTE_IDS).statusCode()).isEqualTo(200);
        assertThat(Console.basic(port, "alice", "anything").get(Console.ROUTE_IDS).statusCode()).isEqualTo(401);
    }
}
