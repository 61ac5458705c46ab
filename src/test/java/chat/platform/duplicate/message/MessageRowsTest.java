package chat.platform.duplicate.message;

import static chat.platform.duplicate.message.TestMessages.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import chat.platform.duplicate.problem.ApiProblem;
import org.junit.jupiter.api.Test;

class MessageRowsTest {

    private static final String IMG = "1f0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
    private static final String DOC = "3b0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";

    private final MessageRows rows = new MessageRows();

    // ------------------------------------------------------------------ no row

    @Test
    void noRowIs404() {
        assertNotFound(catchThrowableOfType(ApiProblem.class, () -> rows.read(List.of())));
    }

    @Test
    void nullRowsIs404() {
        assertNotFound(catchThrowableOfType(ApiProblem.class, () -> rows.read(null)));
    }

    // ------------------------------------------------------------------ one row

    @Test
    void oneRowIsTheMessageWithoutReference() {
        Map<String, Object> row = fullRow();

        StoredMessage m = rows.read(List.of(row));

        assertThat(m.id()).isEqualTo(101L);
        assertThat(m.conversationId()).isEqualTo(12L);
        assertThat(m.sender()).isEqualTo("agent");
        assertThat(m.source()).isEqualTo("whatsapp-campaign");
        assertThat(m.userId()).isEqualTo(3L);
        assertThat(m.status()).isEqualTo("error");
        assertThat(m.agentReaction()).isEqualTo("\u2764");
        assertThat(m.customerReaction()).isEqualTo("\uD83D\uDC4D");
        assertThat(m.sentAt()).isEqualTo(Instant.parse("2026-02-02T10:15:30.123456Z"));
        assertThat(m.referenceId()).isEqualTo(90L);
        assertThat(m.reference()).isNull();
        assertThat(m.whatsappCampaignId()).isEqualTo(4L);
        assertThat(m.whatsappCampaignName()).isEqualTo("Spring sale");
        assertThat(m.whatsappTemplateId()).isEqualTo(8L);
        assertThat(m.isTemplate()).isTrue();
        assertThat(m.templateComponents()).isEqualTo(json("[{\"type\":\"BODY\",\"text\":\"Hi {{1}}\"}]"));
        assertThat(m.templateParameters())
                .isEqualTo(json("[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ann\"}]}]"));
        assertThat(m.templateFiles()).containsExactly(new StoredFile(DOC, "invoice.pdf", "application/pdf", 4321));
        assertThat(m.externalId()).isEqualTo("wamid.X");
        assertThat(m.duplicateOfId()).isEqualTo(77L);
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-02-02T10:15:00Z"));
        assertThat(m.channel()).isEqualTo("whatsapp");
        assertThat(m.recipient()).isEqualTo("+31612345678");
        assertThat(m.contents()).containsExactly(
                new Content(0, "image", TestMessages.object("{\"caption\":\"Look\"}"),
                        new StoredFile(IMG, "photo.jpg", "image/jpeg", 1234)));
        assertThat(m.latestError()).isEqualTo(new MessageError(9, 101, "other", "bridge replied 500: down",
                Instant.parse("2026-02-02T10:15:31Z")));
    }

    @Test
    void rowWithNullsGivesNullsAndEmptyLists() {
        Map<String, Object> row = minimalRow(5);

        StoredMessage m = rows.read(List.of(row));

        assertThat(m.id()).isEqualTo(5L);
        assertThat(m.userId()).isNull();
        assertThat(m.agentReaction()).isNull();
        assertThat(m.customerReaction()).isNull();
        assertThat(m.sentAt()).isNull();
        assertThat(m.referenceId()).isNull();
        assertThat(m.reference()).isNull();
        assertThat(m.whatsappCampaignId()).isNull();
        assertThat(m.whatsappCampaignName()).isNull();
        assertThat(m.whatsappTemplateId()).isNull();
        assertThat(m.isTemplate()).isFalse();
        assertThat(m.templateComponents()).isNull();
        assertThat(m.templateParameters()).isNull();
        assertThat(m.templateFiles()).isEmpty();
        assertThat(m.externalId()).isNull();
        assertThat(m.duplicateOfId()).isNull();
        assertThat(m.contents()).isEmpty();
        assertThat(m.latestError()).isNull();
    }

    @Test
    void idsMayComeAsAnyNumber() {
        Map<String, Object> row = minimalRow(5);
        row.put("id", 5);           // Integer
        row.put("conversation_id", new java.math.BigDecimal("12"));
        StoredMessage m = rows.read(List.of(row));
        assertThat(m.id()).isEqualTo(5L);
        assertThat(m.conversationId()).isEqualTo(12L);
    }

    // ------------------------------------------------------------------ two rows

