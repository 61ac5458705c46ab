package chat.platform.duplicate.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.junit.jupiter.api.Test;

/** The service serves its OpenAPI document, and its real replies match it. */
class OpenApiDocumentTest extends ServiceTest {

    @Test
    void realRepliesMatchTheServedDocument() {
        HttpResponse<String> served = send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/openapi.json")).GET().build());
        assertThat(served.statusCode()).isEqualTo(200);
        JsonNode document = json(served.body());
        assertThat(document.at("/paths").fieldNames()).toIterable().contains(
                "/third-party/v1/conversations/{conversationId}/messages/{messageId}/duplicate",
                "/third-party/v1/conversations/{conversationId}/messages/{messageId}",
                "/bridge/v1/status-updates");

        bridgeAcceptsAll("wamid.O");
        String token = fixtures.token(fixtures.user("Agent"));
        long conversation = fixtures.conversation("+31600000002");
        long campaign = fixtures.campaign("Spring");
        long referenced = fixtures.message(conversation, "customer").campaign(campaign).externalId("wamid.OR" + conversation).text("Q");
        fixtures.error(referenced, "status-update", "failed once");
        String image = fixtures.file("a.jpg", "image/jpeg", 10);
        long original = fixtures.message(conversation, "agent").reference(referenced).insert();
        fixtures.content(original, 0, "image", "{\"caption\": null}", image);
        long contact = fixtures.message(conversation, "agent").insert();
        fixtures.content(contact, 0, "contact", "{\"name\": {\"formatted_name\": \"Ann\", \"first_name\": \"Ann\"}, \"phones\": []}", null);

        assertMatches(document, "MessageReply", duplicate(conversation, original, token));
        assertMatches(document, "MessageReply", duplicate(conversation, contact, token));
        assertMatches(document, "MessageReply", get("/third-party/v1/conversations/" + conversation + "/messages/" + referenced, token));
        assertMatches(document, "Problem", duplicate(conversation, original, "nope"));
        assertMatches(document, "Problem", duplicate("x", original, token));
        assertMatches(document, "Problem", duplicate(conversation, referenced, token));
        assertMatches(document, "Problem", duplicate(conversation, Long.MAX_VALUE, token));
    }

    @Test
    void aReplyThatBreaksTheDocumentIsCaught() {
        JsonNode document = json(send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/openapi.json")).GET().build()).body());
        assertThat(errors(document, "MessageReply", json("{\"data\": {\"id\": 1}}"))).isNotEmpty();
        assertThat(errors(document, "Problem", json("{\"title\": \"x\", \"status\": 400}"))).isNotEmpty();
    }

    private static void assertMatches(JsonNode document, String schema, HttpResponse<String> reply) {
        assertThat(errors(document, schema, json(reply.body()))).as("%s reply %s", schema, reply.body()).isEmpty();
    }

    private static List<Error> errors(JsonNode document, String schema, JsonNode instance) {
        // a schema that is just a $ref into the document's components (resolved within itself)
        com.fasterxml.jackson.databind.node.ObjectNode root = JSON.createObjectNode();
        root.put("$ref", "#/components/schemas/" + schema);
        root.set("components", document.get("components"));
        Schema validator = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30()).getSchema(root);
        return validator.validate(instance);
    }
}
