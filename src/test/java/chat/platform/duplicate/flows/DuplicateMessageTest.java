package chat.platform.duplicate.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import chat.platform.duplicate.support.ServiceTest;
import chat.platform.duplicate.support.StatementCounter;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Duplicate Message end to end: HTTP in, real PostgreSQL, WireMock as the bridge; what a caller
 * sees. Where the flow stops for each refusal is asserted on its steps in
 * {@code routes/DuplicateFlowRouteTest}.
 */
class DuplicateMessageTest extends ServiceTest {

    private long userId;
    private String token;
    private long conversationId;

    @BeforeEach
    void caller() {
        userId = fixtures.user("Agent Smith");
        token = fixtures.token(userId);
        conversationId = fixtures.conversation("+31612345678");
        bridgeAcceptsAll("wamid.");
    }

    @Test
    void duplicatesATextMessageSendsItAndRepliesWithTheStoredDuplicate() {
        long originalAuthor = fixtures.user("Original Author");
        long original = fixtures.message(conversationId, "agent").user(originalAuthor).status("error").text("Hello Ann");

        HttpResponse<String> reply = duplicate(conversationId, original, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(reply.headers().map()).doesNotContainKeys("authorization", "Authorization", "conversationId", "messageId");
        JsonNode data = json(reply.body()).get("data");
        long duplicateId = data.get("id").asLong();
        assertThat(duplicateId).isGreaterThan(original);
        assertThat(fieldNames(data)).containsExactly("id", "conversation_id", "from", "source", "user_id", "contents",
                "status", "agent_reaction", "customer_reaction", "sent_at", "reference", "latest_error", "whatsapp_campaign");
        assertThat(data.get("conversation_id").asLong()).isEqualTo(conversationId);
        assertThat(data.get("from").asText()).isEqualTo("agent");
        assertThat(data.get("source").asText()).isEqualTo("user");
        assertThat(data.get("user_id").asLong()).isEqualTo(userId);
        assertThat(data.get("status").asText()).isEqualTo("sent");
        assertThat(data.get("sent_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(data.get("contents").toString()).isEqualTo("[{\"type\":\"text\",\"content\":\"Hello Ann\"}]");
        assertThat(data.get("reference").isNull()).isTrue();
        assertThat(data.get("latest_error").isNull()).isTrue();
        assertThat(data.get("whatsapp_campaign").isNull()).isTrue();
        assertThat(data.get("agent_reaction").isNull()).isTrue();

        Map<String, Object> row = fixtures.row("SELECT * FROM messages WHERE id = ?", duplicateId);
        assertThat(row).containsEntry("conversation_id", conversationId).containsEntry("sender", "agent")
                .containsEntry("source", "user").containsEntry("user_id", userId).containsEntry("status", "sent")
                .containsEntry("duplicate_of_id", original).containsEntry("external_id", "wamid." + duplicateId)
                .containsEntry("reference_id", null).containsEntry("whatsapp_template_id", null)
                .containsEntry("whatsapp_campaign_id", null).containsEntry("agent_reaction", null);
        assertThat(row.get("sent_at")).isNotNull();
        assertThat(fixtures.leftForRecovery(duplicateId)).as("the send is over: nothing for recovery").isFalse();
        assertThat(fixtures.row("SELECT position, type, payload::text AS payload, file_uuid FROM message_contents WHERE message_id = ?", duplicateId))
                .containsEntry("position", 0).containsEntry("type", "text")
                .containsEntry("payload", "{\"content\": \"Hello Ann\"}").containsEntry("file_uuid", null);

        List<LoggedRequest> sent = BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages")));
        assertThat(sent).hasSize(1);
        LoggedRequest request = sent.get(0);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + BRIDGE_TOKEN);
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo("message-" + duplicateId);
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat(json(request.getBodyAsString())).isEqualTo(json("""
                {"message_id": %d, "conversation_id": %d, "channel": "whatsapp", "recipient": "+31612345678",
                 "reply_to_external_id": null, "content": {"type": "text", "text": "Hello Ann"}}
                """.formatted(duplicateId, conversationId)));
    }

    @Test
    void everyContentTypeIsCopiedAndSentInTheBridgeShape() {
        String image = fixtures.file("tulips.jpg", "image/jpeg", 48213);
        String video = fixtures.file(null, "video/mp4", 1_000_000);
        String audio = fixtures.file("note.ogg", "audio/ogg", 1520);
        String document = fixtures.file("invoice.pdf", "application/pdf", 90412);
        record Case(String type, String payload, String file, String expectedBridgeContent) { }
        List<Case> cases = List.of(
                new Case("image", "{\"caption\": \"Tulips\"}", image, """
                        {"type":"image","file":{"uuid":"%s","name":"tulips.jpg","mime_type":"image/jpeg","size":48213,
                         "url":"https://files.example/files/%s"},"caption":"Tulips"}""".formatted(image, image)),
                new Case("video", "{\"caption\": null}", video, """
                        {"type":"video","file":{"uuid":"%s","name":null,"mime_type":"video/mp4","size":1000000,
                         "url":"https://files.example/files/%s"},"caption":null}""".formatted(video, video)),
                new Case("audio", "{\"voice\": true}", audio, """
                        {"type":"audio","file":{"uuid":"%s","name":"note.ogg","mime_type":"audio/ogg","size":1520,
                         "url":"https://files.example/files/%s"},"voice":true}""".formatted(audio, audio)),
                new Case("document", "{\"filename\": \"invoice.pdf\", \"caption\": \"Invoice\"}", document, """
                        {"type":"document","file":{"uuid":"%s","name":"invoice.pdf","mime_type":"application/pdf","size":90412,
                         "url":"https://files.example/files/%s"},"filename":"invoice.pdf","caption":"Invoice"}""".formatted(document, document)),
                new Case("location", "{\"latitude\": \"52.37\", \"longitude\": \"4.89\", \"name\": \"Dam\", \"address\": null, \"url\": null}", null, """
                        {"type":"location","latitude":"52.37","longitude":"4.89","name":"Dam","address":null,"url":null}"""),
                new Case("contact", """
                        {"name": {"formatted_name": "Ann de Vries", "first_name": "Ann"}, "birthday": "1970-01-01",
                         "phones": [{"phone": "+31201234567", "type": "WORK"}], "emails": [], "addresses": [], "org": {"company": "Tulip"}}""", null, """
                        {"type":"contact","contact":{"name":{"formatted_name":"Ann de Vries","first_name":"Ann"},"birthday":"1970-01-01",
                         "phones":[{"phone":"+31201234567","type":"WORK"}],"emails":[],"addresses":[],"org":{"company":"Tulip"}}}"""));

        for (Case c : cases) {
            BRIDGE.resetRequests();
            long original = fixtures.message(conversationId, "agent").insert();
            fixtures.content(original, 0, c.type(), c.payload(), c.file());

            HttpResponse<String> reply = duplicate(conversationId, original, token);

            assertThat(reply.statusCode()).as(c.type()).isEqualTo(200);
            JsonNode content = json(reply.body()).get("data").get("contents").get(0);
            assertThat(content.get("type").asText()).isEqualTo(c.type());
            if (c.file() != null) {
                assertThat(content.get("has_file").asBoolean()).isTrue();
                assertThat(content.get("uuid").asText()).isEqualTo(c.file());
                assertThat(content.get("download_url").asText()).isEqualTo("https://files.example/files/" + c.file());
                assertThat(content.get("public_download_url").asText())
                        .matches("https://files\\.example/files/" + c.file() + "\\?signature=[0-9a-f]{64}");
            } else {
                assertThat(content.has("has_file")).isFalse();
            }
            long duplicateId = json(reply.body()).get("data").get("id").asLong();
            assertThat(fixtures.row("SELECT type, payload::jsonb = ?::jsonb AS same, file_uuid::text AS file FROM message_contents WHERE message_id = ?",
                    c.payload(), duplicateId)).as(c.type())
                    .containsEntry("type", c.type()).containsEntry("same", true).containsEntry("file", c.file());
            JsonNode bridgeBody = json(BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).get(0).getBodyAsString());
            assertThat(bridgeBody.get("content")).as(c.type()).isEqualTo(json(c.expectedBridgeContent()));
            assertTheReplyIsTheDuplicateAsStored(reply, conversationId, token);
        }
    }

    @Test
    void theReferenceIsShownOneLevelDeepAndItsExternalIdIsSentAsReplyTo() {
        long campaign = fixtures.campaign("Spring sale");
        long older = fixtures.message(conversationId, "customer").externalId("wamid.OLDER").text("first");
        long referenced = fixtures.message(conversationId, "agent").campaign(campaign).reference(older)
                .externalId("wamid.REF").text("Where is it?");
        fixtures.error(referenced, "status-update", "first failure");
        fixtures.error(referenced, "status-update", "newest failure");
        long original = fixtures.message(conversationId, "agent").reference(referenced).text("It ships today");

        HttpResponse<String> reply = duplicate(conversationId, original, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode reference = json(reply.body()).get("data").get("reference");
        assertThat(reference.get("id").asLong()).isEqualTo(referenced);
        assertThat(reference.get("reference").isNull()).as("one level deep").isTrue();
        assertThat(reference.get("source").asText()).isEqualTo("whatsapp-campaign");
        assertThat(reference.get("whatsapp_campaign")).isEqualTo(json("{\"id\": %d, \"name\": \"Spring sale\"}".formatted(campaign)));
        JsonNode error = reference.get("latest_error");
        assertThat(error.get("original_message").asText()).isEqualTo("newest failure");
        assertThat(error.get("type").asText()).isEqualTo("status-update");
        assertThat(error.get("message_id").asLong()).isEqualTo(referenced);
        assertThat(error.get("created_at").asText()).endsWith("Z");
        assertThat(fixtures.row("SELECT reference_id FROM messages WHERE id = ?", json(reply.body()).get("data").get("id").asLong()))
                .containsEntry("reference_id", referenced);
        JsonNode bridgeBody = json(BRIDGE.findAll(postRequestedFor(urlEqualTo("/messages"))).get(0).getBodyAsString());
        assertThat(bridgeBody.get("reply_to_external_id").asText()).isEqualTo("wamid.REF");
        assertTheReplyIsTheDuplicateAsStored(reply, conversationId, token);
    }

    @Test
    void aRefusedSendIsStoredAsErrorAndStillAnswered200WithTheError() {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"recipient is not on WhatsApp\"}")));
        long original = fixtures.message(conversationId, "agent").text("Hello");

        HttpResponse<String> reply = duplicate(conversationId, original, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode data = json(reply.body()).get("data");
        assertThat(data.get("status").asText()).isEqualTo("error");
        assertThat(data.get("sent_at").isNull()).isTrue();
        assertThat(data.get("latest_error").get("type").asText()).isEqualTo("other");
        assertThat(data.get("latest_error").get("original_message").asText())
                .isEqualTo("bridge replied 400: {\"error\":\"recipient is not on WhatsApp\"}");
        long duplicateId = data.get("id").asLong();
        assertThat(fixtures.row("SELECT status, external_id, sent_at FROM messages WHERE id = ?", duplicateId))
                .containsEntry("status", "error").containsEntry("external_id", null).containsEntry("sent_at", null);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM message_errors WHERE message_id = ?", Long.class, duplicateId)).isEqualTo(1);
        assertTheReplyIsTheDuplicateAsStored(reply, conversationId, token);
        assertThat(fixtures.leftForRecovery(duplicateId)).as("the send is over: nothing for recovery").isFalse();
        BRIDGE.verify(1, postRequestedFor(urlEqualTo("/messages")));
    }

    @Test
    void anUnreachableBridgeIsStoredAsErrorAfterTheRedeliveries() {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(503).withBody("down")));
        long original = fixtures.message(conversationId, "agent").text("Hello");