    @Test
    void secondRowIsTheReference() {
        Map<String, Object> first = minimalRow(101);
        first.put("reference_id", 90L);
        Map<String, Object> second = minimalRow(90);
        second.put("sender", "customer");
        second.put("external_id", "wamid.REF");
        second.put("contents", "[{\"position\" : 0, \"type\" : \"text\", \"payload\" : {\"content\": \"Question?\"}, \"file\" : null}]");

        StoredMessage m = rows.read(List.of(first, second));

        assertThat(m.id()).isEqualTo(101L);
        assertThat(m.referenceId()).isEqualTo(90L);
        StoredMessage reference = m.reference();
        assertThat(reference).isNotNull();
        assertThat(reference.id()).isEqualTo(90L);
        assertThat(reference.sender()).isEqualTo("customer");
        assertThat(reference.externalId()).isEqualTo("wamid.REF");
        assertThat(reference.reference()).isNull();
        assertThat(reference.contents()).containsExactly(
                new Content(0, "text", TestMessages.object("{\"content\":\"Question?\"}"), null));
    }

    @Test
    void referenceOfTheReferenceIsNotLoaded() {
        Map<String, Object> first = minimalRow(101);
        first.put("reference_id", 90L);
        Map<String, Object> second = minimalRow(90);
        second.put("reference_id", 80L);

        StoredMessage m = rows.read(List.of(first, second));

        assertThat(m.reference().referenceId()).isEqualTo(80L);
        assertThat(m.reference().reference()).isNull();
    }

    // ------------------------------------------------------------------ times

    @Test
    void timesAsTimestamp() {
        Instant sent = Instant.parse("2026-03-03T10:15:30.123456Z");
        Map<String, Object> row = minimalRow(1);
        row.put("sent_at", Timestamp.from(sent));
        row.put("created_at", Timestamp.from(Instant.parse("2026-03-03T10:00:00Z")));
        putError(row, Timestamp.from(Instant.parse("2026-03-03T10:15:31.5Z")));

        StoredMessage m = rows.read(List.of(row));

        assertThat(m.sentAt()).isEqualTo(sent);
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-03-03T10:00:00Z"));
        assertThat(m.latestError().createdAt()).isEqualTo(Instant.parse("2026-03-03T10:15:31.5Z"));
    }

    @Test
    void timesAsOffsetDateTime() {
        Map<String, Object> row = minimalRow(1);
        row.put("sent_at", OffsetDateTime.parse("2026-03-03T12:15:30.123456+02:00"));
        row.put("created_at", OffsetDateTime.parse("2026-03-03T05:00:00-05:00"));
        putError(row, OffsetDateTime.parse("2026-03-03T10:15:31Z"));

        StoredMessage m = rows.read(List.of(row));

        assertThat(m.sentAt()).isEqualTo(Instant.parse("2026-03-03T10:15:30.123456Z"));
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-03-03T10:00:00Z"));
        assertThat(m.latestError().createdAt()).isEqualTo(Instant.parse("2026-03-03T10:15:31Z"));
    }

