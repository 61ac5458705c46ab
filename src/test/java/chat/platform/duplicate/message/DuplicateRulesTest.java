package chat.platform.duplicate.message;

import static chat.platform.duplicate.message.TestMessages.content;
import static chat.platform.duplicate.message.TestMessages.json;
import static chat.platform.duplicate.message.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import chat.platform.duplicate.problem.ApiProblem;
import chat.platform.duplicate.template.TemplateCompilationException;
import chat.platform.duplicate.template.TemplateCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DuplicateRulesTest {

    private static final long USER = 42;
    private static final String DOC = "3b0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
    private static final StoredFile DOC_FILE = new StoredFile(DOC, "invoice.pdf", "application/pdf", 4321);

    /** The example of template-compilation.md. */
    private static final String EXAMPLE_COMPONENTS = """
            [{"type":"HEADER","format":"TEXT","text":"Order {{1}}"},
             {"type":"BODY","text":"Hi {{first_name}}, your order ships on {{date}} for {{total}}."},
             {"type":"FOOTER","text":"Reply STOP to opt out"},
             {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Thanks"},
                                          {"type":"URL","text":"Track","url":"https://t.example/track/{{1}}"},
                                          {"type":"PHONE_NUMBER","text":"Call us","phone_number":"+31201234567"}]}]""";
    private static final String EXAMPLE_PARAMETERS = """
            [{"type":"header","parameters":[{"type":"text","text":"#1042"}]},
             {"type":"body","parameters":[
               {"type":"text","parameter_name":"first_name","text":"Ann"},
               {"type":"date_time","parameter_name":"date","date_time":{"fallback_value":"March 3"}},
               {"type":"currency","parameter_name":"total","currency":{"fallback_value":"€12.50","code":"EUR","amount_1000":12500}}]},
             {"type":"button","sub_type":"url","index":1,"parameters":[{"type":"text","text":"1042-XZ"}]}]""";
    private static final String EXAMPLE_TEXT = "Order #1042\n\nHi Ann, your order ships on March 3 for €12.50.\n\n"
            + "Reply STOP to opt out\n\nTrack: https://t.example/track/1042-XZ\nCall us: +31201234567";

    private final DuplicateRules rules = new DuplicateRules();

    // ------------------------------------------------------------------ sender

    @ParameterizedTest
    @ValueSource(strings = {"customer", "system", "Agent", "AGENT", " agent", ""})
    void onlyAgentMessagesCanBeDuplicated(String sender) {
        StoredMessage original = message().sender(sender)
                .contents(content(0, "text", "{\"content\":\"Hi\"}", null)).build();
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> rules.duplicate(original, USER));
        assertUnprocessable(problem);
        assertThat(problem.detail())
                .isEqualTo("Only messages from an agent can be duplicated; this one is from " + sender + ".");
    }

    @Test
    void nullSenderIs422() {
        StoredMessage original = message().sender(null)
                .contents(content(0, "text", "{\"content\":\"Hi\"}", null)).build();
        assertUnprocessable(catchThrowableOfType(ApiProblem.class, () -> rules.duplicate(original, USER)));
    }

    @Test
    void senderIsCheckedBeforeContents() {
        StoredMessage original = message().sender("customer").build();
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> rules.duplicate(original, USER));
        assertThat(problem.detail()).contains("from customer");
    }

    @Test
    void senderIsCheckedBeforeTemplate() {
        StoredMessage original = message().sender("system").template(8L, "[]", null).build();
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> rules.duplicate(original, USER));
        assertThat(problem.detail()).contains("from system");
    }

    // ------------------------------------------------------------------ number of contents

    @Test
    void noContentIs422() {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class,
                () -> rules.duplicate(message().build(), USER));
        assertUnprocessable(problem);
        assertThat(problem.detail())
                .isEqualTo("Only a message with exactly one content can be duplicated; this one has 0.");
    }

    @Test
    void twoContentsAre422() {
        StoredMessage original = message().contents(
                content(0, "contact", "{\"name\":{\"formatted_name\":\"Ann\"}}", null),
                content(1, "contact", "{\"name\":{\"formatted_name\":\"Bob\"}}", null)).build();
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> rules.duplicate(original, USER));
        assertUnprocessable(problem);
        assertThat(problem.detail())
                .isEqualTo("Only a message with exactly one content can be duplicated; this one has 2.");
    }

    // ------------------------------------------------------------------ the copy

    @Test
    void singleContentIsCopiedWithEverythingTheDuplicateNeeds() {
        StoredMessage reference = message().id(90).sender("customer").externalId("wamid.REF").build();
        Content original = content(3, "document", "{\"filename\":\"a.pdf\",\"caption\":\"Here\",\"extra\":1}", DOC_FILE);
        StoredMessage message = message().id(101).conversationId(12).userId(7L).status("error")
                .channel("whatsapp").recipient("+31612345678").externalId("wamid.ORIG").duplicateOfId(55L)
                .referenceId(90L).reference(reference).campaign(4L, "Sale").contents(original).build();

        OutgoingMessage outgoing = rules.duplicate(message, USER);

        assertThat(outgoing.conversationId()).isEqualTo(12L);
        assertThat(outgoing.channel()).isEqualTo("whatsapp");
        assertThat(outgoing.recipient()).isEqualTo("+31612345678");
        assertThat(outgoing.userId()).isEqualTo(USER);
        assertThat(outgoing.referenceId()).isEqualTo(90L);
        assertThat(outgoing.referenceExternalId()).isEqualTo("wamid.REF");
        // duplicate_of_id is the original's id, not the original's own duplicate_of_id
        assertThat(outgoing.duplicateOfId()).isEqualTo(101L);

        Content copy = outgoing.content();
        assertThat(copy.position()).isZero();
        assertThat(copy.type()).isEqualTo("document");
        assertThat(copy.payload()).isEqualTo(json("{\"filename\":\"a.pdf\",\"caption\":\"Here\",\"extra\":1}"));
        assertThat(copy.payload()).isNotSameAs(original.payload());
        assertThat(copy.file()).isEqualTo(DOC_FILE);

        assertThat(outgoing.contentType()).isEqualTo("document");
        assertThat(outgoing.fileUuid()).isEqualTo(DOC);
        assertThat(json(outgoing.payloadJson()))
                .isEqualTo(json("{\"filename\":\"a.pdf\",\"caption\":\"Here\",\"extra\":1}"));
    }

    @Test
    void theRowHoldsWhatStoreDuplicateBinds() {
        StoredMessage message = message().id(101).conversationId(12).referenceId(90L)
                .contents(content(3, "document", "{\"filename\":\"a.pdf\"}", DOC_FILE)).build();

        java.util.Map<String, Object> row = rules.row(rules.duplicate(message, USER));

        assertThat(row).containsOnlyKeys("conversationId", "userId", "referenceId", "duplicateOfId",
                "contentType", "payloadJson", "fileUuid");
        assertThat(row).containsEntry("conversationId", 12L).containsEntry("userId", USER)
                .containsEntry("referenceId", 90L).containsEntry("duplicateOfId", 101L)
                .containsEntry("contentType", "document").containsEntry("fileUuid", DOC);
        assertThat(json((String) row.get("payloadJson"))).isEqualTo(json("{\"filename\":\"a.pdf\"}"));
    }

    @Test
    void theRowKeepsNullsForWhatTheMessageHasNot() {
        StoredMessage message = message().id(101).contents(content(0, "text", "{\"content\":\"Hi\"}", null)).build();

        java.util.Map<String, Object> row = rules.row(rules.duplicate(message, USER));

        assertThat(row).containsEntry("referenceId", null).containsEntry("fileUuid", null)
                .containsEntry("contentType", "text");
    }

    @Test
    void textContentIsCopiedWithoutFile() {
        OutgoingMessage outgoing = rules.duplicate(message()
                .contents(content(0, "text", "{\"content\":\"Hi\"}", null)).build(), USER);
        assertThat(outgoing.content().type()).isEqualTo("text");
        assertThat(outgoing.content().file()).isNull();
        assertThat(outgoing.fileUuid()).isNull();
        assertThat(outgoing.payloadJson()).isEqualTo("{\"content\":\"Hi\"}");
    }

    @Test
    void withoutReferenceThereIsNoReplyTo() {
        OutgoingMessage outgoing = rules.duplicate(message()
                .contents(content(0, "text", "{\"content\":\"Hi\"}", null)).build(), USER);
        assertThat(outgoing.referenceId()).isNull();
        assertThat(outgoing.referenceExternalId()).isNull();
    }

    @Test
    void referenceNeverSentHasNoExternalId() {
        StoredMessage reference = message().id(90).externalId(null).build();
        OutgoingMessage outgoing = rules.duplicate(message().referenceId(90L).reference(reference)
                .contents(content(0, "text", "{\"content\":\"Hi\"}", null)).build(), USER);
        assertThat(outgoing.referenceId()).isEqualTo(90L);
        assertThat(outgoing.referenceExternalId()).isNull();
    }

    @Test
    void changingTheCopyDoesNotChangeTheOriginal() {
        Content original = content(0, "text", "{\"content\":\"Hi\"}", null);
        OutgoingMessage outgoing = rules.duplicate(message().contents(original).build(), USER);
        outgoing.content().payload().put("content", "changed");
        assertThat(original.payload().get("content").asText()).isEqualTo("Hi");
    }

    // ------------------------------------------------------------------ templates

    @Test
    void templateMessageIsCompiledToText() {
        StoredMessage original = message().id(101).template(8L, EXAMPLE_COMPONENTS, EXAMPLE_PARAMETERS)
                .contents(content(0, "text", "{\"content\":\"stored template text, not used\"}", null)).build();

        OutgoingMessage outgoing = rules.duplicate(original, USER);

        Content content = outgoing.content();
        assertThat(content.position()).isZero();
        assertThat(content.type()).isEqualTo("text");
        assertThat(content.file()).isNull();
        assertThat(content.payload()).isEqualTo(json("{\"content\":" + quote(EXAMPLE_TEXT) + "}"));
        assertThat(outgoing.duplicateOfId()).isEqualTo(101L);
        assertThat(outgoing.userId()).isEqualTo(USER);
    }

    @Test
    void templateMessageIgnoresItsOwnContents() {
        // a template message with no stored content (or several) is still duplicated from its template
        StoredMessage none = message().template(8L, EXAMPLE_COMPONENTS, EXAMPLE_PARAMETERS).build();
        assertThat(rules.duplicate(none, USER).content().payload().get("content").asText()).isEqualTo(EXAMPLE_TEXT);

        StoredMessage two = message().template(8L, EXAMPLE_COMPONENTS, EXAMPLE_PARAMETERS).contents(
                content(0, "text", "{\"content\":\"a\"}", null), content(1, "text", "{\"content\":\"b\"}", null)).build();
        assertThat(rules.duplicate(two, USER).content().payload().get("content").asText()).isEqualTo(EXAMPLE_TEXT);
    }

    @Test
    void templateResultIsTheCompilersResult() {
        String components = "[{\"type\":\"BODY\",\"text\":\"Hi {{1}}\"}]";
        String parameters = "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ann\"}]}]";
        Content expected = new TemplateCompiler().compile(json(components), json(parameters), uuid -> null);
        Content actual = rules.duplicate(message().template(8L, components, parameters).build(), USER).content();
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.payload()).isEqualTo(json("{\"content\":\"Hi Ann\"}"));
    }

    @Test
    void templateWithDocumentHeaderUsesTheTemplateFile() {
        String components = "[{\"type\":\"HEADER\",\"format\":\"DOCUMENT\"},{\"type\":\"BODY\",\"text\":\"Invoice {{1}}\"}]";
        String parameters = """
                [{"type":"header","parameters":[{"type":"document","document":{"file_uuid":"%s"}}]},
                 {"type":"body","parameters":[{"type":"text","text":"#7"}]}]""".formatted(DOC.toUpperCase());
        StoredFile other = new StoredFile("9f0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33", "other.pdf", "application/pdf", 1);
        StoredMessage original = message().template(8L, components, parameters).templateFiles(other, DOC_FILE).build();

        OutgoingMessage outgoing = rules.duplicate(original, USER);

        Content content = outgoing.content();
        assertThat(content.type()).isEqualTo("document");
        assertThat(content.file()).isEqualTo(DOC_FILE);
        assertThat(content.payload()).isEqualTo(json("{\"filename\":\"invoice.pdf\",\"caption\":\"Invoice #7\"}"));
        assertThat(outgoing.fileUuid()).isEqualTo(DOC);
    }

    @Test
    void templateWithMissingFileIs422() {
        String components = "[{\"type\":\"HEADER\",\"format\":\"IMAGE\"},{\"type\":\"BODY\",\"text\":\"Look\"}]";
        String parameters = "[{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"file_uuid\":\""
                + DOC + "\"}}]}]";
        StoredMessage original = message().template(8L, components, parameters).build();
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> rules.duplicate(original, USER));
        assertUnprocessable(problem);
        assertThat(problem.detail()).startsWith("The message's WhatsApp template cannot be compiled: ")
                .contains(DOC).contains("does not exist");
    }

    @Test
    void templateThatCannotCompileIs422WithTheCompilersMessage() {
        String components = "[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, your code is {{2}}\"}]";
        String parameters = "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ann\"}]}]";
        String compilerMessage = catchThrowableOfType(TemplateCompilationException.class,
                () -> new TemplateCompiler().compile(json(components), json(parameters), uuid -> null)).getMessage();
        assertThat(compilerMessage).isEqualTo("placeholder {{2}} in BODY has no parameter");

        StoredMessage original = message().template(8L, components, parameters).build();
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> rules.duplicate(original, USER));
        assertUnprocessable(problem);
        assertThat(problem.detail()).isEqualTo(
                "The message's WhatsApp template cannot be compiled: placeholder {{2}} in BODY has no parameter");
    }

    @Test
    void templateWithoutDefinitionIs422() {
        StoredMessage original = message().template(8L, null, null)
                .contents(content(0, "text", "{\"content\":\"Hi\"}", null)).build();
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> rules.duplicate(original, USER));
        assertUnprocessable(problem);
        assertThat(problem.detail()).isEqualTo("The message's WhatsApp template cannot be compiled: template has no components");
    }

    @Test
    void templateWithoutParametersForItsPlaceholderIs422() {
        StoredMessage original = message().template(8L, EXAMPLE_COMPONENTS, null).build();
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> rules.duplicate(original, USER));
        assertUnprocessable(problem);
        assertThat(problem.detail()).isEqualTo(
                "The message's WhatsApp template cannot be compiled: placeholder {{1}} in HEADER has no parameter");
    }

    // ------------------------------------------------------------------ helpers

    private static void assertUnprocessable(ApiProblem problem) {
        assertThat(problem).isNotNull();
        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.title()).isEqualTo("Unprocessable Content");
    }

    private static String quote(String text) {
        return TestMessages.MAPPER.getNodeFactory().textNode(text).toString();
    }
}
