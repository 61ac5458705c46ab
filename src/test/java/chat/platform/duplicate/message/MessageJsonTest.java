package chat.platform.duplicate.message;

import static chat.platform.duplicate.message.TestMessages.MAPPER;
import static chat.platform.duplicate.message.TestMessages.content;
import static chat.platform.duplicate.message.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import chat.platform.duplicate.files.FileUrls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageJsonTest {

    private static final String KEY = "files-key";
    private static final String BASE = "https://files.example";
    private static final String IMG = "1f0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
    private static final StoredFile IMG_FILE = new StoredFile(IMG, "photo.jpg", "image/jpeg", 1234);

    private static final List<String> MESSAGE_FIELDS = List.of(
            "id", "conversation_id", "from", "source", "user_id", "contents", "status", "agent_reaction",
            "customer_reaction", "sent_at", "reference", "latest_error", "whatsapp_campaign");

    // a trailing slash in the configured base must not double the slash
    private final MessageJson messageJson = new MessageJson(new FileUrls(BASE + "/", KEY));

    // ------------------------------------------------------------------ Message

    @Test
    void minimalMessageHasEveryFieldInSchemaOrderWithNulls() {
        StoredMessage m = message().id(5).conversationId(7).userId(null).status("created")
                .contents(content(0, "text", "{\"content\":\"Hi\"}", null)).build();

        ObjectNode node = messageJson.message(m);

        assertThat(fieldNames(node)).containsExactlyElementsOf(MESSAGE_FIELDS);
        assertJson(node, """
                {"id":5,"conversation_id":7,"from":"agent","source":"user","user_id":null,
                 "contents":[{"type":"text","content":"Hi"}],
                 "status":"created","agent_reaction":null,"customer_reaction":null,"sent_at":null,
                 "reference":null,"latest_error":null,"whatsapp_campaign":null}""");
        for (String field : List.of("user_id", "agent_reaction", "customer_reaction", "sent_at", "reference",
                "latest_error", "whatsapp_campaign")) {
            assertThat(node.has(field)).as(field).isTrue();
            assertThat(node.get(field).isNull()).as(field).isTrue();
        }
    }

    @Test
    void messageWithoutContentsHasAnEmptyArray() {
        ObjectNode node = messageJson.message(message().build());
        assertThat(node.get("contents").isArray()).isTrue();
        assertThat(node.get("contents")).isEmpty();
    }

    @Test
    void fullMessageWithReferenceErrorAndCampaign() {
        StoredMessage reference = message().id(90).conversationId(12).sender("customer").source("user").userId(null)
                .status("read").customerReaction("\uD83D\uDC4D").sentAt(Instant.parse("2026-02-01T08:00:00Z"))
                .externalId("wamid.REF")
                .contents(content(0, "image", "{\"caption\":\"Look\"}", IMG_FILE)).build();
        StoredMessage m = message().id(101).conversationId(12).sender("agent").source("whatsapp-campaign").userId(3L)
                .status("error").agentReaction("\u2764").customerReaction("\uD83D\uDE02")
                .sentAt(Instant.parse("2026-02-02T10:15:30.123456Z"))
                .referenceId(90L).reference(reference).campaign(4L, "Spring sale")
                .externalId("wamid.X").duplicateOfId(77L)
                .contents(content(0, "text", "{\"content\":\"Hello\"}", null))
                .latestError(new MessageError(9, 101, "other", "bridge replied 500: down",
                        Instant.parse("2026-02-02T10:15:31Z")))
                .build();

        ObjectNode node = messageJson.message(m);

        assertThat(fieldNames(node)).containsExactlyElementsOf(MESSAGE_FIELDS);
        assertThat(fieldNames(node.get("reference"))).containsExactlyElementsOf(MESSAGE_FIELDS);
        assertJson(node, """
                {"id":101,"conversation_id":12,"from":"agent","source":"whatsapp-campaign","user_id":3,
                 "contents":[{"type":"text","content":"Hello"}],
                 "status":"error","agent_reaction":"\u2764","customer_reaction":"\uD83D\uDE02",
                 "sent_at":"2026-02-02T10:15:30.123456Z",
                 "reference":{"id":90,"conversation_id":12,"from":"customer","source":"user","user_id":null,
                   "contents":[{"type":"image","has_file":true,"uuid":"%s","name":"photo.jpg",
                                "mime_type":"image/jpeg","size":1234,"download_url":"%s","public_download_url":"%s",
                                "caption":"Look"}],
                   "status":"read","agent_reaction":null,"customer_reaction":"\uD83D\uDC4D",
                   "sent_at":"2026-02-01T08:00:00Z","reference":null,"latest_error":null,"whatsapp_campaign":null},
                 "latest_error":{"id":9,"message_id":101,"type":"other","original_message":"bridge replied 500: down",
                                 "created_at":"2026-02-02T10:15:31Z"},
                 "whatsapp_campaign":{"id":4,"name":"Spring sale"}}"""
                .formatted(IMG, downloadUrl(IMG), publicUrl(IMG)));
    }

    @Test
    void internalColumnsAreNotShown() {
        StoredMessage m = message().externalId("wamid.X").duplicateOfId(77L).referenceId(90L)
                .template(8L, "[{\"type\":\"BODY\",\"text\":\"x\"}]", "[]").build();
        ObjectNode node = messageJson.message(m);
        assertThat(fieldNames(node)).containsExactlyElementsOf(MESSAGE_FIELDS);
        assertThat(node.toString()).doesNotContain("wamid.X").doesNotContain("77").doesNotContain("BODY");
    }

    @Test
    void referenceIdWithoutLoadedReferenceIsNull() {
        ObjectNode node = messageJson.message(message().referenceId(90L).build());
        assertThat(node.get("reference").isNull()).isTrue();
    }

    @Test
    void referenceIsOneLevelDeep() {
        StoredMessage reference = message().id(90).build();
        ObjectNode node = messageJson.message(message().referenceId(90L).reference(reference).build());
        assertThat(node.get("reference").get("id").asLong()).isEqualTo(90L);
        assertThat(node.get("reference").has("reference")).isTrue();
        assertThat(node.get("reference").get("reference").isNull()).isTrue();
    }

    @Test
    void referenceOfTheReferenceIsNeverShown() {
        StoredMessage grand = message().id(80).build();
        StoredMessage reference = message().id(90).referenceId(80L).reference(grand).build();
        ObjectNode node = messageJson.message(message().referenceId(90L).reference(reference).build());
        assertThat(node.get("reference").get("reference").isNull()).isTrue();
    }

    @Test
    void replyWrapsTheMessageInData() throws Exception {
        StoredMessage m = message().id(5).contents(content(0, "text", "{\"content\":\"Hi\"}", null)).build();
        String reply = messageJson.reply(m);
        JsonNode tree = MAPPER.readTree(reply);
        assertThat(fieldNames(tree)).containsExactly("data");
        assertThat(tree.get("data")).isEqualTo(MAPPER.readTree(messageJson.message(m).toString()));
        assertThat(reply).isEqualTo("{\"data\":" + messageJson.message(m) + "}");
    }

    // ------------------------------------------------------------------ times

    @ParameterizedTest
    @CsvSource({
            "2023-01-01T12:00:00Z, 2023-01-01T12:00:00Z",
            "2023-01-01T12:00:00.500Z, 2023-01-01T12:00:00.500Z",
            "2026-03-03T10:15:30.123456Z, 2026-03-03T10:15:30.123456Z",
            "1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59.999999999Z, 2024-02-29T23:59:59.999999999Z"})
    void sentAtIsUtcIsoWithZ(String instant, String expected) {
        ObjectNode node = messageJson.message(message().sentAt(Instant.parse(instant)).build());
        assertThat(node.get("sent_at").asText()).isEqualTo(expected).endsWith("Z");
        assertThat(MessageJson.time(Instant.parse(instant))).isEqualTo(expected);
    }

    @Test
    void sentAtFromAnOffsetIsShownInUtc() {
        Instant instant = OffsetDateTime.parse("2026-03-03T12:15:30+02:00").toInstant();
        ObjectNode node = messageJson.message(message().sentAt(instant).build());
        assertThat(node.get("sent_at").asText()).isEqualTo("2026-03-03T10:15:30Z");
    }

    @Test
    void timeOfNullIsNull() {
        assertThat(MessageJson.time(null)).isNull();
    }

    // ------------------------------------------------------------------ latest_error

    @Test
    void latestErrorShape() {
        ObjectNode node = messageJson.message(message().id(101).latestError(
                new MessageError(9, 101, "status-update", "user blocked", Instant.parse("2026-02-02T10:15:31.25Z")))
                .build());
        JsonNode error = node.get("latest_error");
        assertThat(fieldNames(error)).containsExactly("id", "message_id", "type", "original_message", "created_at");
        assertJson(error, """
                {"id":9,"message_id":101,"type":"status-update","original_message":"user blocked",
                 "created_at":"2026-02-02T10:15:31.250Z"}""");
        assertThat(error.get("created_at").asText()).endsWith("Z");
    }

    @Test
    void latestErrorWithoutTimeHasNullCreatedAt() {
        JsonNode error = messageJson.message(message().latestError(
                new MessageError(1, 101, "other", "x", null)).build()).get("latest_error");
        assertThat(error.has("created_at")).isTrue();
        assertThat(error.get("created_at").isNull()).isTrue();
    }

    // ------------------------------------------------------------------ whatsapp_campaign

    @Test
    void campaignIsIdAndName() {
        JsonNode campaign = messageJson.message(message().campaign(4L, "Spring sale").build()).get("whatsapp_campaign");
        assertThat(fieldNames(campaign)).containsExactly("id", "name");
        assertJson(campaign, "{\"id\":4,\"name\":\"Spring sale\"}");
    }

    @Test
    void campaignWithoutIdIsNull() {
        JsonNode node = messageJson.message(message().campaign(null, "orphan name").build());
        assertThat(node.get("whatsapp_campaign").isNull()).isTrue();
    }

    // ------------------------------------------------------------------ contents by type

    @Test
    void textContent() {
        assertJson(messageJson.content(content(0, "text", "{\"content\":\"Hello\\nworld\"}", null)),
                "{\"type\":\"text\",\"content\":\"Hello\\nworld\"}");
    }

    @Test
    void imageContent() {
        ObjectNode node = messageJson.content(content(0, "image", "{\"caption\":\"Look\"}", IMG_FILE));
        assertThat(fieldNames(node)).containsExactly("type", "has_file", "uuid", "name", "mime_type", "size",
                "download_url", "public_download_url", "caption");
        assertJson(node, """
                {"type":"image","has_file":true,"uuid":"%s","name":"photo.jpg","mime_type":"image/jpeg","size":1234,
                 "download_url":"https://files.example/files/%s",
                 "public_download_url":"https://files.example/files/%s?signature=%s","caption":"Look"}"""
                .formatted(IMG, IMG, IMG, hmacHex(KEY, IMG)));
    }

    @Test
    void videoContentWithNullCaption() {
        String uuid = "2a0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
        StoredFile file = new StoredFile(uuid, "clip.mp4", "video/mp4", 10_000_000_000L);
        assertJson(messageJson.content(content(0, "video", "{\"caption\":null}", file)), """
                {"type":"video","has_file":true,"uuid":"%s","name":"clip.mp4","mime_type":"video/mp4",
                 "size":10000000000,"download_url":"%s","public_download_url":"%s","caption":null}"""
                .formatted(uuid, downloadUrl(uuid), publicUrl(uuid)));
    }

    @Test
    void audioContent() {
        String uuid = "3b0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
        StoredFile file = new StoredFile(uuid, "voice.ogg", "audio/ogg", 0);
        assertJson(messageJson.content(content(0, "audio", "{\"voice\":true}", file)), """
                {"type":"audio","has_file":true,"uuid":"%s","name":"voice.ogg","mime_type":"audio/ogg","size":0,
                 "download_url":"%s","public_download_url":"%s","voice":true}"""
                .formatted(uuid, downloadUrl(uuid), publicUrl(uuid)));
    }

    @Test
    void documentContentWithFileWithoutName() {
        String uuid = "4c0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
        StoredFile file = new StoredFile(uuid, null, "application/pdf", 4321);
        ObjectNode node = messageJson.content(content(0, "document",
                "{\"filename\":\"invoice.pdf\",\"caption\":\"Your invoice\"}", file));
        assertThat(fieldNames(node)).containsExactly("type", "has_file", "uuid", "name", "mime_type", "size",
                "download_url", "public_download_url", "filename", "caption");
        assertJson(node, """
                {"type":"document","has_file":true,"uuid":"%s","name":null,"mime_type":"application/pdf","size":4321,
                 "download_url":"%s","public_download_url":"%s","filename":"invoice.pdf","caption":"Your invoice"}"""
                .formatted(uuid, downloadUrl(uuid), publicUrl(uuid)));
    }

    @Test
    void locationContent() {
        ObjectNode node = messageJson.content(content(0, "location", """
                {"url":"https://maps.example/x","name":"Dam","address":"Dam 1, Amsterdam",
                 "longitude":"4.89","latitude":"52.37"}""", null));
        assertThat(fieldNames(node)).containsExactly("type", "latitude", "longitude", "address", "name", "url");
        assertJson(node, """
                {"type":"location","latitude":"52.37","longitude":"4.89","address":"Dam 1, Amsterdam","name":"Dam",
                 "url":"https://maps.example/x"}""");
    }

    @Test
    void contactContent() {
        String contact = """
                {"name":{"formatted_name":"Ann Smith","first_name":"Ann","last_name":"Smith"},
                 "birthday":"1970-01-01","phones":[{"phone":"+31612345678","type":"CELL"}],
                 "emails":[{"email":"ann@example.com","type":"WORK"}],
                 "addresses":[{"street":"Dam 1","city":"Amsterdam","country_code":"NL","type":"HOME"}],
                 "org":{"company":"Acme","department":"Sales","title":"Lead"}}""";
        ObjectNode node = messageJson.content(content(0, "contact", contact, null));
        assertThat(fieldNames(node)).containsExactly("type", "name", "birthday", "phones", "emails", "addresses", "org");
        ObjectNode expected = TestMessages.object(contact);
        expected.put("type", "contact");
        assertJson(node, expected.toString());
    }

    // ------------------------------------------------------------------ missing and extra payload fields

    @Test
    void missingOptionalFieldsAreNull() {
        assertJson(messageJson.content(content(0, "text", "{}", null)), "{\"type\":\"text\",\"content\":null}");
        assertJson(messageJson.content(content(0, "image", "{}", IMG_FILE)), """
                {"type":"image","has_file":true,"uuid":"%s","name":"photo.jpg","mime_type":"image/jpeg","size":1234,
                 "download_url":"%s","public_download_url":"%s","caption":null}"""
                .formatted(IMG, downloadUrl(IMG), publicUrl(IMG)));
        assertThat(fieldsAndValues(messageJson.content(content(0, "audio", "{}", IMG_FILE)), "voice"))
                .isEqualTo("voice=null");
        assertThat(fieldsAndValues(messageJson.content(content(0, "document", "{}", IMG_FILE)), "filename", "caption"))
                .isEqualTo("filename=null,caption=null");
        assertJson(messageJson.content(content(0, "location", "{\"latitude\":\"52.37\",\"longitude\":\"4.89\"}", null)),
                """
                {"type":"location","latitude":"52.37","longitude":"4.89","address":null,"name":null,"url":null}""");
        assertJson(messageJson.content(content(0, "contact", "{\"name\":{\"formatted_name\":\"Ann\"}}", null)), """
                {"type":"contact","name":{"formatted_name":"Ann"},"birthday":null,"phones":null,"emails":null,
                 "addresses":null,"org":null}""");
    }

    @Test
    void extraStoredPayloadFieldsAreKeptAfterTheSchemaFields() {
        ObjectNode node = messageJson.content(content(0, "text",
                "{\"preview_url\":true,\"content\":\"Hi\",\"meta\":{\"a\":[1,2]}}", null));
        assertThat(fieldNames(node)).containsExactly("type", "content", "preview_url", "meta");
        assertJson(node, "{\"type\":\"text\",\"content\":\"Hi\",\"preview_url\":true,\"meta\":{\"a\":[1,2]}}");
    }

    @Test
    void storedPayloadCannotOverrideTypeOrFileFields() {
        ObjectNode node = messageJson.content(content(0, "image",
                "{\"type\":\"text\",\"uuid\":\"forged\",\"has_file\":false,\"caption\":\"c\"}", IMG_FILE));
        assertThat(node.get("type").asText()).isEqualTo("image");
        assertThat(node.get("uuid").asText()).isEqualTo(IMG);
        assertThat(node.get("has_file").asBoolean()).isTrue();
        assertThat(node.get("caption").asText()).isEqualTo("c");
    }

    @Test
    void contentsKeepTheirOrder() {
        StoredMessage m = message().contents(
                content(0, "text", "{\"content\":\"first\"}", null),
                content(1, "contact", "{\"name\":{\"formatted_name\":\"Ann\"}}", null),
                content(2, "text", "{\"content\":\"third\"}", null)).build();
        JsonNode contents = messageJson.message(m).get("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.get(0).get("content").asText()).isEqualTo("first");
        assertThat(contents.get(1).get("type").asText()).isEqualTo("contact");
        assertThat(contents.get(2).get("content").asText()).isEqualTo("third");
    }

    @Test
    void renderingDoesNotChangeTheStoredPayload() {
        Content stored = content(0, "text", "{\"content\":\"Hi\"}", null);
        messageJson.content(stored);
        assertThat(stored.payload().toString()).isEqualTo("{\"content\":\"Hi\"}");
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String fieldsAndValues(JsonNode node, String... fields) {
        List<String> parts = new ArrayList<>();
        for (String field : fields) {
            parts.add(field + "=" + (node.has(field) ? node.get(field).toString() : "<missing>"));
        }
        return String.join(",", parts);
    }

    /** Compares whole trees; numbers are compared by value (the actual tree is re-parsed). */
    private static void assertJson(JsonNode actual, String expected) {
        try {
            assertThat(MAPPER.readTree(actual.toString())).isEqualTo(MAPPER.readTree(expected));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String downloadUrl(String uuid) {
        return BASE + "/files/" + uuid;
    }

    private static String publicUrl(String uuid) {
        return downloadUrl(uuid) + "?signature=" + hmacHex(KEY, uuid);
    }

    static String hmacHex(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
