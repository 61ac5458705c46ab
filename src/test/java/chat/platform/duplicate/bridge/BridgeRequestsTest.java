package chat.platform.duplicate.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;

import chat.platform.duplicate.files.FileUrls;
import chat.platform.duplicate.message.Content;
import chat.platform.duplicate.message.OutgoingMessage;
import chat.platform.duplicate.message.StoredFile;
import chat.platform.duplicate.message.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BridgeRequestsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BASE = "https://files.example";
    private static final String UUID = "1f0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
    private static final String FILE_JSON = "{\"uuid\":\"" + UUID + "\",\"name\":\"photo.jpg\",\"mime_type\":\"image/jpeg\","
            + "\"size\":1234,\"url\":\"" + BASE + "/files/" + UUID + "\"}";
    private static final StoredFile FILE = new StoredFile(UUID, "photo.jpg", "image/jpeg", 1234);

    private final BridgeRequests requests = new BridgeRequests(new FileUrls(BASE + "/", "key"));

    // ------------------------------------------------------------------ body

    @Test
    void textBodyWithoutReference() {
        String body = requests.body(outgoing(null, content("text", "{\"content\":\"Hello\"}", null)), 4711);
        assertJson(body, """
                {"message_id":4711,"conversation_id":12,"channel":"whatsapp","recipient":"+31612345678",
                 "reply_to_external_id":null,"content":{"type":"text","text":"Hello"}}""");
        assertThat(tree(body).has("reply_to_external_id")).isTrue();
    }

    @Test
    void textBodyWithReference() {
        String body = requests.body(outgoing("wamid.HBgL123", content("text", "{\"content\":\"Hello\"}", null)),
                Long.MAX_VALUE);
        assertJson(body, """
                {"message_id":9223372036854775807,"conversation_id":12,"channel":"whatsapp",
                 "recipient":"+31612345678","reply_to_external_id":"wamid.HBgL123",
                 "content":{"type":"text","text":"Hello"}}""");
    }

    @Test
    void bodyDoesNotLeakInternalFields() {
        OutgoingMessage message = new OutgoingMessage(12, "whatsapp", "+31612345678", 3, 90L, reference(null), 77,
                content("text", "{\"content\":\"Hello\"}", null));
        JsonNode body = tree(requests.body(message, 4711));
        assertThat(body.fieldNames()).toIterable().containsExactly(
                "message_id", "conversation_id", "channel", "recipient", "reply_to_external_id", "content");
    }

    @Test
    void imageBody() {
        assertContent(content("image", "{\"caption\":\"Look\"}", FILE),
                "{\"type\":\"image\",\"file\":" + FILE_JSON + ",\"caption\":\"Look\"}");
        assertContent(content("image", "{\"caption\":null}", FILE),
                "{\"type\":\"image\",\"file\":" + FILE_JSON + ",\"caption\":null}");
        assertContent(content("image", "{}", FILE),
                "{\"type\":\"image\",\"file\":" + FILE_JSON + ",\"caption\":null}");
    }

    @Test
    void videoBody() {
        StoredFile video = new StoredFile(UUID, null, "video/mp4", 10_000_000_000L);
        assertContent(content("video", "{\"caption\":\"Clip\"}", video), """
                {"type":"video","file":{"uuid":"%s","name":null,"mime_type":"video/mp4","size":10000000000,
                 "url":"%s/files/%s"},"caption":"Clip"}""".formatted(UUID, BASE, UUID));
    }

    @Test
    void audioBody() {
        assertContent(content("audio", "{\"voice\":true}", FILE),
                "{\"type\":\"audio\",\"file\":" + FILE_JSON + ",\"voice\":true}");
        assertContent(content("audio", "{\"voice\":false}", FILE),
                "{\"type\":\"audio\",\"file\":" + FILE_JSON + ",\"voice\":false}");
        // voice is true|false, never null
        assertContent(content("audio", "{}", FILE),
                "{\"type\":\"audio\",\"file\":" + FILE_JSON + ",\"voice\":false}");
        assertContent(content("audio", "{\"voice\":null}", FILE),
                "{\"type\":\"audio\",\"file\":" + FILE_JSON + ",\"voice\":false}");
    }

    @Test
    void documentBody() {
        assertContent(content("document", "{\"filename\":\"invoice.pdf\",\"caption\":\"Yours\"}", FILE),
                "{\"type\":\"document\",\"file\":" + FILE_JSON + ",\"filename\":\"invoice.pdf\",\"caption\":\"Yours\"}");
        assertContent(content("document", "{}", FILE),
                "{\"type\":\"document\",\"file\":" + FILE_JSON + ",\"filename\":null,\"caption\":null}");
    }

    @Test
    void locationBody() {
        assertContent(content("location", """
                {"latitude":"52.37","longitude":"4.89","address":"Dam 1","name":"Dam","url":"https://m.example"}""",
                null), """
                {"type":"location","latitude":"52.37","longitude":"4.89","name":"Dam","address":"Dam 1",
                 "url":"https://m.example"}""");
        assertContent(content("location", "{\"latitude\":\"52.37\",\"longitude\":\"4.89\"}", null), """
                {"type":"location","latitude":"52.37","longitude":"4.89","name":null,"address":null,"url":null}""");
    }

    @Test
    void contactBody() {
        String name = "{\"formatted_name\":\"Ann Smith\",\"first_name\":\"Ann\"}";
        assertContent(content("contact", """
                {"name":%s,"birthday":"1970-01-01","phones":[{"phone":"+31612345678","type":"CELL"}],
                 "emails":[{"email":"ann@example.com","type":"WORK"}],"addresses":[{"city":"Amsterdam"}],
                 "org":{"company":"Acme"}}""".formatted(name), null), """
                {"type":"contact","contact":{"name":%s,"birthday":"1970-01-01",
                 "phones":[{"phone":"+31612345678","type":"CELL"}],"emails":[{"email":"ann@example.com","type":"WORK"}],
                 "addresses":[{"city":"Amsterdam"}],"org":{"company":"Acme"}}}""".formatted(name));
    }

    @Test
    void contactBodyWithMissingListsHasEmptyLists() {
        assertContent(content("contact", "{\"name\":{\"formatted_name\":\"Ann\"},\"phones\":null,\"emails\":\"x\"}",
                null), """
                {"type":"contact","contact":{"name":{"formatted_name":"Ann"},"birthday":null,"phones":[],"emails":[],
                 "addresses":[],"org":null}}""");
    }

    @Test
    void fileContentWithoutFileIsAProgrammingError() {
        assertThatThrownBy(() -> requests.body(outgoing(null, content("image", "{}", null)), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownContentTypeIsAProgrammingError() {
        assertThatThrownBy(() -> requests.body(outgoing(null, content("sticker", "{}", null)), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sticker");
    }

    // ------------------------------------------------------------------ externalId

    @Test
    void externalIdOfAnAcceptedMessage() {
        assertThat(requests.externalId("{\"external_id\":\"wamid.HBgL123\"}")).isEqualTo("wamid.HBgL123");
        assertThat(requests.externalId("{\"status\":\"queued\",\"external_id\":\"abc\",\"x\":[1]}")).isEqualTo("abc");
        assertThat(requests.externalId(" {\"external_id\" : \"abc\"}\n")).isEqualTo("abc");
        assertThat(requests.externalId("{\"external_id\":12345}")).isEqualTo("12345");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\n", "{}", "{\"id\":\"abc\"}", "{\"external_id\":null}", "{\"data\":{\"external_id\":\"x\"}}",
            "[]", "[{\"external_id\":\"x\"}]", "\"external_id\"", "42", "null", "true", "{\"external_id\":\"\"}", "{\"external_id\":{\"a\":1}}",
            "not json", "<html><body>OK</body></html>", "{\"external_id\":", "{external_id: x}"})
    void externalIdIsNullWhenTheReplyHasNone(String reply) {
        assertThat(requests.externalId(reply)).isNull();
    }

    // ------------------------------------------------------------------ failure

    @Test
    void failureOfAnHttpReplyHasStatusAndBody() {
        assertThat(requests.failure(http(500, "{\"error\":\"down\"}")))
                .isEqualTo("bridge replied 500: {\"error\":\"down\"}");
        assertThat(requests.failure(http(422, "recipient not on WhatsApp")))
                .isEqualTo("bridge replied 422: recipient not on WhatsApp");
    }

    @Test
    void failureOfAnHttpReplyWithoutBodyHasStatusOnly() {
        assertThat(requests.failure(http(503, null))).isEqualTo("bridge replied 503");
        assertThat(requests.failure(http(503, ""))).isEqualTo("bridge replied 503");
    }

    @Test
    void failureOfAnIoErrorHasTheRootCause() {
        assertThat(requests.failure(new RuntimeException("wrapper", new IOException("Connection reset"))))
                .isEqualTo("bridge unreachable: IOException: Connection reset");
        assertThat(requests.failure(new ConnectException("Connection refused")))
                .isEqualTo("bridge unreachable: ConnectException: Connection refused");
        assertThat(requests.failure(new RuntimeCamelException(new UncheckedIOException(
                new SocketTimeoutException("Read timed out")))))
                .isEqualTo("bridge unreachable: SocketTimeoutException: Read timed out");
        assertThat(requests.failure(new RuntimeException(new IOException())))
                .isEqualTo("bridge unreachable: IOException");
    }

    @Test
    void failureWithoutExceptionIsNamed() {
        assertThat(requests.failure(null)).isEqualTo("bridge send failed");
    }

    @Test
    void failureIsCutTo4000Characters() {
        String body = "b".repeat(5000);
        String text = requests.failure(http(500, body));
        assertThat(text).hasSize(4000).isEqualTo(("bridge replied 500: " + body).substring(0, 4000));
        assertThat(BridgeRequests.MAX_ERROR_LENGTH).isEqualTo(4000);

        String ioText = requests.failure(new RuntimeException(new IOException("m".repeat(10_000))));
        assertThat(ioText).hasSize(4000).startsWith("bridge unreachable: IOException: mmm");
    }

    @Test
    void failureOfExactly4000CharactersIsKept() {
        String prefix = "bridge replied 500: ";
        String body = "b".repeat(4000 - prefix.length());
        assertThat(requests.failure(http(500, body))).isEqualTo(prefix + body).hasSize(4000);
        assertThat(requests.failure(http(500, body + "X"))).isEqualTo(prefix + body);
    }

    @Test
    void cutNeverSplitsACharacter() {
        String prefix = "bridge replied 500: ";
        String body = "b".repeat(3999 - prefix.length()) + "\uD83D\uDE00" + "tail"; // the emoji's high surrogate is char 3999
        String text = requests.failure(http(500, body));
        assertThat(text.codePointCount(0, text.length())).isLessThanOrEqualTo(4000);
        assertThat(Character.isHighSurrogate(text.charAt(text.length() - 1))).isFalse();
        assertThat(text).startsWith(prefix + "b".repeat(3999 - prefix.length()));
    }

    // ------------------------------------------------------------------ isPermanent

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 451, 499})
    void otherClientErrorsArePermanent(int status) {
        assertThat(requests.isPermanent(http(status, "x"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 501, 502, 503, 504, 599})
    void timeoutsTooManyRequestsAndServerErrorsAreTransient(int status) {
        assertThat(requests.isPermanent(http(status, "x"))).isFalse();
    }

    @Test
    void ioErrorsAreTransient() {
        assertThat(requests.isPermanent(new IOException("Connection reset"))).isFalse();
        assertThat(requests.isPermanent(new ConnectException("Connection refused"))).isFalse();
        assertThat(requests.isPermanent(new SocketTimeoutException("Read timed out"))).isFalse();
        assertThat(requests.isPermanent(new RuntimeException(new IOException("x")))).isFalse();
        assertThat(requests.isPermanent(null)).isFalse();
    }

    // ------------------------------------------------------------------ helpers

    private void assertContent(Content content, String expected) {
        JsonNode body = tree(requests.body(outgoing(null, content), 1));
        assertThat(body.get("content")).isEqualTo(tree(expected));
    }

    private static void assertJson(String actual, String expected) {
        assertThat(tree(actual)).isEqualTo(tree(expected));
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    private static OutgoingMessage outgoing(String referenceExternalId, Content content) {
        return new OutgoingMessage(12, "whatsapp", "+31612345678", 3, referenceExternalId == null ? null : 90L,
                referenceExternalId == null ? null : reference(referenceExternalId), 77, content);
    }

    /** The referenced message as the original's load returns it; only its external_id reaches the bridge. */
    private static StoredMessage reference(String externalId) {
        return new StoredMessage(90, 12, "customer", "user", null, "delivered", null, null, null, null, null, null, null,
                null, null, null, java.util.List.of(), externalId, null, null, "whatsapp", "+31612345678", java.util.List.of(), null);
    }

    private static Content content(String type, String payload, StoredFile file) {
        return new Content(0, type, (ObjectNode) tree(payload), file);
    }

    private static HttpOperationFailedException http(int status, String body) {
        return new HttpOperationFailedException("https://bridge.example/messages", status, "status " + status, null,
                Map.of(), body);
    }
}
