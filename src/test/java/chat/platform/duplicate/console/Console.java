package chat.platform.duplicate.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A console user over HTTP, as a script or the console's page would be: HTTP Basic with a user
 * name and password, or the session of a form login; cookies kept; Jolokia requests by POST with
 * the XSRF token (the {@code XSRF-TOKEN} cookie's value in {@code X-XSRF-TOKEN}), as Hawtio sends them.
 */
final class Console {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Jolokia read of attribute RouteId of every Camel route MBean. */
    static final String ROUTE_IDS = "/actuator/jolokia/read/org.apache.camel:type=routes,*/RouteId";
    /**
     * The MBean of this Camel context. Its JMX name is the context's management name: the
     * service's name (camel.main.name), with a number when several services run in one JVM, as
     * the tests' several Spring contexts do.
     */
    static String context(org.apache.camel.CamelContext camel) {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=context,name=\"" + camel.getName() + "\"";
    }

    private final String base;
    private final String basic;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    private Console(int port, String user, String password) {
        this(port, user, password, HttpClient.Redirect.NEVER);
    }

    private Console(int port, String user, String password, HttpClient.Redirect redirects) {
        this.base = "http://localhost:" + port;
        this.basic = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(redirects).build();
    }

    /** Nobody logged in yet, following redirects as a browser does (to a login provider and back). */
    static Console browser(int port) {
        return new Console(port, null, null, HttpClient.Redirect.NORMAL);
    }

    /** A script: Basic credentials on every request. */
    static Console basic(int port, String user, String password) {
        return new Console(port, user, password);
    }

    /** Nobody logged in. */
    static Console anonymous(int port) {
        return new Console(port, null, null);
    }

    /** A browser that logged in on the login page (user name, password and the page's CSRF field). */
    static Console formLogin(int port, String user, String password) {
        Console console = new Console(port, null, null);
        HttpResponse<String> reply = console.login(user, password);
        if (reply.statusCode() != 302 || reply.headers().firstValue("Location").orElse("").contains("error")) {
            throw new AssertionError("login of " + user + " failed: " + reply.statusCode() + " " + reply.headers().map());
        }
        return console;
    }

    /** Posts the login page's form; the reply is the redirect. */
    HttpResponse<String> login(String user, String password) {
        String page = get("/actuator/hawtio/login").body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        if (!csrf.find()) {
            throw new AssertionError("the login page has no CSRF field: " + page);
        }
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1);
        return send(HttpRequest.newBuilder(URI.create(base + "/actuator/hawtio/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A page load of a browser (Accept: text/html). */
    HttpResponse<String> page(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html,application/xhtml+xml").GET());
    }

    /** The XSRF-TOKEN cookie's value, fetched first when there is none yet. */
    String xsrf() {
        String token = cookie("XSRF-TOKEN");
        if (token == null || token.isEmpty()) {
            get("/actuator/jolokia/version");
            token = cookie("XSRF-TOKEN");
        }
        return token;
    }

    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(cookie -> cookie.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** A Jolokia POST with the XSRF token and no Origin header (a script). */
    HttpResponse<String> jolokia(JsonNode request) {
        return jolokia(request, xsrf(), null);
    }

    HttpResponse<String> jolokia(JsonNode request, String xsrf, String origin) {
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(base + "/actuator/jolokia"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()));
        if (xsrf != null) {
            post.header("X-XSRF-TOKEN", xsrf);
        }
        if (origin != null) {
            post.header("Origin", origin);
        }
        return send(post);
    }

    /** Jolokia's answer to one exec (HTTP 200 with the request's own status inside). */
    JsonNode exec(String mbean, String operation, Object... arguments) {
        ObjectNode request = JSON.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation);
        ArrayNode args = request.putArray("arguments");
        for (Object argument : arguments) {
            args.add(JSON.valueToTree(argument));
        }
        return answer(jolokia(request));
    }

    JsonNode write(String mbean, String attribute, Object value) {
        ObjectNode request = JSON.createObjectNode().put("type", "write").put("mbean", mbean).put("attribute", attribute);
        request.set("value", JSON.valueToTree(value));
        return answer(jolokia(request));
    }

    JsonNode read(String mbean, String attribute) {
        ObjectNode request = JSON.createObjectNode().put("type", "read").put("mbean", mbean);
        if (attribute != null) {
            request.put("attribute", attribute);
        }
        return answer(jolokia(request));
    }

    static JsonNode answer(HttpResponse<String> reply) {
        if (reply.statusCode() != 200) {
            throw new AssertionError("Jolokia answered HTTP " + reply.statusCode() + ": " + reply.body());
        }
        try {
            return JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + reply.body(), e);
        }
    }

    /** The MBean of a route of this Camel context. */
    static String route(org.apache.camel.CamelContext camel, String routeId) {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"" + routeId + "\"";
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        if (basic != null) {
            request.header("Authorization", basic);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
