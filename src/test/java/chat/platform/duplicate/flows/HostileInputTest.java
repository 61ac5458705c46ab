package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import chat.platform.duplicate.support.RawHttp;
import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Hostile input, as tables: whatever a caller sends, the reply is never a 500, a stack trace or
 * anything but {@code application/problem+json} when it is not a 2xx, nothing is written to the
 * database, and no secret reaches the logs. Requests go over a raw socket ({@link RawHttp}), so
 * that paths {@link java.net.URI} refuses and malformed HTTP are sent as they are.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileInputTest extends ServiceTest {

    private static final String CANARY = "SECRET-TOKEN-canary-" + UUID.randomUUID();
    private static final int MIB = 1024 * 1024;

    private String token;
    private long userId;
    private long conversationId;
    private long messageId;
    private String duplicatePath;

    @BeforeEach
    void caller() {
        userId = fixtures.user("Agent Hostile");
        token = fixtures.token(userId);
        conversationId = fixtures.conversation("+31600000001");
        messageId = fixtures.message(conversationId, "agent").text("Hello");
        duplicatePath = "/third-party/v1/conversations/" + conversationId + "/messages/" + messageId + "/duplicate";
        bridgeAcceptsAll("wamid.hostile-");
    }

    // ---------------------------------------------------------------------------------------
    // Path ids
    // ---------------------------------------------------------------------------------------

    /** Path templates: {c} and {m} are a real conversation and agent message, so only the hostile part is wrong. */
    static Stream<Arguments> hostilePaths() {
        String conversations = "/third-party/v1/conversations/";
        return Stream.of(
                arguments("arabic-indic digit one, encoded", conversations + "%D9%A1/messages/{m}/duplicate", 400),
                arguments("arabic-indic digit one, raw UTF-8 bytes", conversations + "\u0661/messages/{m}/duplicate", 400),
                arguments("fullwidth digit one", conversations + "{c}/messages/%EF%BC%91/duplicate", 400),
                arguments("superscript one", conversations + "%C2%B9/messages/{m}/duplicate", 400),
                arguments("accented letter", conversations + "%C3%A9/messages/{m}/duplicate", 400),
                arguments("emoji", conversations + "{c}/messages/%F0%9F%98%80/duplicate", 400),
                arguments("invalid UTF-8", conversations + "%FF/messages/{m}/duplicate", 400),
                arguments("overlong UTF-8 slash", conversations + "1%C0%AF2/messages/{m}/duplicate", 400),
                arguments("encoded slash", conversations + "1%2F2/messages/{m}/duplicate", 400),
                arguments("encoded slash, lower case", conversations + "{c}/messages/1%2f2/duplicate", 400),
                arguments("encoded backslash", conversations + "1%5C2/messages/{m}/duplicate", 400),
                arguments("raw backslash", conversations + "1\\2/messages/{m}/duplicate", 400),
                arguments("dot-dot as an id", conversations + "../messages/{m}/duplicate", 400),
                arguments("encoded dot-dot as an id", conversations + "%2E%2E/messages/{m}/duplicate", 400),
                arguments("dot-dot out of the route", conversations + "{c}/messages/{m}/../../../../etc/passwd", 404),
                arguments("dot-dot above the root", "/../../etc/passwd", 400),
                arguments("SQL after a path-parameter semicolon", conversations + "{c};DROP%20TABLE%20messages/messages/{m}/duplicate", 400),
                arguments("SQL, encoded semicolon", conversations + "1%3BDROP%20TABLE%20messages/messages/{m}/duplicate", 400),
                arguments("SQL quote, encoded", conversations + "1%27%20OR%20%271%27%3D%271/messages/{m}/duplicate", 400),
                arguments("SQL quote, raw (spaces break the request line)", conversations + "1' OR '1'='1/messages/{m}/duplicate", 400),
                arguments("SQL in the message id", conversations + "{c}/messages/{m}%20OR%201%3D1/duplicate", 400),
                arguments("path parameter after a valid id", conversations + "{c};jsessionid=1/messages/{m}/duplicate", 400),
                arguments("NUL after digits", conversations + "1%00/messages/{m}/duplicate", 400),
                arguments("NUL alone", conversations + "{c}/messages/%00/duplicate", 400),
                arguments("encoded percent", conversations + "%25/messages/{m}/duplicate", 400),
                arguments("7,000-digit id (under the header limit)", conversations + "1".repeat(7_000) + "/messages/{m}/duplicate", 400),
                arguments("10,000-digit id (over the header limit)", conversations + "1".repeat(10_000) + "/messages/{m}/duplicate", 400),
                arguments("10,000-character id", conversations + "{c}/messages/" + "a".repeat(10_000) + "/duplicate", 400),
                arguments("empty id", conversations + "/messages/{m}/duplicate", 404),
                arguments("trailing slash", conversations + "{c}/messages/{m}/duplicate/", 404));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("hostilePaths")
    void hostilePathIdsAreProblemsAndWriteNothing(String name, String template, int expected) {
        String path = template.replace("{c}", String.valueOf(conversationId)).replace("{m}", String.valueOf(messageId));
        long messages = fixtures.count("messages");
        long contents = fixtures.count("message_contents");

        RawHttp.Reply reply = RawHttp.send(port, RawHttp.head("POST " + path + " HTTP/1.1",
                "Host: localhost", "Authorization: Bearer " + token, "Content-Length: 0", "Connection: close"));

        assertProblem(reply, expected);
        assertThat(fixtures.count("messages")).as("messages").isEqualTo(messages);
        assertThat(fixtures.count("message_contents")).as("message_contents").isEqualTo(contents);
        BRIDGE.verify(0, postRequestedFor(urlEqualTo("/messages")));
    }

    // ---------------------------------------------------------------------------------------
    // Authorization
    // ---------------------------------------------------------------------------------------

    static Stream<Arguments> hostileAuthorizations() {
        return Stream.of(
                arguments("20 KB Authorization (over Tomcat's header limit)", List.of("Authorization: Bearer " + CANARY + "x".repeat(20_000)), 400),
                arguments("7 KB Authorization (under the limit)", List.of("Authorization: Bearer " + CANARY + "x".repeat(7_000)), 401),
                arguments("valid token, then another", List.of("Authorization: Bearer {token}", "Authorization: Bearer " + CANARY), 401),
                arguments("another token, then the valid one", List.of("Authorization: Bearer " + CANARY, "Authorization: Bearer {token}"), 401),
                arguments("Bearer with two tokens", List.of("Authorization: Bearer {token} " + CANARY), 401),
                arguments("control character in the token", List.of("Authorization: Bearer " + CANARY + "\u0001"), 400),
                arguments("CR inside the header value", List.of("Authorization: Bearer " + CANARY + "\rX-Injected: 1"), 400),
                arguments("header line folded over two lines", List.of("Authorization: Bearer", " " + CANARY), 401),
                arguments("token header name with a space", List.of("Authorization : Bearer {token}"), 400),
                arguments("valid token, but in the query", List.of("?Authorization=Bearer%20{token}"), 401),
                arguments("valid token, but in a form body", List.of("form:Authorization=Bearer+{token}"), 401),
                arguments("valid token in the query of a path with an encoded letter",
                        List.of("path:/third%2Dparty/v1/conversations/{c}/messages/{m}/duplicate", "?Authorization=Bearer%20{token}"), 401),
                arguments("valid token in the query of a path with a path parameter",
                        List.of("path:/third-party;x=1/v1/conversations/{c}/messages/{m}/duplicate", "?Authorization=Bearer%20{token}"), 401),
                // the authenticate route keeps the token's user id in header tokenUserId (sql outputHeader)
                arguments("unknown token, tokenUserId header naming the token's user",
                        List.of("Authorization: Bearer " + CANARY, "tokenUserId: {user}"), 401),
                arguments("no Authorization, tokenUserId header", List.of("tokenUserId: {user}"), 401),
                arguments("unknown token, tokenUserId in the query", List.of("Authorization: Bearer " + CANARY, "?tokenUserId={user}"), 401),
                arguments("valid token in the query of a path with a dot segment",
                        List.of("path:/./third-party/v1/conversations/{c}/messages/{m}/duplicate", "?Authorization=Bearer%20{token}"), 404));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("hostileAuthorizations")
    void hostileAuthorizationIsAProblemAndNeverEchoed(String name, List<String> lines, int expected) {
        long messages = fixtures.count("messages");
        String path = duplicatePath;
        String query = "";
        byte[] body = new byte[0];
        List<String> headers = new java.util.ArrayList<>(List.of("Host: localhost", "Connection: close"));
        for (String line : lines) {
            String value = line.replace("{token}", token).replace("{user}", String.valueOf(userId));
            if (value.startsWith("path:")) {
                path = value.substring(5).replace("{c}", String.valueOf(conversationId)).replace("{m}", String.valueOf(messageId));
            } else if (value.startsWith("?")) {
                query = value;
            } else if (value.startsWith("form:")) {
                body = value.substring(5).getBytes(StandardCharsets.US_ASCII);
                headers.add("Content-Type: application/x-www-form-urlencoded");
            } else {
                headers.add(value);
            }
        }
        headers.add("Content-Length: " + body.length);

        RawHttp.Reply reply = RawHttp.send(port, RawHttp.concat(
                RawHttp.head("POST " + path + query + " HTTP/1.1", headers.toArray(String[]::new)), body));

        assertProblem(reply, expected);
        if (expected == 401) {
            assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
        assertThat(reply.raw()).doesNotContain(CANARY).doesNotContain(token);
        assertThat(fixtures.count("messages")).isEqualTo(messages);
        BRIDGE.verify(0, postRequestedFor(urlEqualTo("/messages")));
    }

    @Test
    void theBridgeCallbackTokenIsOnlyTakenFromOneAuthorizationHeader() {
        String update = "{\"external_id\": \"wamid.none\", \"status\": \"read\", \"error\": null, \"timestamp\": \"2024-05-01T10:00:00Z\"}";
        byte[] body = update.getBytes(StandardCharsets.UTF_8);
        for (List<String> authorization : List.<List<String>>of(
                List.of("Authorization: Bearer " + CALLBACK_TOKEN, "Authorization: Bearer " + CANARY),
                List.of("Authorization: Bearer " + CANARY, "Authorization: Bearer " + CALLBACK_TOKEN),
                List.of())) {
            String query = authorization.isEmpty() ? "?Authorization=Bearer%20" + CALLBACK_TOKEN : "";
            List<String> headers = new java.util.ArrayList<>(authorization);
            headers.addAll(List.of("Host: localhost", "Connection: close", "Content-Type: application/json", "Content-Length: " + body.length));

            RawHttp.Reply reply = RawHttp.send(port, RawHttp.concat(
                    RawHttp.head("POST /bridge/v1/status-updates" + query + " HTTP/1.1", headers.toArray(String[]::new)), body));

            assertProblem(reply, 401);
            assertThat(reply.raw()).doesNotContain(CANARY).doesNotContain(CALLBACK_TOKEN);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Bodies
    // ---------------------------------------------------------------------------------------

    static Stream<Arguments> oversizedBodies() {
        return Stream.of(
                arguments("duplicate", MIB + 1, false),
                arguments("duplicate", MIB + 1, true),
                arguments("duplicate", 3 * MIB, false),
                arguments("duplicate", 3 * MIB, true),
                arguments("status-updates", MIB + 1, false),
                arguments("status-updates", MIB + 1, true));
    }

    @ParameterizedTest(name = "{0}: {1} bytes, chunked {2} -> 413")
    @MethodSource("oversizedBodies")
    void aBodyOverOneMebibyteIs413(String endpoint, int size, boolean chunked) {
        long messages = fixtures.count("messages");
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        String path = endpoint.equals("duplicate") ? duplicatePath : "/bridge/v1/status-updates";
        String authorization = "Authorization: Bearer " + (endpoint.equals("duplicate") ? token : CALLBACK_TOKEN);

        RawHttp.Reply reply = RawHttp.send(port, RawHttp.concat(RawHttp.head("POST " + path + " HTTP/1.1",
                        "Host: localhost", authorization, "Content-Type: application/json", "Connection: close",
                        chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + size),
                chunked ? RawHttp.chunked(body, 16 * 1024) : body));

        assertProblem(reply, 413);
        assertThat(fixtures.count("messages")).isEqualTo(messages);
        BRIDGE.verify(0, postRequestedFor(urlEqualTo("/messages")));
    }

    @ParameterizedTest(name = "chunked {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aBodyOfExactlyOneMebibyteStillWorks(boolean chunked) {
        byte[] ignored = new byte[MIB];
        Arrays.fill(ignored, (byte) 'x');
        RawHttp.Reply duplicate = RawHttp.send(port, RawHttp.concat(RawHttp.head("POST " + duplicatePath + " HTTP/1.1",
                        "Host: localhost", "Authorization: Bearer " + token, "Content-Type: application/json", "Connection: close",
                        chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + MIB),
                chunked ? RawHttp.chunked(ignored, 10_000) : ignored));

        assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(200);
        assertThat(json(duplicate.body()).get("data").get("contents").get(0).get("content").asText()).isEqualTo("Hello");

        String externalId = "wamid.big-" + UUID.randomUUID();
        long message = fixtures.message(conversationId, "agent").status("sent").externalId(externalId).text("Hi");
        String update = "{\"external_id\": \"" + externalId + "\", \"status\": \"delivered\", \"error\": null, \"timestamp\": \"2024-05-01T10:00:00Z\"}";
        byte[] padded = (update + " ".repeat(MIB - update.length())).getBytes(StandardCharsets.UTF_8);
        RawHttp.Reply status = RawHttp.send(port, RawHttp.concat(RawHttp.head("POST /bridge/v1/status-updates HTTP/1.1",
                        "Host: localhost", "Authorization: Bearer " + CALLBACK_TOKEN, "Content-Type: application/json", "Connection: close",
                        chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + padded.length),
                chunked ? RawHttp.chunked(padded, 7_000) : padded));

        assertThat(status.status()).as(status.toString()).isEqualTo(204);
        assertThat(fixtures.row("SELECT status FROM messages WHERE id = ?", message)).containsEntry("status", "delivered");
    }

    static Stream<Arguments> ignoredBodies() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        return Stream.of(
                arguments("application/xml", "<a>&x;</a".getBytes(StandardCharsets.UTF_8)),
                arguments("application/x-www-form-urlencoded", "a=%ZZ&b".getBytes(StandardCharsets.UTF_8)),
                arguments("application/x-www-form-urlencoded", "conversationId=1&messageId=1&Authorization=x".getBytes(StandardCharsets.UTF_8)),
                arguments("multipart/form-data; boundary=zzz", "--zzz\r\nbroken".getBytes(StandardCharsets.UTF_8)),
                arguments("application/json; charset=nonsense", "{\"a\": \"\u00ff".getBytes(StandardCharsets.ISO_8859_1)),
                arguments("application/json; charset=", "{}".getBytes(StandardCharsets.UTF_8)),
                arguments("application/json", "{{{{".getBytes(StandardCharsets.UTF_8)),
                arguments("application/x-java-serialized-object", everyByte),
                arguments("text/plain; charset=utf-8", everyByte),
                arguments("%%% not a media type", everyByte),
                arguments(null, everyByte));
    }

    @ParameterizedTest(name = "Content-Type {0}")
    @MethodSource("ignoredBodies")
    void aWrongContentTypeOrGarbageBodyIsIgnoredByDuplicate(String contentType, byte[] body) {
        long messages = fixtures.count("messages");
        List<String> headers = new java.util.ArrayList<>(List.of("Host: localhost", "Authorization: Bearer " + token,
                "Connection: close", "Content-Length: " + body.length));
        if (contentType != null) {
            headers.add("Content-Type: " + contentType);
        }

        RawHttp.Reply reply = RawHttp.send(port, RawHttp.concat(
                RawHttp.head("POST " + duplicatePath + " HTTP/1.1", headers.toArray(String[]::new)), body));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode data = json(reply.body()).get("data");
        assertThat(data.get("conversation_id").asLong()).isEqualTo(conversationId);
        assertThat(data.get("contents").get(0).get("content").asText()).isEqualTo("Hello");
        assertThat(fixtures.count("messages")).isEqualTo(messages + 1);
    }

    @Test
    void theBodyStaysIgnoredWhateverTheSpellingOfThePath() {
        byte[] garbage = "a=%ZZ&b".getBytes(StandardCharsets.UTF_8);
        for (String path : List.of(duplicatePath + ";x=1", duplicatePath.replace("/duplicate", "/dupl%69cate"))) {
            RawHttp.Reply reply = RawHttp.send(port, RawHttp.concat(RawHttp.head("POST " + path + " HTTP/1.1",
                    "Host: localhost", "Authorization: Bearer " + token, "Connection: close",
                    "Content-Type: application/x-www-form-urlencoded", "Content-Length: " + garbage.length), garbage));

            assertThat(reply.status()).as(path + ": " + reply).isEqualTo(200);
            assertThat(json(reply.body()).get("data").get("contents").get(0).get("content").asText()).isEqualTo("Hello");
        }
    }

    static Stream<Arguments> refusedStatusUpdateBodies() {
        return Stream.of(
                arguments("application/x-www-form-urlencoded", "a=%ZZ&b", 415),
                arguments("application/x-www-form-urlencoded", "{\"external_id\": \"x\"}", 415),
                arguments("application/json; charset=nonsense", "{\"external_id\": \"x\"}", 415),
                arguments("application/json; charset=\"\"", "{\"external_id\": \"x\"}", 415),
                arguments("multipart/form-data; boundary=zzz", "--zzz\r\nbroken", 400),
                arguments("application/xml", "<a>&x;</a", 400),
                arguments("application/json", "{{{{", 400));
    }

    @ParameterizedTest(name = "Content-Type {0}, {1} -> {2}")
    @MethodSource("refusedStatusUpdateBodies")
    void aStatusUpdateThatIsNotJsonIsAProblem(String contentType, String body, int expected) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        RawHttp.Reply reply = RawHttp.send(port, RawHttp.concat(RawHttp.head("POST /bridge/v1/status-updates HTTP/1.1",
                "Host: localhost", "Authorization: Bearer " + CALLBACK_TOKEN, "Connection: close",
                "Content-Type: " + contentType, "Content-Length: " + bytes.length), bytes));

        assertProblem(reply, expected);
    }

    // ---------------------------------------------------------------------------------------
    // Malformed HTTP: what Tomcat refuses before Spring MVC
    // ---------------------------------------------------------------------------------------

    static Stream<Arguments> malformedRequests() {
        String dup = "/third-party/v1/conversations/1/messages/1/duplicate";
        return Stream.of(
                arguments("garbage instead of a request line", List.of("GARBAGE"), 400),
                arguments("unknown HTTP version", List.of("GET / HTTP/9.9", "Host: localhost"), 505),
                arguments("invalid character in the method", List.of("G@T / HTTP/1.1", "Host: localhost"), 400),
                arguments("invalid character in the target", List.of("GET " + dup + "?x={} HTTP/1.1", "Host: localhost"), 400),
                arguments("space in the target", List.of("POST /third-party/v1/conversations/1 2/messages/1/duplicate HTTP/1.1", "Host: localhost"), 400),
                arguments("absolute-form target for another host", List.of("GET http://evil.example/x HTTP/1.1", "Host: localhost"), 400),
                arguments("HTTP/1.1 without Host", List.of("GET " + dup + " HTTP/1.1"), 400),
                arguments("two different Hosts", List.of("GET / HTTP/1.1", "Host: localhost", "Host: evil.example"), 400),
                arguments("header without a colon", List.of("GET / HTTP/1.1", "Host: localhost", "Bad Header Without Colon"), 400),
                arguments("space in a header name", List.of("GET / HTTP/1.1", "Host: localhost", "Bad Name: x"), 400),
                arguments("NUL in a header value", List.of("GET / HTTP/1.1", "Host: localhost", "X-Nul: a\u0000b"), 400),
                arguments("request line over the header limit", List.of("GET /" + "a".repeat(10_000) + " HTTP/1.1", "Host: localhost"), 400),
                arguments("more than 100 headers", Stream.concat(Stream.of("GET / HTTP/1.1", "Host: localhost"),
                        java.util.stream.IntStream.range(0, 150).mapToObj(i -> "X-Many-" + i + ": " + i)).toList(), 400),
                arguments("Content-Length not a number", List.of("POST " + dup + " HTTP/1.1", "Host: localhost", "Content-Length: abc"), 400),
                arguments("two different Content-Lengths", List.of("POST " + dup + " HTTP/1.1", "Host: localhost", "Content-Length: 1", "Content-Length: 2"), 400),
                arguments("unsupported transfer coding", List.of("POST " + dup + " HTTP/1.1", "Host: localhost", "Transfer-Encoding: gzip"), 501),
                arguments("CONNECT", List.of("CONNECT localhost:80 HTTP/1.1", "Host: localhost"), 501),
                arguments("TRACE", List.of("TRACE " + dup + " HTTP/1.1", "Host: localhost", "Authorization: Bearer " + CANARY), 405),
                arguments("TRACE on the root", List.of("TRACE / HTTP/1.1", "Host: localhost"), 405),
                arguments("unknown method", List.of("BREW " + dup + " HTTP/1.1", "Host: localhost"), 405),
                arguments("broken chunk size", List.of("POST " + dup + " HTTP/1.1", "Host: localhost", "Transfer-Encoding: chunked", "",
                        "zz", "abc", "0", ""), 400),
                arguments("chunk longer than its size", List.of("POST /bridge/v1/status-updates HTTP/1.1", "Host: localhost",
                        "Transfer-Encoding: chunked", "", "3", "abcdef", "0", ""), 400));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("malformedRequests")
    void malformedHttpIsAProblemToo(String name, List<String> lines, int expected) {
        long messages = fixtures.count("messages");
        String[] headers = lines.subList(1, lines.size()).toArray(String[]::new);
        byte[] request = RawHttp.head(lines.get(0), headers);
        if (!lines.contains("")) {
            // Connection: close so that the server ends the exchange after one reply
            request = RawHttp.head(lines.get(0), Stream.concat(Arrays.stream(headers), Stream.of("Connection: close")).toArray(String[]::new));
        }

        RawHttp.Reply reply = RawHttp.send(port, request);

        assertProblem(reply, expected);
        assertThat(reply.raw()).doesNotContain(CANARY);
        assertThat(fixtures.count("messages")).isEqualTo(messages);
    }

    @Test
    void anHttp09RequestGetsTheProblemAloneItsProtocolHasNoStatusLine() {
        RawHttp.Reply reply = RawHttp.send(port, "GET /nowhere\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(reply.status()).isEqualTo(RawHttp.HTTP_09);
        JsonNode problem = json(reply.body());
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.has("type") && problem.has("title") && problem.has("detail")).isTrue();
    }

    // ---------------------------------------------------------------------------------------
    // Secrets never in the logs
    // ---------------------------------------------------------------------------------------

    @Test
    void noSecretReachesTheLogs(CapturedOutput output) {
        String image = fixtures.file("secret.jpg", "image/jpeg", 1234);
        long imageMessage = fixtures.message(conversationId, "agent").insert();
        fixtures.content(imageMessage, 0, "image", "{\"caption\": null}", image);
        String imagePath = "/third-party/v1/conversations/" + conversationId + "/messages/" + imageMessage + "/duplicate";

        // accepted by the bridge (which gets BRIDGE_TOKEN), with a signed public download URL (FILES_SIGNING_KEY)
        RawHttp.Reply sent = RawHttp.send(port, RawHttp.head("POST " + imagePath + " HTTP/1.1",
                "Host: localhost", "Authorization: Bearer " + token, "Content-Length: 0", "Connection: close"));
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        assertThat(json(sent.body()).get("data").get("contents").get(0).get("public_download_url").asText()).contains("signature=");
        // the bridge refuses, then is down: redeliveries are logged
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\": \"bad token\"}")));
        assertThat(RawHttp.send(port, RawHttp.head("POST " + duplicatePath + " HTTP/1.1",
                "Host: localhost", "Authorization: Bearer " + token, "Content-Length: 0", "Connection: close")).status()).isEqualTo(200);
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(503).withBody("down")));
        assertThat(RawHttp.send(port, RawHttp.head("POST " + duplicatePath + " HTTP/1.1",
                "Host: localhost", "Authorization: Bearer " + token, "Content-Length: 0", "Connection: close")).status()).isEqualTo(200);

        // failing requests that carry the canary wherever a token may go
        for (byte[] request : List.of(
                RawHttp.head("POST " + duplicatePath + " HTTP/1.1", "Host: localhost", "Authorization: Bearer " + CANARY,
                        "Content-Length: 0", "Connection: close"),
                RawHttp.head("POST /third-party/v1/conversations/x/messages/y/duplicate HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer " + token, "Authorization: Bearer " + CANARY, "Content-Length: 0", "Connection: close"),
                RawHttp.head("POST " + duplicatePath + " HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer " + CANARY + "x".repeat(20_000), "Connection: close"),
                RawHttp.head("POST " + duplicatePath + " HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer " + CANARY + "\u0001", "Connection: close"),
                RawHttp.head("POST " + duplicatePath + " HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer", " " + CANARY, "Connection: close"),
                RawHttp.head("POST " + duplicatePath + " HTTP/1.1", "Host: localhost",
                        "Authorization : Bearer " + CANARY, "Connection: close"),
                RawHttp.head("POST " + duplicatePath + " HTTP/1.1", "Host: localhost",
                        "Authorization: Basic " + CANARY, "Content-Length: 0", "Connection: close"),
                RawHttp.head("GET /third-party/v1/conversations/1/messages/1 HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer " + CANARY, "Connection: close"),
                RawHttp.head("TRACE " + duplicatePath + " HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer " + CANARY, "Connection: close"),
                RawHttp.head("POST /bridge/v1/status-updates HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer " + CANARY, "Content-Length: 0", "Connection: close"),
                RawHttp.head("POST /bridge/v1/status-updates HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer " + CALLBACK_TOKEN, "Content-Type: application/json; charset=nonsense",
                        "Content-Length: 0", "Connection: close"),
                RawHttp.head("POST /bridge/v1/status-updates HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer " + CALLBACK_TOKEN, "Authorization: Bearer " + CANARY,
                        "Content-Length: 0", "Connection: close"))) {
            RawHttp.Reply reply = RawHttp.send(port, request);
            assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
        }

        // Tomcat writes a rejected header line verbatim (token included) at INFO once, then at DEBUG:
        // whichever request came first in this JVM, neither level may be on for that logger
        org.apache.juli.logging.Log tomcatParser = org.apache.juli.logging.LogFactory.getLog(org.apache.coyote.http11.Http11Processor.class);
        assertThat(tomcatParser.isInfoEnabled() || tomcatParser.isDebugEnabled()).as("Http11Processor logs rejected headers").isFalse();
        String logged = output.getAll();
        assertThat(logged).as("the capture sees the service's logs").contains("On delivery attempt");
        for (String secret : List.of(CANARY, token, BRIDGE_TOKEN, CALLBACK_TOKEN, "test-signing-key")) {
            assertThat(logged).as("logs").doesNotContain(secret);
        }
    }

    // ---------------------------------------------------------------------------------------

    private static void assertProblem(RawHttp.Reply reply, int status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).as(reply.toString()).isEqualTo("application/problem+json");
        JsonNode problem = json(reply.body());
        assertThat(problem.get("type").asText()).isNotBlank();
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("<html")
                .doesNotContain("Tomcat");
    }
}
