package chat.platform.duplicate.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import chat.platform.duplicate.problem.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What of a request reaches the routes, decided before anything reads it:
 * <ul>
 * <li>TRACE is a {@code 405} (Tomcat lets it through only so that this reply is a problem too,
 * see {@link TomcatProblemReplies}).</li>
 * <li>A body over {@link #MAX_BODY_BYTES} (1 MiB) is a {@code 413}: at once when its
 * {@code Content-Length} says so, else (chunked) once that much has been read. A chunked body
 * under the limit is kept in memory and handed on; one that cannot be read (broken chunking) is
 * Tomcat's {@code 400}.</li>
 * <li>Everywhere but under Spring Boot's actuator (its base path, {@code /actuator}) the service
 * is its routes' API, which takes no parameters: the request has none. Camel would otherwise
 * turn query and form parameters into headers, so that {@code ?Authorization=Bearer ...}
 * authenticated.</li>
 * <li>Duplicate Message ignores a body (contract), and so does every GET: the route sees none,
 * whatever its type or content. Elsewhere a form body, or a charset Java does not know, is a
 * {@code 415} instead of a failure inside the route.</li>
 * </ul>
 * Paths are compared as Tomcat decoded and normalized them ({@code ;parameters} removed), so that
 * no spelling of a route's path escapes these rules. Refusals are RFC 9457 problems. Ordered
 * before every filter that may read a body.
 * <p>
 * Hand-written because neither Tomcat, Spring Boot nor platform-http limits a non-form body's size
 * or keeps query parameters out of Camel's headers.
 */
@Component("requestGuard")
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class RequestGuard extends OncePerRequestFilter {

    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final Pattern BODY_IGNORED = Pattern.compile("/third-party/v1/conversations/[^/]+/messages/[^/]+/duplicate");
    private static final Set<String> BODY_HEADERS = Set.of("content-type", "content-length", "transfer-encoding", "content-encoding");

    private final String actuator;

    public RequestGuard(@Value("${management.endpoints.web.base-path:/actuator}") String actuatorBasePath) {
        this.actuator = actuatorBasePath;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("TRACE".equals(request.getMethod())) {
            reject(response, new Problem(405, "Method Not Allowed", "TRACE is not allowed."));
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            reject(response, tooLarge());
            return;
        }
        HttpServletRequest passed = request;
        if (request.getContentLengthLong() < 0 && isChunked(request)) {
            byte[] body;
            try {
                body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
            } catch (IOException unreadable) {
                // Broken chunking: Tomcat has already set 400 and renders it through the error page
                if (!response.isCommitted()) {
                    reject(response, new Problem(400, "Bad Request", "The request body could not be read: its chunked encoding is broken."));
                }
                return;
            }
            if (body.length > MAX_BODY_BYTES) {
                reject(response, tooLarge());
                return;
            }
            passed = new BufferedBody(request, body);
        }
        String path = request.getServletPath() + (request.getPathInfo() != null ? request.getPathInfo() : "");
        if (!path.equals(actuator) && !path.startsWith(actuator + "/")) {
            // a GET's body means nothing (RFC 9110): unread, Camel would still hand the route a cached reader
            if (BODY_IGNORED.matcher(path).matches() || "GET".equals(request.getMethod())) {
                passed = new RouteRequest(passed, true);
            } else {
                Problem unsupported = unsupportedBody(request);
                if (unsupported != null) {
                    reject(response, unsupported);
                    return;
                }
                passed = new RouteRequest(passed, false);
            }
        }
        chain.doFilter(passed, response);
    }

    private static boolean isChunked(HttpServletRequest request) {
        String encoding = request.getHeader("Transfer-Encoding");
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private static Problem unsupportedBody(HttpServletRequest request) {
        String type = request.getContentType();
        if (type != null && type.toLowerCase(Locale.ROOT).contains("application/x-www-form-urlencoded")) {
            return new Problem(415, "Unsupported Media Type", "Form bodies are not accepted; send JSON.");
        }
        if (type != null && !declaredCharsetsSupported(type)) {
            return new Problem(415, "Unsupported Media Type", "The body's charset is not supported; send UTF-8.");
        }
        return null;
    }

    /**
     * Every {@code charset=} in the Content-Type names a charset Java has (Camel reads the first,
     * in whatever parameter it stands). Spring's CharacterEncodingFilter has already replaced the
     * request's own character encoding, so the header is what counts.
     */
    static boolean declaredCharsetsSupported(String contentType) {
        String lower = contentType.toLowerCase(Locale.ROOT);
        for (int at = lower.indexOf("charset="); at >= 0; at = lower.indexOf("charset=", at + 1)) {
            int end = contentType.indexOf(';', at);
            String charset = contentType.substring(at + "charset=".length(), end < 0 ? contentType.length() : end)
                    .replace("\"", "").replace("'", "").trim();
            if (!isSupported(charset)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSupported(String charset) {
        try {
            return !charset.isEmpty() && Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    private static Problem tooLarge() {
        return new Problem(413, "Content Too Large", "The request body is larger than 1 MiB (" + MAX_BODY_BYTES + " bytes).");
    }

    private static void reject(HttpServletResponse response, Problem problem) throws IOException {
        response.reset();
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        byte[] json = problem.toJson().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
        response.flushBuffer();
    }

    /** A request whose chunked body this filter has read: the routes read it from memory. */
    static final class BufferedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            return new BodyStream(body);
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String charset = getCharacterEncoding();
            if (charset != null && !isSupported(charset)) {
                throw new UnsupportedEncodingException(charset);
            }
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body),
                    charset != null ? Charset.forName(charset) : StandardCharsets.UTF_8));
        }
    }

    /** A request as the routes see it: no parameters, and no body at all when the body is ignored. */
    static final class RouteRequest extends HttpServletRequestWrapper {

        private final boolean bodyIgnored;

        RouteRequest(HttpServletRequest request, boolean bodyIgnored) {
            super(request);
            this.bodyIgnored = bodyIgnored;
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }

        @Override
        public String getContentType() {
            return bodyIgnored ? null : super.getContentType();
        }

        @Override
        public String getCharacterEncoding() {
            return bodyIgnored ? null : super.getCharacterEncoding();
        }

        @Override
        public int getContentLength() {
            return bodyIgnored ? 0 : super.getContentLength();
        }

        @Override
        public long getContentLengthLong() {
            return bodyIgnored ? 0 : super.getContentLengthLong();
        }

        @Override
        public String getHeader(String name) {
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            if (!bodyIgnored) {
                return super.getHeaderNames();
            }
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream().filter(name -> !hidden(name)).toList());
        }

        private boolean hidden(String name) {
            return bodyIgnored && name != null && BODY_HEADERS.contains(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            return bodyIgnored ? new BodyStream(new byte[0]) : super.getInputStream();
        }

        @Override
        public BufferedReader getReader() throws IOException {
            return bodyIgnored ? new BufferedReader(new InputStreamReader(InputStream.nullInputStream(), StandardCharsets.UTF_8))
                    : super.getReader();
        }
    }

    private static final class BodyStream extends ServletInputStream {

        private final ByteArrayInputStream in;

        BodyStream(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return in.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new IllegalStateException("This body is already in memory: read it at once");
        }
    }
}
