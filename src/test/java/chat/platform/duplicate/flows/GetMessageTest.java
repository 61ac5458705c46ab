package chat.platform.duplicate.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Get Message: the same Message mapping as the duplicate reply, for any sender. */
class GetMessageTest extends ServiceTest {

    @Test
    void showsAnyMessageWithItsReferenceErrorAndCampaign() {
        String token = fixtures.token(fixtures.user("Reader"));
        long conversation = fixtures.conversation("+31611111111");
        long campaign = fixtures.campaign("Launch");
        long question = fixtures.message(conversation, "customer").externalId("wamid.Q-" + conversation).text("Question?");
        long answer = fixtures.message(conversation, "system").campaign(campaign).reference(question).status("error").text("Answer");
        fixtures.error(answer, "other", "bridge replied 500");

        HttpResponse<String> reply = get("/third-party/v1/conversations/" + conversation + "/messages/" + answer, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode data = json(reply.body()).get("data");
        assertThat(data.get("id").asLong()).isEqualTo(answer);
        assertThat(data.get("from").asText()).isEqualTo("system");
        assertThat(data.get("source").asText()).isEqualTo("whatsapp-campaign");
        assertThat(data.get("user_id").isNull()).isTrue();
        assertThat(data.get("status").asText()).isEqualTo("error");
        assertThat(data.get("whatsapp_campaign")).isEqualTo(json("{\"id\": %d, \"name\": \"Launch\"}".formatted(campaign)));
        assertThat(data.get("latest_error").get("original_message").asText()).isEqualTo("bridge replied 500");
        assertThat(data.get("reference").get("id").asLong()).isEqualTo(question);
        assertThat(data.get("reference").get("from").asText()).isEqualTo("customer");
        assertThat(data.get("reference").get("reference").isNull()).isTrue();
    }

    @Test
    void followsTheStatusOfADuplicate() {
        String token = fixtures.token(fixtures.user("Reader"));
        long conversation = fixtures.conversation("+31622222222");
        long message = fixtures.message(conversation, "agent").status("sent").externalId("wamid.G-" + conversation).text("Hi");
        String path = "/third-party/v1/conversations/" + conversation + "/messages/" + message;

        assertThat(json(get(path, token).body()).get("data").get("status").asText()).isEqualTo("sent");
        postJson("/bridge/v1/status-updates", "Bearer " + CALLBACK_TOKEN,
                "{\"external_id\":\"wamid.G-" + conversation + "\",\"status\":\"read\",\"error\":null,\"timestamp\":\"2026-01-01T12:00:00Z\"}");
        assertThat(json(get(path, token).body()).get("data").get("status").asText()).isEqualTo("read");
    }

    @Test
    void aBodyOnTheGetIsIgnoredWhateverItIs() {
        String token = fixtures.token(fixtures.user("Reader"));
        long conversation = fixtures.conversation("+31655555555");
        long message = fixtures.message(conversation, "agent").text("Hi");
        String path = "/third-party/v1/conversations/" + conversation + "/messages/" + message;

        for (String contentType : new String[] {"application/x-www-form-urlencoded", "application/json; charset=x-unknown"}) {
            HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", contentType)
                    .method("GET", HttpRequest.BodyPublishers.ofString("Authorization=Bearer+x&messageId=1")).build());

            assertThat(reply.statusCode()).as(contentType).isEqualTo(200);
            assertThat(json(reply.body()).get("data").get("id").asLong()).isEqualTo(message);
        }
    }

    @Test
    void refusesLikeTheDuplicateOperation() {
        String token = fixtures.token(fixtures.user("Reader"));
        long conversation = fixtures.conversation("+31633333333");
        long message = fixtures.message(conversation, "agent").text("Hi");
        long other = fixtures.conversation("+31644444444");

        assertThat(get("/third-party/v1/conversations/" + conversation + "/messages/" + message, null).statusCode()).isEqualTo(401);
        assertThat(get("/third-party/v1/conversations/x/messages/" + message, null).statusCode()).isEqualTo(401);
        assertThat(get("/third-party/v1/conversations/x/messages/" + message, token).statusCode()).isEqualTo(400);
        HttpResponse<String> notFound = get("/third-party/v1/conversations/" + other + "/messages/" + message, token);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(postTo("/third-party/v1/conversations/" + conversation + "/messages/" + message, token).statusCode()).isEqualTo(405);
    }
}
