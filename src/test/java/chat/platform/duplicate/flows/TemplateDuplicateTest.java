package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A WhatsApp template message is duplicated as the compiled plain message (template-compilation.md). */
class TemplateDuplicateTest extends ServiceTest {

    static final String CONTRACT_EXAMPLE_DEFINITION = """
            [{"type":"HEADER","format":"TEXT","text":"Order {{1}}"},
             {"type":"BODY","text":"Hi {{first_name}}, your order ships on {{date}} for {{total}}."},
             {"type":"FOOTER","text":"Reply STOP to opt out"},
             {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Thanks"},
                                          {"type":"URL","text":"Track","url":"https://t.example/track/{{1}}"},
                                          {"type":"PHONE_NUMBER","text":"Call us","phone_number":"+31201234567"}]}]""";
    static final String CONTRACT_EXAMPLE_PARAMETERS = """
            [{"type":"header","parameters":[{"type":"text","text":"#1042"}]},
             {"type":"body","parameters":[
               {"type":"text","parameter_name":"first_name","text":"Ann"},
               {"type":"date_time","parameter_name":"date","date_time":{"fallback_value":"March 3"}},
               {"type":"currency","parameter_name":"total","currency":{"fallback_value":"€12.50","code":"EUR","amount_1000":12500}}]},
             {"type":"button","sub_type":"url","index":1,"parameters":[{"type":"text","text":"1042-XZ"}]}]""";
    static final String COMPILED_TEXT = "Order #1042\n\nHi Ann, your order ships on March 3 for €12.50.\n\n"
            + "Reply STOP to opt out\n\nTrack: https://t.example/track/1042-XZ\nCall us: +31201234567";

    private String token;
    private long conversationId;

    @BeforeEach
    void caller() {
        token = fixtures.token(fixtures.user("Agent"));
        conversationId = fixtures.conversation("+31687654321");
        bridgeAcceptsAll("wamid.T");
    }

    @Test
    void aTextTemplateIsSentAsTheCompiledTextMessage() {
        long template = fixtures.template("order_shipped", CONTRACT_EXAMPLE_DEFINITION);
        long original = fixtures.message(conversationId, "agent").template(template, CONTRACT_EXAMPLE_PARAMETERS).insert();
        // the original's own stored content is not used for a template message
        fixtures.content(original, 0, "text", "{\"content\": \"stale copy\"}", null);

        HttpResponse<String> reply = duplicate(conversationId, original, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertTheReplyIsTheDuplicateAsStored(reply, conversationId, token);
        JsonNode data = json(reply.body()).get("data");
        assertThat(data.get("status").asText()).isEqualTo("sent");
        assertThat(data.get("contents")).isEqualTo(json("[{\"type\":\"text\",\"content\":" + JSON.valueToTree(COMPILED_TEXT) + "}]"));
        long duplicateId = data.get("id").asLong();
        assertThat(fixtures.row("SELECT whatsapp_template_id, template_parameters, duplicate_of_id FROM messages WHERE id = ?", duplicateId))
                .containsEntry("whatsapp_template_id", null).containsEntry("template_parameters", null)
                .containsEntry("duplicate_of_id", original);
        assertThat(jdbc.queryForList("SELECT payload->>'content' FROM message_contents WHERE message_id = ?", String.class, duplicateId))
                .containsExactly(COMPILED_TEXT);
        JsonNode bridgeBody = json(BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).get(0).getBodyAsString());
        assertThat(bridgeBody.get("content")).isEqualTo(json("{\"type\":\"text\",\"text\":" + JSON.valueToTree(COMPILED_TEXT) + "}"));
        assertThat(bridgeBody.toString()).doesNotContain("template").doesNotContain("{{");
    }

    @Test
    void aMediaHeaderTemplateIsSentAsThatMediaWithTheCompiledCaption() {
        String invoice = fixtures.file("invoice-1042.pdf", "application/pdf", 90412);
        long template = fixtures.template("invoice", """
                [{"type":"HEADER","format":"DOCUMENT"},
                 {"type":"BODY","text":"Your invoice {{1}}"}]""");
        long original = fixtures.message(conversationId, "agent").template(template, """
                [{"type":"header","parameters":[{"type":"document","document":{"file_uuid":"%s"}}]},
                 {"type":"body","parameters":[{"type":"text","text":"#1042"}]}]""".formatted(invoice)).insert();

        HttpResponse<String> reply = duplicate(conversationId, original, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertTheReplyIsTheDuplicateAsStored(reply, conversationId, token);
        JsonNode content = json(reply.body()).get("data").get("contents").get(0);
        assertThat(content.get("type").asText()).isEqualTo("document");
        assertThat(content.get("uuid").asText()).isEqualTo(invoice);
        assertThat(content.get("filename").asText()).isEqualTo("invoice-1042.pdf");
        assertThat(content.get("caption").asText()).isEqualTo("Your invoice #1042");
        long duplicateId = json(reply.body()).get("data").get("id").asLong();
        assertThat(fixtures.row("SELECT type, file_uuid::text AS file, payload::text AS payload FROM message_contents WHERE message_id = ?", duplicateId))
                .containsEntry("type", "document").containsEntry("file", invoice)
                .containsEntry("payload", "{\"caption\": \"Your invoice #1042\", \"filename\": \"invoice-1042.pdf\"}");
        JsonNode bridgeBody = json(BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).get(0).getBodyAsString());
        assertThat(bridgeBody.get("content")).isEqualTo(json("""
                {"type":"document","file":{"uuid":"%s","name":"invoice-1042.pdf","mime_type":"application/pdf","size":90412,
                 "url":"https://files.example/files/%s"},"filename":"invoice-1042.pdf","caption":"Your invoice #1042"}"""
                .formatted(invoice, invoice)));
    }

    @Test
    void aTemplateThatCannotBeCompiledIs422AndNothingIsStoredOrSent() {
        long template = fixtures.template("needs_two", "[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, see {{2}}\"}]");
        long missingParameter = fixtures.message(conversationId, "agent")
                .template(template, "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ann\"}]}]").insert();
        long image = fixtures.template("image", "[{\"type\":\"HEADER\",\"format\":\"IMAGE\"},{\"type\":\"BODY\",\"text\":\"Look\"}]");
        long missingFile = fixtures.message(conversationId, "agent").template(image, """
                [{"type":"header","parameters":[{"type":"image","image":{"file_uuid":"00000000-0000-4000-8000-000000000000"}}]}]""").insert();
        long before = fixtures.count("messages");

        HttpResponse<String> first = duplicate(conversationId, missingParameter, token);
        HttpResponse<String> second = duplicate(conversationId, missingFile, token);

        assertThat(first.statusCode()).isEqualTo(422);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(first.body()).get("detail").asText()).contains("{{2}}");
        assertThat(second.statusCode()).isEqualTo(422);
        assertThat(json(second.body()).get("detail").asText()).contains("00000000-0000-4000-8000-000000000000");
        assertThat(fixtures.count("messages")).isEqualTo(before);
        BRIDGE.verify(0, postRequestedFor(urlEqualTo("/messages")));
    }
}
