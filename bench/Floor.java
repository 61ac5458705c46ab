import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The floor of one Duplicate Message: what the operation costs with nothing but plain JDBC and
 * java.net.http (no Camel, no Spring, no inbound HTTP), for bench/run.sh to divide the route's
 * throughput by.
 *
 * <p>Each call does exactly the SQL of one duplicate without Idempotency-Key, with the statements
 * taken from the project's own route files (so they cannot drift): the token lookup
 * ({@code find-token-user}), the load query ({@code select-message}, sql/load-message.sql), the
 * insert of message, send attempt and content ({@code store-duplicate}), the bridge call
 * ({@code POST {bridge}/messages} with the same headers and body), the outcome
 * ({@code record-sent}) and the reload of the duplicate (load query again). Every statement
 * borrows a connection from a fixed pool of --pool connections (the service's Hikari pool is 20)
 * and gives it back, as Camel's sql component does. N caller threads run calls back to back.
 *
 * <pre>
 * java -cp postgresql.jar bench/Floor.java --jdbc URL [--user U] [--password P] --bridge http://127.0.0.1:PORT
 *      [--bridge-token T] --token BEARER --pairs pairs.txt --project DIR
 *      [--threads 32] [--pool 20] [--duration 15] [--warmup 5]
 * </pre>
 *
 * In the service ({@link #duplicate()}, bench step 9) it does the same work, one duplicate per call.
 *
 * Prints one line: FLOOR threads=.. pool=.. requests=.. seconds=.. rps=.. p50_ms=.. p95_ms=.. p99_ms=..
 * max_ms=.. errors=.. cpu_s=.. bridge_failures=.. (errors: failed duplicates in the measured window;
 * bridge_failures: bridge calls not sent, warm-up included, each stored as an error; the first five
 * are printed on stderr)
 */
public class Floor {

    /** One statement of a route: the SQL with ? for each :#${...} and the bound expressions in order. */
    record Statement(String id, String sql, List<String> binds) {
    }

    /** camel-sql's binds: :#${expression} or :#name (a key of the step's body map, else a header or variable). */
    private static final Pattern BIND = Pattern.compile(":#(?:\\$\\{([^}]+)}|(\\w+))");
    private static final Pattern EXTERNAL_ID = Pattern.compile("\"external_id\"\\s*:\\s*\"([^\"]*)\"");

    private static String jdbc;
    private static String user = "";
    private static String password = "";
    private static String bridge;
    private static String bridgeToken = "";
    private static String token;
    private static Path pairsFile;
    private static Path project = Path.of(".");
    private static int threads = 32;
    private static int poolSize = 20;
    private static int duration = 15;
    private static int warmup = 5;

    private static Statement findTokenUser;
    private static Statement loadMessage;
    private static Statement storeDuplicate;
    private static Statement recordSent;
    private static Statement recordError;

    private static BlockingQueue<Connection> pool;
    /** Bridge calls that failed, warm-up included: each one is a stored error the bench's check counts. */
    private static final AtomicLong BRIDGE_FAILURES = new AtomicLong();
    private static HttpClient http;
    private static long[][] pairs;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jdbc" -> jdbc = args[++i];
                case "--user" -> user = args[++i];
                case "--password" -> password = args[++i];
                case "--bridge" -> bridge = args[++i];
                case "--bridge-token" -> bridgeToken = args[++i];
                case "--token" -> token = args[++i];
                case "--pairs" -> pairsFile = Path.of(args[++i]);
                case "--project" -> project = Path.of(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--pool" -> poolSize = Integer.parseInt(args[++i]);
                case "--duration" -> duration = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        setUp();

        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(duration);
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        Thread[] callers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int me = t;
            callers[t] = new Thread(() -> {
                long[] mine = new long[4096];
                int n = 0;
                while (true) {
                    long began = System.nanoTime();
                    if (began >= end) {
                        break;
                    }
                    boolean ok;
                    try {
                        ok = duplicateOnce();
                    } catch (Exception e) {
                        ok = false;
                        if (errors.get() < 5) {
                            System.err.println("floor: " + e);
                        }
                    }
                    long done = System.nanoTime();
                    if (began >= measureFrom && done <= end) {
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = done - began;
                    }
                }
                latencies[me] = mine;
                counts[me] = n;
            }, "floor-caller-" + t);
        }
        for (Thread caller : callers) {
            caller.start();
        }
        long sleepMs = TimeUnit.NANOSECONDS.toMillis(measureFrom - System.nanoTime());
        if (sleepMs > 0) {
            Thread.sleep(sleepMs);
        }
        long cpuStart = processCpuNanos();
        long wallStart = System.nanoTime();
        sleepMs = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (sleepMs > 0) {
            Thread.sleep(sleepMs);
        }
        long cpuEnd = processCpuNanos();
        long wallEnd = System.nanoTime();
        for (Thread caller : callers) {
            caller.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        double seconds = (wallEnd - wallStart) / 1e9;
        System.out.printf("FLOOR threads=%d pool=%d requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f"
                        + " max_ms=%.2f errors=%d cpu_s=%.2f bridge_failures=%d%n",
                threads, poolSize, total, seconds, total / seconds, pct(all, 50), pct(all, 95), pct(all, 99),
                total == 0 ? 0 : all[total - 1] / 1e6, errors.get(), (cpuEnd - cpuStart) / 1e9,
                BRIDGE_FAILURES.get());
        for (Connection connection : pool) {
            connection.close();
        }
        System.exit(0);
    }

    /** The statements from the route files, the pairs, the connection pool and the HTTP client. */
    private static void setUp() throws Exception {
        Path routes = project.resolve("routes");
        findTokenUser = fromRoute(routes.resolve("authenticate.camel.yaml"), "find-token-user");
        loadMessage = fromRoute(routes.resolve("load-message.camel.yaml"), "select-message");
        storeDuplicate = fromRoute(routes.resolve("duplicate-message.camel.yaml"), "store-duplicate");
        recordSent = fromRoute(routes.resolve("send-to-bridge.camel.yaml"), "record-sent");
        recordError = fromRoute(routes.resolve("send-to-bridge.camel.yaml"), "record-error");
        if (System.getenv("FLOOR_SHOW_SQL") != null) {
            for (Statement s : List.of(findTokenUser, loadMessage, storeDuplicate, recordSent, recordError)) {
                System.out.println("-- " + s.id() + " binds " + s.binds() + "\n" + s.sql() + "\n");
            }
        }
        pairs = Files.readAllLines(pairsFile).stream().filter(l -> !l.isBlank())
                .map(l -> Arrays.stream(l.trim().split("\\s+")).mapToLong(Long::parseLong).toArray())
                .toArray(long[][]::new);

        pool = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            Connection connection = DriverManager.getConnection(jdbc, user, password);
            connection.setAutoCommit(true);
            pool.add(connection);
        }
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The floor inside the service (bench step 9, route calibration-floor of
     * bench/calibration.camel.yaml, which creates one as bean benchFloor when it is loaded): the
     * same set-up as {@link #main}, from the service's own environment (SPRING_DATASOURCE_URL,
     * _USERNAME, _PASSWORD, BRIDGE_URL, BRIDGE_TOKEN) and the system properties bench.floor.token,
     * bench.floor.pairs, bench.floor.project and bench.floor.pool.
     */
    public Floor() throws Exception {
        jdbc = System.getenv("SPRING_DATASOURCE_URL");
        user = System.getenv().getOrDefault("SPRING_DATASOURCE_USERNAME", "");
        password = System.getenv().getOrDefault("SPRING_DATASOURCE_PASSWORD", "");
        bridge = System.getenv("BRIDGE_URL");
        bridgeToken = System.getenv().getOrDefault("BRIDGE_TOKEN", "");
        token = System.getProperty("bench.floor.token");
        pairsFile = Path.of(System.getProperty("bench.floor.pairs"));
        project = Path.of(System.getProperty("bench.floor.project"));
        poolSize = Integer.parseInt(System.getProperty("bench.floor.pool", String.valueOf(poolSize)));
        setUp();
    }

    /**
     * One duplicate, exactly as a floor caller does it, so that the service around it is all that
     * differs from the floor.
     *
     * @throws IllegalStateException when the duplicate failed (the route answers 500)
     */
    public String duplicate() throws Exception {
        if (!duplicateOnce()) {
            throw new IllegalStateException("floor: a duplicate failed");
        }
        return "{\"data\":{}}";
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** One Duplicate Message, as the routes do it; false when a step failed. */
    private static boolean duplicateOnce() throws Exception {
        long[] pair = pairs[ThreadLocalRandom.current().nextInt(pairs.length)];
        Map<String, Object> v = new LinkedHashMap<>();
        // authenticate: SHA-256 of the bearer token, then api_tokens
        v.put("variable.tokenSha256", sha256(token));
        v.put("variable.idempotencyKey", null); // a request without Idempotency-Key
        List<Object[]> tokenRows = query(findTokenUser, v);
        if (tokenRows.isEmpty()) {
            return false;
        }
        long userId = ((Number) tokenRows.get(0)[0]).longValue();
        v.put("variable.conversationId", pair[0]);
        v.put("variable.messageId", pair[1]);
        // load-original
        List<Map<String, Object>> original = rows(query(loadMessage, v), loadColumns);
        if (original.isEmpty() || !"agent".equals(original.get(0).get("sender"))) {
            return false;
        }
        Map<String, Object> message = original.get(0);
        Object contentsJson = message.get("contents");
        List<?> contents = contentsJson == null ? List.of() : (List<?>) Json.parse(contentsJson.toString());
        if (contents.size() != 1) {
            return false;
        }
        Map<?, ?> content = (Map<?, ?>) contents.get(0);
        Object referenceId = message.get("reference_id");
        String referenceExternalId = original.size() > 1 ? (String) original.get(1).get("external_id") : null;
        // store-duplicate: the row map of DuplicateRules.row
        v.put("row.conversationId", ((Number) message.get("conversation_id")).longValue());
        v.put("row.userId", userId);
        v.put("row.referenceId", referenceId == null ? null : ((Number) referenceId).longValue());
        v.put("row.duplicateOfId", ((Number) message.get("id")).longValue());
        v.put("row.contentType", content.get("type"));
        v.put("row.payloadJson", Json.write(content.get("payload")));
        v.put("row.fileUuid", null);
        long duplicateId = ((Number) query(storeDuplicate, v).get(0)[0]).longValue();
        v.put("variable.duplicateId", duplicateId);
        // send-to-bridge: same body and headers as BridgeRequests.body
        Map<String, Object> bridgeContent = new LinkedHashMap<>();
        bridgeContent.put("type", content.get("type"));
        bridgeContent.put("text", ((Map<?, ?>) content.get("payload")).get("content"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message_id", duplicateId);
        body.put("conversation_id", message.get("conversation_id"));
        body.put("channel", message.get("channel"));
        body.put("recipient", message.get("recipient"));
        body.put("reply_to_external_id", referenceExternalId);
        body.put("content", bridgeContent);
        HttpRequest request = HttpRequest.newBuilder(URI.create(bridge + "/messages"))
                .timeout(Duration.ofSeconds(5))
                .header("Idempotency-Key", "message-" + duplicateId)
                .header("Authorization", "Bearer " + bridgeToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build();
        boolean sent;
        String reply;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            sent = response.statusCode() / 100 == 2;
            reply = response.statusCode() + " " + response.body();
            if (sent) {
                Matcher id = EXTERNAL_ID.matcher(response.body());
                v.put("variable.externalId", id.find() ? id.group(1) : null);
            }
        } catch (IOException e) {
            sent = false;
            reply = e.toString();
        }
        if (sent) {
            update(recordSent, v);
        } else {
            if (BRIDGE_FAILURES.incrementAndGet() <= 5) {
                System.err.println("floor: message-" + duplicateId + " not sent: " + reply);
            }
            v.put("variable.bridgeFailure", "bridge replied " + reply);
            update(recordError, v);
        }
        // load-duplicate: the duplicate as stored after the send
        v.put("variable.messageId", duplicateId);
        List<Map<String, Object>> reloaded = rows(query(loadMessage, v), loadColumns);
        return sent && !reloaded.isEmpty();
    }

    private static volatile String[] loadColumns;

    private static List<Map<String, Object>> rows(List<Object[]> raw, String[] columns) {
        List<Map<String, Object>> out = new ArrayList<>(raw.size());
        for (Object[] row : raw) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < columns.length; i++) {
                map.put(columns[i], row[i]);
            }
            out.add(map);
        }
        return out;
    }

    private static Connection borrow() throws InterruptedException, SQLException {
        Connection connection = pool.poll(2, TimeUnit.SECONDS); // Hikari's connection-timeout: 2000
        if (connection == null) {
            throw new SQLException("floor: no connection within 2 s");
        }
        return connection;
    }

    private static List<Object[]> query(Statement statement, Map<String, Object> v) throws Exception {
        Connection connection = borrow();
        try (PreparedStatement ps = connection.prepareStatement(statement.sql())) {
            bind(ps, statement, v);
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                if (statement == loadMessage && loadColumns == null) {
                    String[] names = new String[n];
                    for (int i = 0; i < n; i++) {
                        names[i] = rs.getMetaData().getColumnLabel(i + 1);
                    }
                    loadColumns = names;
                }
                List<Object[]> out = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    out.add(row);
                }
                return out;
            }
        } finally {
            pool.put(connection);
        }
    }

    private static int update(Statement statement, Map<String, Object> v) throws Exception {
        Connection connection = borrow();
        try (PreparedStatement ps = connection.prepareStatement(statement.sql())) {
            bind(ps, statement, v);
            return ps.executeUpdate();
        } finally {
            pool.put(connection);
        }
    }

    private static void bind(PreparedStatement ps, Statement statement, Map<String, Object> v) throws SQLException {
        int i = 1;
        for (String bound : statement.binds()) {
            String name = bound;
            if (bound.startsWith("name:")) {
                // :#name: the step's body map (store-duplicate sends the row map), else a variable
                String key = bound.substring("name:".length());
                name = v.containsKey("row." + key) ? "row." + key : "variable." + key;
            }
            if (!v.containsKey(name)) {
                throw new IllegalStateException("the route's " + statement.id() + " binds ${" + name
                        + "}, which Floor does not know: the route changed, update bench/Floor.java");
            }
            Object value = v.get(name);
            if (value == null) {
                ps.setNull(i++, Types.NULL);
            } else {
                ps.setObject(i++, value);
            }
        }
    }

    /** The SQL of step stepId in a route file: its uri (inline or a folded block), sql: stripped. */
    static Statement fromRoute(Path file, String stepId) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int step = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("id: " + stepId)) {
                step = i;
                break;
            }
        }
        if (step < 0) {
            throw new IllegalStateException("no step " + stepId + " in " + file);
        }
        int uri = step + 1;
        while (!lines.get(uri).trim().startsWith("uri:")) {
            uri++;
        }
        String line = lines.get(uri);
        int indent = line.indexOf("uri:");
        String value = line.substring(indent + 4).trim();
        if (value.startsWith(">") || value.startsWith("|")) {
            StringBuilder block = new StringBuilder();
            for (int i = uri + 1; i < lines.size(); i++) {
                String next = lines.get(i);
                if (!next.isBlank() && (next.length() - next.stripLeading().length()) <= indent) {
                    break;
                }
                block.append(next.strip()).append('\n');
            }
            value = block.toString().strip();
        } else if (value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (!value.startsWith("sql:")) {
            throw new IllegalStateException("step " + stepId + " of " + file + " is not sql: " + value);
        }
        String sql = value.substring(4);
        if (sql.startsWith("classpath:")) {
            sql = Files.readString(project.resolve("src/main/resources").resolve(sql.substring(10)));
        }
        List<String> binds = new ArrayList<>();
        Matcher bind = BIND.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (bind.find()) {
            binds.add(bind.group(1) != null ? bind.group(1) : "name:" + bind.group(2));
            bind.appendReplacement(out, "?");
        }
        bind.appendTail(out);
        return new Statement(stepId, out.toString(), binds);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Just enough JSON (objects, arrays, strings, numbers, true/false/null) for the floor. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json json = new Json(text);
            Object value = json.value();
            json.ws();
            if (json.i != text.length()) {
                throw new IllegalArgumentException("trailing JSON at " + json.i);
            }
            return value;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> map = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return map;
                    }
                    while (true) {
                        ws();
                        String key = string();
                        ws();
                        i++; // :
                        map.put(key, value());
                        ws();
                        if (s.charAt(i++) == '}') {
                            return map;
                        }
                    }
                }
                case '[' -> {
                    i++;
                    List<Object> list = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return list;
                    }
                    while (true) {
                        list.add(value());
                        ws();
                        if (s.charAt(i++) == ']') {
                            return list;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    int start = i;
                    while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                    String word = s.substring(start, i);
                    return switch (word) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        default -> word.contains(".") || word.contains("e") || word.contains("E")
                                ? (Object) Double.valueOf(word) : (Object) Long.valueOf(word);
                    };
                }
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            i++; // opening quote
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String text) {
                out.append('"');
                for (int k = 0; k < text.length(); k++) {
                    char c = text.charAt(k);
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        case '\t' -> out.append("\\t");
                        default -> {
                            if (c < 0x20) {
                                out.append(String.format("\\u%04x", (int) c));
                            } else {
                                out.append(c);
                            }
                        }
                    }
                }
                out.append('"');
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(entry.getKey().toString(), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int k = 0; k < list.size(); k++) {
                    if (k > 0) {
                        out.append(',');
                    }
                    write(list.get(k), out);
                }
                out.append(']');
            } else {
                out.append(value);
            }
        }
    }
}