    @Test
    void instantConversion() {
        Instant instant = Instant.parse("2026-03-03T10:15:30Z");
        assertThat(MessageRows.instant(null)).isNull();
        assertThat(MessageRows.instant(instant)).isEqualTo(instant);
        assertThat(MessageRows.instant(Timestamp.from(instant))).isEqualTo(instant);
        assertThat(MessageRows.instant(OffsetDateTime.parse("2026-03-03T11:15:30+01:00"))).isEqualTo(instant);
        assertThatThrownBy(() -> MessageRows.instant("2026-03-03T10:15:30Z"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("String");
    }

    // ------------------------------------------------------------------ contents

    @Test
    void contentsWithFilesInOrder() {
        Map<String, Object> row = minimalRow(1);
        row.put("contents", """
                [{"position" : 0, "type" : "image", "payload" : {"caption": null},
                  "file" : {"uuid" : "%s", "name" : "photo.jpg", "mime_type" : "image/jpeg", "size" : 1234}},
                 {"position" : 1, "type" : "document", "payload" : {"filename": "a.pdf", "caption": "Here", "extra": [1]},
                  "file" : {"uuid" : "%s", "name" : null, "mime_type" : "application/pdf", "size" : 10000000000}},
                 {"position" : 2, "type" : "location", "payload" : {"latitude": "52.37", "longitude": "4.89"}, "file" : null},
                 {"position" : 5, "type" : "text", "payload" : {"content": "Hi"}}]""".formatted(IMG, DOC));

        List<Content> contents = rows.read(List.of(row)).contents();

        assertThat(contents).containsExactly(
                new Content(0, "image", TestMessages.object("{\"caption\":null}"),
                        new StoredFile(IMG, "photo.jpg", "image/jpeg", 1234)),
                new Content(1, "document", TestMessages.object("{\"filename\":\"a.pdf\",\"caption\":\"Here\",\"extra\":[1]}"),
                        new StoredFile(DOC, null, "application/pdf", 10_000_000_000L)),
                new Content(2, "location", TestMessages.object("{\"latitude\":\"52.37\",\"longitude\":\"4.89\"}"), null),
                new Content(5, "text", TestMessages.object("{\"content\":\"Hi\"}"), null));
        assertThat(contents.get(0).hasFile()).isTrue();
        assertThat(contents.get(2).hasFile()).isFalse();
    }

    @Test
    void nonObjectPayloadBecomesEmptyObject() {
        Map<String, Object> row = minimalRow(1);
        row.put("contents", "[{\"position\":0,\"type\":\"text\",\"payload\":null},{\"position\":1,\"type\":\"text\"}]");
        List<Content> contents = rows.read(List.of(row)).contents();
        assertThat(contents).extracting(c -> c.payload().toString()).containsExactly("{}", "{}");
    }

    @Test
    void templateFilesAreRead() {
        Map<String, Object> row = minimalRow(1);
        row.put("template_files", "[{\"uuid\" : \"" + IMG + "\", \"name\" : null, \"mime_type\" : \"image/png\", \"size\" : 7},"
                + "{\"uuid\" : \"" + DOC + "\", \"name\" : \"x.pdf\", \"mime_type\" : \"application/pdf\", \"size\" : 8}]");
        assertThat(rows.read(List.of(row)).templateFiles()).containsExactly(
                new StoredFile(IMG, null, "image/png", 7),
                new StoredFile(DOC, "x.pdf", "application/pdf", 8));
    }

    @Test
    void malformedJsonFromTheDatabaseFails() {
        Map<String, Object> row = minimalRow(1);
        row.put("contents", "[{not json");
        assertThatThrownBy(() -> rows.read(List.of(row))).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ latest error

    @Test
    void latestErrorColumns() {
        Map<String, Object> row = minimalRow(33);
        row.put("error_id", 9L);
        row.put("error_type", "status-update");
        row.put("error_original_message", "user blocked the number");
        row.put("error_created_at", Timestamp.from(Instant.parse("2026-02-02T10:15:31Z")));

        MessageError error = rows.read(List.of(row)).latestError();

        assertThat(error).isEqualTo(new MessageError(9, 33, "status-update", "user blocked the number",
                Instant.parse("2026-02-02T10:15:31Z")));
    }

    @Test
    void noErrorIdMeansNoError() {
        Map<String, Object> row = minimalRow(33);
        row.put("error_type", "other");
        row.put("error_original_message", "ignored without id");
        assertThat(rows.read(List.of(row)).latestError()).isNull();
    }

    // ------------------------------------------------------------------ helpers

    private static void assertNotFound(ApiProblem problem) {
        assertThat(problem).isNotNull();
        assertThat(problem.status()).isEqualTo(404);
        assertThat(problem.title()).isEqualTo("Not Found");
        assertThat(problem.detail()).isEqualTo("No such message in this conversation.");
    }

    private static void putError(Map<String, Object> row, Object createdAt) {
        row.put("error_id", 1L);
        row.put("error_type", "other");
        row.put("error_original_message", "x");
        row.put("error_created_at", createdAt);
    }

    /** Every column of load-message.sql, null where it may be. */
    private static Map<String, Object> minimalRow(long id) {
        Map<String, Object> row = new HashMap<>();
        for (String column : List.of("id", "conversation_id", "sender", "source", "user_id", "status",
                "agent_reaction", "customer_reaction", "sent_at", "reference_id", "whatsapp_campaign_id",
                "whatsapp_campaign_name", "whatsapp_template_id", "template_components", "template_parameters",
                "template_files", "external_id", "duplicate_of_id", "created_at", "channel", "recipient", "contents",
                "error_id", "error_type", "error_original_message", "error_created_at")) {
            row.put(column, null);
        }
        row.put("id", id);
        row.put("conversation_id", 12L);
        row.put("sender", "agent");
        row.put("source", "user");
        row.put("status", "created");
        row.put("created_at", Timestamp.from(Instant.parse("2026-01-01T00:00:00Z")));
        row.put("channel", "whatsapp");
        row.put("recipient", "+31612345678");
        return row;
    }

    private static Map<String, Object> fullRow() {
        Map<String, Object> row = minimalRow(101);
        row.put("source", "whatsapp-campaign");
        row.put("user_id", 3L);
        row.put("status", "error");
        row.put("agent_reaction", "\u2764");
        row.put("customer_reaction", "\uD83D\uDC4D");
        row.put("sent_at", Timestamp.from(Instant.parse("2026-02-02T10:15:30.123456Z")));
        row.put("reference_id", 90L);
        row.put("whatsapp_campaign_id", 4L);
        row.put("whatsapp_campaign_name", "Spring sale");
        row.put("whatsapp_template_id", 8L);
        row.put("template_components", "[{\"type\": \"BODY\", \"text\": \"Hi {{1}}\"}]");
        row.put("template_parameters", "[{\"type\": \"body\", \"parameters\": [{\"type\": \"text\", \"text\": \"Ann\"}]}]");
        row.put("template_files", "[{\"uuid\" : \"" + DOC + "\", \"name\" : \"invoice.pdf\", \"mime_type\" : \"application/pdf\", \"size\" : 4321}]");
        row.put("external_id", "wamid.X");
        row.put("duplicate_of_id", 77L);
        row.put("created_at", OffsetDateTime.parse("2026-02-02T11:15:00+01:00"));
        row.put("contents", "[{\"position\" : 0, \"type\" : \"image\", \"payload\" : {\"caption\": \"Look\"}, "
                + "\"file\" : {\"uuid\" : \"" + IMG + "\", \"name\" : \"photo.jpg\", \"mime_type\" : \"image/jpeg\", \"size\" : 1234}}]");
        row.put("error_id", 9L);
        row.put("error_type", "other");
        row.put("error_original_message", "bridge replied 500: down");
        row.put("error_created_at", Timestamp.from(Instant.parse("2026-02-02T10:15:31Z")));
        return row;
    }

    // ------------------------------------------------------------------ the duplicate as stored after its send

    private static OutgoingMessage outgoing(StoredMessage reference) {
        return new OutgoingMessage(12, "whatsapp", "+31612345678", 3, reference == null ? null : reference.id(), reference, 77,
                TestMessages.content(4, "image", "{\"caption\": \"Tulips\"}", new StoredFile(IMG, "t.jpg", "image/jpeg", 10)));
    }

    @Test
    void aSentDuplicateIsWhatWasStoredWithTheReturnedStatusAndSentAt() {
        StoredMessage reference = TestMessages.message().id(90).sender("customer").externalId("wamid.R").build();
        Map<String, Object> outcome = new HashMap<>();
        outcome.put("status", "sent");
        outcome.put("sent_at", Timestamp.from(Instant.parse("2026-01-01T12:00:00Z")));

        StoredMessage m = rows.sentDuplicate(outgoing(reference), 501, outcome);

        assertThat(m.id()).isEqualTo(501);
        assertThat(m.conversationId()).isEqualTo(12);
        assertThat(m.sender()).isEqualTo("agent");
        assertThat(m.source()).isEqualTo("user");
        assertThat(m.userId()).isEqualTo(3L);
        assertThat(m.status()).isEqualTo("sent");
        assertThat(m.sentAt()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z"));
        assertThat(m.referenceId()).isEqualTo(90L);
        assertThat(m.reference()).isSameAs(reference);
        assertThat(m.duplicateOfId()).isEqualTo(77L);
        assertThat(m.contents()).singleElement().satisfies(content -> {
            assertThat(content.position()).as("the duplicate's one content is at position 0").isZero();
            assertThat(content.type()).isEqualTo("image");
            assertThat(content.payload()).isEqualTo(json("{\"caption\": \"Tulips\"}"));
            assertThat(content.file().uuid()).isEqualTo(IMG);
        });
        assertThat(m.latestError()).isNull();
        assertThat(m.agentReaction()).isNull();
        assertThat(m.customerReaction()).isNull();
        assertThat(m.whatsappCampaignId()).isNull();
        assertThat(m.whatsappTemplateId()).isNull();
    }

    @Test
    void aFailedDuplicateHasTheReturnedErrorAndNoSentAt() {
        Map<String, Object> outcome = new HashMap<>();
        outcome.put("status", "error");
        outcome.put("sent_at", null);
        outcome.put("error_id", 7L);
        outcome.put("error_type", "other");
        outcome.put("error_original_message", "bridge replied 503");
        outcome.put("error_created_at", OffsetDateTime.parse("2026-01-01T12:00:01Z"));

        StoredMessage m = rows.sentDuplicate(outgoing(null), 502, outcome);

        assertThat(m.status()).isEqualTo("error");
        assertThat(m.sentAt()).isNull();
        assertThat(m.reference()).isNull();
        assertThat(m.referenceId()).isNull();
        assertThat(m.latestError()).isEqualTo(new MessageError(7, 502, "other", "bridge replied 503",
                Instant.parse("2026-01-01T12:00:01Z")));
    }

    @Test
    void aDuplicateWithoutOutcomeIsAnError() {
        assertThatThrownBy(() -> rows.sentDuplicate(outgoing(null), 503, null)).isInstanceOf(IllegalStateException.class);
    }
}
