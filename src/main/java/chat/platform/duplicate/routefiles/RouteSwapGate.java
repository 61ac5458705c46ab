package chat.platform.duplicate.routefiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import chat.platform.duplicate.problem.Problem;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While a live reload swaps the routes of a file, requests for the HTTP paths of those routes
 * wait at the door instead of finding no route (Camel stops the old route, then starts the new
 * one: in between the path is not served). The swap first lets the requests already inside on
 * those paths finish on the old route ({@link #hold}), then replaces the routes, then opens: the
 * waiting requests run on the new route. Other paths are never held, so a route that calls this
 * service over HTTP (the sandbox bridge) is not held by its own caller. At most
 * {@link #MAX_WAITING} requests wait; more are answered 503 with Retry-After. Between swaps a request
 * only passes through a counter; without {@code ROUTES_RELOAD} not even that.
 */
@Component("routeSwapGate")
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class RouteSwapGate extends OncePerRequestFilter {

    /** The longest a swap waits for the requests inside to finish; then it swaps anyway (Camel's graceful stop waits for them). */
    static final Duration DRAIN = Duration.ofSeconds(30);

    /** The longest a request waits for a swap; then it goes on. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    /**
     * At most this many requests wait at once, each on one of Tomcat's 64 threads; more are
     * answered 503 with Retry-After at once, so that the probes and other paths keep threads.
     */
    static final int MAX_WAITING = 32;

    private static final byte[] BUSY = new Problem(503, "Service Unavailable",
            "The routes of this path are being reloaded. Try again in a moment; nothing was done for this request.")
            .toJson().getBytes(StandardCharsets.UTF_8);

    /** The requests inside, with their paths. */
    private final ConcurrentHashMap<HttpServletRequest, String> inside = new ConcurrentHashMap<>();
    private final Object left = new Object();
    private final AtomicInteger waiting = new AtomicInteger();
    private final boolean reload;
    private volatile Swap swap;

    /** Without {@code ROUTES_RELOAD} nothing is ever swapped: requests pass untouched. */
    public RouteSwapGate(@Value("${routes.reload:false}") boolean reload) {
        this.reload = reload;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !reload;
    }

    private record Swap(Pattern paths, CountDownLatch done) {
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        while (true) {
            inside.put(request, path);
            Swap now = swap; // after counting this request in: a swap that starts later waits for it
            if (now == null || !now.paths().matcher(path).matches() || System.nanoTime() > deadline) {
                break;
            }
            leave(request);
            if (waiting.incrementAndGet() > MAX_WAITING) {
                waiting.decrementAndGet();
                response.setStatus(503);
                response.setHeader(HttpHeaders.RETRY_AFTER, "1");
                response.setContentType(Problem.MEDIA_TYPE);
                response.setContentLength(BUSY.length);
                response.getOutputStream().write(BUSY);
                return;
            }
            try {
                now.done().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServletException("interrupted while the routes of " + path + " were swapped", e);
            } finally {
                waiting.decrementAndGet();
            }
        }
        boolean async = false;
        try {
            chain.doFilter(request, response);
            async = request.isAsyncStarted();
            if (async) {
                // platform-http answers asynchronously: the request is inside until its reply is written
                request.getAsyncContext().addListener(new Leave(request));
            }
        } finally {
            if (!async) {
                leave(request);
            }
        }
    }

    private void leave(HttpServletRequest request) {
        inside.remove(request);
        if (swap != null) {
            synchronized (left) {
                left.notifyAll();
            }
        }
    }

    /**
     * Holds new requests for {@code httpPaths} (platform-http paths, {@code {name}} matching one
     * path segment) and waits until those inside have finished (at most {@link #DRAIN}); closing
     * the returned hold lets the waiting ones in. No paths: nothing is held.
     */
    public AutoCloseable hold(Collection<String> httpPaths) throws InterruptedException {
        if (httpPaths.isEmpty()) {
            return () -> { };
        }
        Swap held = new Swap(Pattern.compile(httpPaths.stream().map(RouteSwapGate::regex).collect(Collectors.joining("|"))),
                new CountDownLatch(1));
        swap = held;
        long deadline = System.nanoTime() + DRAIN.toNanos();
        synchronized (left) {
            while (inside.values().stream().anyMatch(path -> held.paths().matcher(path).matches())) {
                long wait = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (wait <= 0) {
                    break;
                }
                left.wait(Math.min(wait, 100));
            }
        }
        return () -> {
            swap = null;
            held.done().countDown();
        };
    }

    /** Requests waiting for a swap now. */
    int waiting() {
        return waiting.get();
    }

    /** A platform-http path as a regular expression: {@code /a/{id}/b} matches {@code /a/7/b}. */
    static String regex(String httpPath) {
        String path = httpPath.startsWith("/") ? httpPath : "/" + httpPath;
        StringBuilder regex = new StringBuilder();
        for (String part : path.split("(?=\\{)|(?<=})")) {
            regex.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
        }
        return regex.toString();
    }

    private final class Leave implements AsyncListener {
        private final HttpServletRequest request;

        Leave(HttpServletRequest request) {
            this.request = request;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            leave(request);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            leave(request);
        }

        @Override
        public void onError(AsyncEvent event) {
            leave(request);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
