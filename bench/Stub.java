import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fast stand-in for the messenger bridge (bridge-api.md), for the benchmark only.
 *
 * <pre>
 * java bench/Stub.java --port 18090 [--token T] [--delay-ms 0] [--fail-ratio 0] [--threads 400] [--max-seconds 1800]
 * </pre>
 *
 * POST /messages answers 200 {"external_id":"b-n"} after --delay-ms; a share --fail-ratio of the
 * attempts (spread evenly: with 0.3333 every third) answers 503 instead, after the same delay.
 * It counts attempts, unique Idempotency-Keys, keys accepted more than once, and checks that
 * the key is message-{message_id of the body} and that the bearer token is --token.
 *
 * Control (loopback only, for bench/run.sh):
 *   GET  /__stats                      one JSON line of counters
 *   GET  /__keys                       one line per key: key attempts accepted
 *   POST /__reset                      zero everything
 *   POST /__config?delayMs=..&failRatio=..
 *   POST /v1/traces                    an OTLP/HTTP trace sink: 200, counts requests and bytes (the service's traces)
 *
 * Binds 127.0.0.1 only and exits by itself after --max-seconds.
 */
public class Stub {

    private static final Pattern MESSAGE_ID = Pattern.compile("\"message_id\"\\s*:\\s*(\\d+)");

    private static final java.util.concurrent.atomic.AtomicLong traceRequests = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong traceBytes = new java.util.concurrent.atomic.AtomicLong();
    private static volatile long delayMs;
    private static volatile double failRatio;
    private static volatile String token;

    private static final AtomicLong attempts = new AtomicLong();
    private static final AtomicLong accepted = new AtomicLong();
    private static final AtomicLong failed = new AtomicLong();
    private static final AtomicLong refused = new AtomicLong();
    private static final AtomicLong badKey = new AtomicLong();
    private static final AtomicLong badToken = new AtomicLong();
    private static final AtomicLong externalIds = new AtomicLong();
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger maxInFlight = new AtomicInteger();
    /** key -> {attempts, accepted} */
    private static final Map<String, long[]> keys = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        // The JDK HttpServer leaves Nagle on by default: on a kept-alive connection the reply then
        // waits ~40 ms for the client's delayed ACK. A real bridge would not add that to every send.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // It also closes a connection that turns idle while 200 others are idle: the service's
        // pool (up to 200 kept-alive connections) and the peer's connections together are more,
        // and a client that sent on such a connection got no reply ("HTTP/1.1 header parser
        // received no bytes": a stored error the check counts).
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "1000");
        }
        int port = 0;
        int threads = 400;
        long maxSeconds = 1800;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--token" -> token = args[++i];
                case "--delay-ms" -> delayMs = Long.parseLong(args[++i]);
                case "--fail-ratio" -> failRatio = Double.parseDouble(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--max-seconds" -> maxSeconds = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.createContext("/messages", Stub::message);
        server.createContext("/__stats", exchange -> reply(exchange, 200, stats()));
        server.createContext("/v1/traces", exchange -> {
            traceBytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
            traceRequests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/__keys", exchange -> {
            StringBuilder out = new StringBuilder();
            keys.forEach((key, counts) -> {
                synchronized (counts) {
                    out.append(key).append(' ').append(counts[0]).append(' ').append(counts[1]).append('\n');
                }
            });
            reply(exchange, 200, out.toString());
        });
        server.createContext("/__reset", exchange -> {
            traceRequests.set(0);
            traceBytes.set(0);
            attempts.set(0);
            accepted.set(0);
            failed.set(0);
            refused.set(0);
            badKey.set(0);
            badToken.set(0);
            maxInFlight.set(inFlight.get());
            keys.clear();
            reply(exchange, 200, stats());
        });
        server.createContext("/__config", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    String[] kv = pair.split("=", 2);
                    if (kv.length == 2 && kv[0].equals("delayMs")) {
                        delayMs = Long.parseLong(kv[1]);
                    } else if (kv.length == 2 && kv[0].equals("failRatio")) {
                        failRatio = Double.parseDouble(kv[1]);
                    }
                }
            }
            reply(exchange, 200, stats());
        });
        server.start();
        System.out.println("bridge stub on http://127.0.0.1:" + server.getAddress().getPort()
                + " delayMs=" + delayMs + " failRatio=" + failRatio + " threads=" + threads);
        Thread.sleep(maxSeconds * 1000);
        System.out.println("bridge stub: --max-seconds reached, stopping");
        server.stop(0);
        pool.shutdownNow();
        System.exit(0);
    }

    private static void message(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "{\"error\":\"method\"}");
                return;
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                badToken.incrementAndGet();
            }
            if (key == null) {
                refused.incrementAndGet();
                reply(exchange, 400, "{\"error\":\"Idempotency-Key missing\"}");
                return;
            }
            Matcher id = MESSAGE_ID.matcher(body);
            if (!id.find() || !key.equals("message-" + id.group(1))) {
                badKey.incrementAndGet();
            }
            long n = attempts.incrementAndGet();
            long[] counts = keys.computeIfAbsent(key, k -> new long[2]);
            synchronized (counts) {
                counts[0]++;
            }
            long wait = delayMs;
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            double ratio = failRatio;
            boolean fail = ratio > 0 && Math.floor(n * ratio) > Math.floor((n - 1) * ratio);
            if (fail) {
                failed.incrementAndGet();
                reply(exchange, 503, "{\"error\":\"bench stub: temporarily unavailable\"}");
                return;
            }
            synchronized (counts) {
                counts[1]++;
            }
            accepted.incrementAndGet();
            reply(exchange, 200, "{\"external_id\":\"b-" + externalIds.incrementAndGet() + "\"}");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static String stats() {
        long unique = keys.size();
        long doubled = keys.values().stream().filter(c -> c[1] > 1).count();
        long neverAccepted = keys.values().stream().filter(c -> c[1] == 0).count();
        return "{\"attempts\":" + attempts.get() + ",\"accepted\":" + accepted.get() + ",\"failed\":" + failed.get()
                + ",\"refused\":" + refused.get() + ",\"unique_keys\":" + unique + ",\"keys_accepted_twice\":" + doubled
                + ",\"keys_never_accepted\":" + neverAccepted + ",\"bad_key\":" + badKey.get()
                + ",\"bad_token\":" + badToken.get() + ",\"in_flight\":" + inFlight.get()
                + ",\"max_in_flight\":" + maxInFlight.get() + ",\"delay_ms\":" + delayMs
                + ",\"fail_ratio\":" + failRatio + ",\"trace_requests\":" + traceRequests.get()
                + ",\"trace_bytes\":" + traceBytes.get() + "}\n";
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