        HttpResponse<String> reply = duplicate(conversationId, original, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode data = json(reply.body()).get("data");
        assertThat(data.get("status").asText()).isEqualTo("error");
        assertThat(data.get("latest_error").get("original_message").asText()).isEqualTo("bridge replied 503: down");
        BRIDGE.verify(1 + 3, postRequestedFor(urlEqualTo("/messages"))
                .withHeader("Idempotency-Key", equalTo("message-" + data.get("id").asLong())));
    }

    @Test
    void anExternalIdTheBridgeGaveTwiceIsNotStoredTwice() {
        BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(200)
                .withBody("{\"external_id\":\"wamid.SAME-" + conversationId + "\"}")));
        long original = fixtures.message(conversationId, "agent").text("Hi");

        HttpResponse<String> first = duplicate(conversationId, original, token);
        HttpResponse<String> second = duplicate(conversationId, original, token);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(json(second.body()).get("data").get("status").asText()).isEqualTo("sent");
        assertThat(jdbc.queryForList("SELECT external_id FROM messages WHERE duplicate_of_id = ? ORDER BY id", String.class, original))
                .containsExactly("wamid.SAME-" + conversationId, null);
    }

    @Test
    void aSuccessfulDuplicateTakesFourSqlRoundTrips() {
        long referenced = fixtures.message(conversationId, "customer").text("Question");
        long original = fixtures.message(conversationId, "agent").reference(referenced).text("Answer");
        StatementCounter.reset();

        HttpResponse<String> reply = duplicate(conversationId, original, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        // token, load original (with reference), insert message + content, record sent (returning the status as stored)
        assertThat(StatementCounter.executions()).isEqualTo(4);
    }

    @ParameterizedTest
    @CsvSource({"customer", "system"})
    void onlyAgentMessagesMayBeDuplicated(String sender) {
        long original = fixtures.message(conversationId, sender).text("Hi");
        long before = fixtures.count("messages");

        HttpResponse<String> reply = duplicate(conversationId, original, token);

        assertProblem(reply, 422, "Only messages from an agent can be duplicated; this one is from " + sender + ".");
        assertThat(fixtures.count("messages")).isEqualTo(before);
        BRIDGE.verify(0, postRequestedFor(urlEqualTo("/messages")));
    }

    @Test
    void aMessageWithoutExactlyOneContentIsRefused() {
        long none = fixtures.message(conversationId, "agent").insert();
        long two = fixtures.message(conversationId, "agent").text("one");
        fixtures.content(two, 1, "text", "{\"content\": \"two\"}", null);
        long before = fixtures.count("messages");

        assertProblem(duplicate(conversationId, none, token), 422,
                "Only a message with exactly one content can be duplicated; this one has 0.");
        assertProblem(duplicate(conversationId, two, token), 422,
                "Only a message with exactly one content can be duplicated; this one has 2.");
        assertThat(fixtures.count("messages")).isEqualTo(before);
        BRIDGE.verify(0, postRequestedFor(urlEqualTo("/messages")));
    }

    @Test
    void unknownConversationMessageOrMessageOfAnotherConversationIsTheSame404() {
        long other = fixtures.conversation("+4915112345678");
        long elsewhere = fixtures.message(other, "agent").text("Hi");
        long here = fixtures.message(conversationId, "agent").text("Hi");

        for (HttpResponse<String> reply : List.of(
                duplicate(conversationId, elsewhere, token),
                duplicate(Long.MAX_VALUE, here, token),
                duplicate(conversationId, Long.MAX_VALUE, token))) {
            assertProblem(reply, 404, "No such message in this conversation.");
        }
    }

    @ParameterizedTest
    @CsvSource({"abc,1", "0,1", "-1,1", "1,0", "1,9223372036854775808", "1.5,1", "1,1e3", "%20,1"})
    void idsMustBePositive64BitIntegers(String conversation, String message) {
        HttpResponse<String> reply = duplicate(conversation, message, token);

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(reply.body()).get("detail").asText()).endsWith("must be a positive integer that fits in 64 bits.");
    }

    @Test
    void theTokenIsCheckedFirst() {
        long original = fixtures.message(conversationId, "agent").text("Hi");
        String revoked = fixtures.revokedToken(userId);

        assertUnauthorized(duplicate(conversationId, original, null));
        assertUnauthorized(duplicate(conversationId, original, "not-a-known-token"));
        assertUnauthorized(duplicate(conversationId, original, revoked));
        assertUnauthorized(duplicate("abc", "xyz", null));
        assertUnauthorized(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + port + "/third-party/v1/conversations/1/messages/1/duplicate"))
                .header("Authorization", "Basic " + token).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build()));
        BRIDGE.verify(0, postRequestedFor(urlEqualTo("/messages")));
    }

    @Test
    void aRequestBodyIsIgnored() {
        long original = fixtures.message(conversationId, "agent").text("Hi");
        HttpResponse<String> reply = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://localhost:" + port + "/third-party/v1/conversations/" + conversationId + "/messages/" + original + "/duplicate"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"contents\": [{\"type\": \"text\", \"content\": \"evil\"}]}")).build());

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(json(reply.body()).get("data").get("contents").get(0).get("content").asText()).isEqualTo("Hi");
        BRIDGE.verify(postRequestedFor(urlEqualTo("/messages")).withRequestBody(equalToJson(
                "{\"content\": {\"type\": \"text\", \"text\": \"Hi\"}}", true, true)));
    }

    @Test
    void aWrongMethodIs405ProblemJson() {
        HttpResponse<String> reply = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + port + "/third-party/v1/conversations/1/messages/1/duplicate")).GET().build());

        assertThat(reply.statusCode()).isEqualTo(405);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(reply.body());
        assertThat(problem.get("status").asInt()).isEqualTo(405);
        assertThat(problem.has("type") && problem.has("title") && problem.has("detail")).isTrue();
    }

    private void assertUnauthorized(HttpResponse<String> reply) {
        assertThat(reply.statusCode()).isEqualTo(401);
        assertThat(reply.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(reply.body()).get("status").asInt()).isEqualTo(401);
    }

    private static void assertProblem(HttpResponse<String> reply, int status, String detail) {
        assertThat(reply.statusCode()).isEqualTo(status);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(reply.body());
        assertThat(fieldNames(problem)).contains("type", "title", "status", "detail");
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isEqualTo(detail);
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
