package chat.platform.duplicate.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

/**
 * The console's login page, {@code GET /actuator/hawtio/login}: the user name and password form
 * (posted back to the same path with the CSRF token) and, with single sign-on, the link to the
 * OpenID Connect provider. It shows why the last login failed (wrong password, too many tries,
 * no console role) and that a logout happened.
 * <p>
 * Served by Spring Security's chain, before Hawtio (whose own page is for logins Hawtio handles
 * itself; with Spring Security Hawtio expects the login to happen before its page loads). Spring
 * Security generates a page of its own only at {@code /login}, outside the actuator path that
 * the console lives under.
 */
final class ConsoleLoginPage extends OncePerRequestFilter {

    private final String path;
    private final boolean form;
    private final String singleSignOn;

    /**
     * @param path where the page is served (and the form is posted)
     * @param form whether the user name and password form is offered
     * @param singleSignOn the URL that starts the OpenID Connect login, or null
     */
    ConsoleLoginPage(String path, boolean form, String singleSignOn) {
        this.path = path;
        this.form = form;
        this.singleSignOn = singleSignOn;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) || !path.equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] page = page(request).getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }

    String page(HttpServletRequest request) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Log in: duplicate-message-service console</title>
                <style>
                body{font-family:system-ui,sans-serif;background:#f0f0f0;margin:0}
                main{max-width:22rem;margin:12vh auto;background:#fff;padding:2rem;border-radius:6px;box-shadow:0 1px 4px #0003}
                h1{font-size:1.3rem;margin-top:0}label{display:block;margin-top:1rem}
                input{width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem}
                button,a.sso{display:block;width:100%;margin-top:1.5rem;padding:.6rem;border:0;border-radius:4px;
                background:#06c;color:#fff;font-size:1rem;text-align:center;text-decoration:none;cursor:pointer}
                p.message{padding:.6rem;border-radius:4px;background:#fdecea}p.message.info{background:#e7f1fa}
                </style>
                </head>
                <body>
                <main>
                <h1>duplicate-message-service console</h1>
                """);
        String message = message(request);
        if (message != null) {
            html.append("<p class=\"message").append(request.getParameter("logout") != null ? " info" : "")
                    .append("\" role=\"alert\">").append(HtmlUtils.htmlEscape(message)).append("</p>\n");
        }
        if (form) {
            CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            html.append("<form method=\"post\" action=\"").append(HtmlUtils.htmlEscape(request.getContextPath() + path))
                    .append("\">\n")
                    .append("<label for=\"username\">User name</label>")
                    .append("<input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>\n")
                    .append("<label for=\"password\">Password</label>")
                    .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n");
            if (csrf != null) {
                html.append("<input type=\"hidden\" name=\"").append(HtmlUtils.htmlEscape(csrf.getParameterName()))
                        .append("\" value=\"").append(HtmlUtils.htmlEscape(csrf.getToken())).append("\">\n");
            }
            html.append("<button type=\"submit\">Log in</button>\n</form>\n");
        }
        if (singleSignOn != null) {
            html.append("<a class=\"sso\" href=\"").append(HtmlUtils.htmlEscape(request.getContextPath() + singleSignOn))
                    .append("\">Log in with single sign-on</a>\n");
        }
        return html.append("</main>\n</body>\n</html>\n").toString();
    }

    /** Why the last login failed (kept in the session by the failure handler), or that the user logged out. */
    private static String message(HttpServletRequest request) {
        if (request.getParameter("logout") != null) {
            return "You have been logged out.";
        }
        if (request.getParameter("error") == null) {
            return null;
        }
        HttpSession session = request.getSession(false);
        Object failure = session == null ? null : session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        if (failure instanceof AuthenticationException exception) {
            session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
            return ConsoleSecurity.loginFailureMessage(exception);
        }
        return "The login failed.";
    }
}
