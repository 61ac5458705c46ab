package chat.platform.duplicate.template;

import chat.platform.duplicate.message.Content;
import chat.platform.duplicate.message.StoredFile;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateCompilerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true);

    private static final String IMG = "1f0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
    private static final String VID = "2a0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
    private static final String DOC = "3b0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
    private static final String DOC_NO_NAME = "4c0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
    private static final String DOC_BLANK_NAME = "5d0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";
    private static final String ABSENT = "6e0c2a7e-8b1d-4c3e-9f00-aa11bb22cc33";

    private static final StoredFile IMG_FILE = new StoredFile(IMG, "photo.jpg", "image/jpeg", 1234);
    private static final StoredFile VID_FILE = new StoredFile(VID, "clip.mp4", "video/mp4", 99999);
    private static final StoredFile DOC_FILE = new StoredFile(DOC, "invoice.pdf", "application/pdf", 4321);
    private static final StoredFile DOC_NO_NAME_FILE = new StoredFile(DOC_NO_NAME, null, "application/pdf", 1);
    private static final StoredFile DOC_BLANK_NAME_FILE = new StoredFile(DOC_BLANK_NAME, "  ", "application/pdf", 2);

    private static final Map<String, StoredFile> FILES = Map.of(
            IMG, IMG_FILE, VID, VID_FILE, DOC, DOC_FILE,
            DOC_NO_NAME, DOC_NO_NAME_FILE, DOC_BLANK_NAME, DOC_BLANK_NAME_FILE);

    private final TemplateCompiler compiler = new TemplateCompiler();
    private final List<String> lookups = new ArrayList<>();
    private final Function<String, StoredFile> files = uuid -> {
        lookups.add(uuid);
        return FILES.get(uuid);
    };

    // ------------------------------------------------------------------ helpers

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }

    private Content compile(String components, String parameters) {
        return compiler.compile(json(components), parameters == null ? null : json(parameters), files);
    }

    /** Compiles, checks it is a text content at position 0 without file, returns its text. */
    private String text(String components, String parameters) {
        Content content = compile(components, parameters);
        assertThat(content.position()).isZero();
        assertThat(content.type()).isEqualTo("text");
        assertThat(content.file()).isNull();
        assertThat(content.payload().size()).isEqualTo(1);
        assertThat(content.payload().get("content").isTextual()).isTrue();
        return content.payload().get("content").asText();
    }

    private void fails(String components, String parameters, String message) {
        assertThatThrownBy(() -> compile(components, parameters))
                .isExactlyInstanceOf(TemplateCompilationException.class)
                .hasMessage(message);
    }

    private static String body(String text) {
        return "[{'type':'BODY','text':" + quote(text) + "}]";
    }

    private static String bodyParams(String... parameters) {
        return "[{'type':'body','parameters':[" + String.join(",", parameters) + "]}]";
    }

    private static String t(String text) {
        return "{'type':'text','text':" + quote(text) + "}";
    }

    private static String named(String name, String text) {
        return "{'type':'text','parameter_name':'" + name + "','text':" + quote(text) + "}";
    }

    private static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The content in the Client API shape: type plus the payload's fields. */
    private static String apiJson(Content content) throws Exception {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", content.type());
        node.setAll(content.payload());
        return MAPPER.writeValueAsString(node);
    }

    // ------------------------------------------------------------------ the contract's example

    private static final String EXAMPLE_DEFINITION = """
            [{"type":"HEADER","format":"TEXT","text":"Order {{1}}"},
             {"type":"BODY","text":"Hi {{first_name}}, your order ships on {{date}} for {{total}}."},
             {"type":"FOOTER","text":"Reply STOP to opt out"},
             {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Thanks"},
                                          {"type":"URL","text":"Track","url":"https://t.example/track/{{1}}"},
                                          {"type":"PHONE_NUMBER","text":"Call us","phone_number":"+31201234567"}]}]
            """;

    private static final String EXAMPLE_PARAMETERS = """
            [{"type":"header","parameters":[{"type":"text","text":"#1042"}]},
             {"type":"body","parameters":[
               {"type":"text","parameter_name":"first_name","text":"Ann"},
               {"type":"date_time","parameter_name":"date","date_time":{"fallback_value":"March 3"}},
               {"type":"currency","parameter_name":"total","currency":{"fallback_value":"€12.50","code":"EUR","amount_1000":12500}}]},
             {"type":"button","sub_type":"url","index":1,"parameters":[{"type":"text","text":"1042-XZ"}]}]
            """;

    private static final String EXAMPLE_COMPILED = "{\"type\":\"text\",\"content\":\"Order #1042\\n\\nHi Ann, your order ships on "
            + "March 3 for €12.50.\\n\\nReply STOP to opt out\\n\\nTrack: https://t.example/track/1042-XZ\\nCall us: +31201234567\"}";

    @Nested
    class ContractExample {

        @Test
        void compilesToTheContractsContentVerbatim() throws Exception {
            Content content = compile(EXAMPLE_DEFINITION, EXAMPLE_PARAMETERS);

            assertThat(apiJson(content)).isEqualTo(EXAMPLE_COMPILED);
            assertThat(content.position()).isZero();
            assertThat(content.file()).isNull();
            assertThat(content.payload().toString()).isEqualTo(
                    "{\"content\":\"Order #1042\\n\\nHi Ann, your order ships on March 3 for €12.50.\\n\\n"
                            + "Reply STOP to opt out\\n\\nTrack: https://t.example/track/1042-XZ\\nCall us: +31201234567\"}");
        }

        @Test
        void componentsInAnyOrderGiveTheSameContent() throws Exception {
            String shuffled = """
                    [{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Thanks"},
                                                  {"type":"URL","text":"Track","url":"https://t.example/track/{{1}}"},
                                                  {"type":"PHONE_NUMBER","text":"Call us","phone_number":"+31201234567"}]},
                     {"type":"FOOTER","text":"Reply STOP to opt out"},
                     {"type":"BODY","text":"Hi {{first_name}}, your order ships on {{date}} for {{total}}."},
                     {"type":"HEADER","format":"TEXT","text":"Order {{1}}"}]
                    """;
            String shuffledParameters = """
                    [{"type":"button","sub_type":"url","index":1,"parameters":[{"type":"text","text":"1042-XZ"}]},
                     {"type":"body","parameters":[
                       {"type":"text","parameter_name":"first_name","text":"Ann"},
                       {"type":"date_time","parameter_name":"date","date_time":{"fallback_value":"March 3"}},
                       {"type":"currency","parameter_name":"total","currency":{"fallback_value":"€12.50","code":"EUR","amount_1000":12500}}]},
                     {"type":"header","parameters":[{"type":"text","text":"#1042"}]}]
                    """;
            assertThat(apiJson(compile(shuffled, shuffledParameters))).isEqualTo(EXAMPLE_COMPILED);
        }

        @Test
        void compilerIsReusable() throws Exception {
            assertThat(apiJson(compile(EXAMPLE_DEFINITION, EXAMPLE_PARAMETERS))).isEqualTo(EXAMPLE_COMPILED);
            assertThat(apiJson(compile(EXAMPLE_DEFINITION, EXAMPLE_PARAMETERS))).isEqualTo(EXAMPLE_COMPILED);
        }

        @Test
        void inputsAreNotModified() {
            JsonNode definition = json(EXAMPLE_DEFINITION);
            JsonNode parameters = json(EXAMPLE_PARAMETERS);
            JsonNode definitionCopy = definition.deepCopy();
            JsonNode parametersCopy = parameters.deepCopy();
            compiler.compile(definition, parameters, files);
            assertThat(definition).isEqualTo(definitionCopy);
            assertThat(parameters).isEqualTo(parametersCopy);
        }
    }

    // ------------------------------------------------------------------ placeholders

    @Nested
    class Placeholders {

        @Test
        void positionalPlaceholdersTakeParametersInOrder() {
            assertThat(text(body("Hi {{1}}, your order ships {{2}}."), bodyParams(t("Ann"), t("tomorrow"))))
                    .isEqualTo("Hi Ann, your order ships tomorrow.");
        }

        @Test
        void positionalPlaceholdersMayAppearOutOfOrderAndRepeat() {
            assertThat(text(body("{{2}} {{1}} {{2}}"), bodyParams(t("a"), t("b"))))
                    .isEqualTo("b a b");
        }

        @Test
        void namedPlaceholdersTakeTheParameterWithThatName() {
            assertThat(text(body("Hi {{first_name}} {{last_name}}!"),
                    bodyParams(named("last_name", "Smith"), named("first_name", "Ann"))))
                    .isEqualTo("Hi Ann Smith!");
        }

        @Test
        void namedPlaceholdersMayContainDigitsUnderscoresAndCapitals() {
            assertThat(text(body("{{Name_2}}/{{_x}}/{{a1b2}}/{{1st}}"),
                    bodyParams(named("Name_2", "A"), named("_x", "B"), named("a1b2", "C"), named("1st", "D"))))
                    .isEqualTo("A/B/C/D");
        }

        @Test
        void namedAndPositionalPlaceholdersInOneTemplate() {
            // positional counts every parameter of the component, named or not
            assertThat(text(body("{{first_name}} ordered {{2}}; first param again: {{1}}"),
                    bodyParams(named("first_name", "Ann"), t("3 apples"))))
                    .isEqualTo("Ann ordered 3 apples; first param again: Ann");
        }

        @Test
        void substitutionIsOnePass() {
            assertThat(text(body("A={{1}} B={{2}} C={{name}}"),
                    bodyParams(t("{{2}}"), t("{{1}}"), named("name", "{{name}} and {{x}}"))))
                    .isEqualTo("A={{2}} B={{1}} C={{name}} and {{x}}");
        }

        @Test
        void valuesWithRegexReplacementCharactersAreKeptVerbatim() {
            assertThat(text(body("Price: {{1}} path {{2}}"), bodyParams(t("$1 \\0 $"), t("C:\\temp\\$x"))))
                    .isEqualTo("Price: $1 \\0 $ path C:\\temp\\$x");
        }

        @Test
        void valuesWithLineBreaksAreKept() {
            assertThat(text(body("Address:\n{{1}}"), bodyParams(t("Main St 1\n1000 AA Amsterdam"))))
                    .isEqualTo("Address:\nMain St 1\n1000 AA Amsterdam");
        }

        @Test
        void emptyValueIsAllowed() {
            assertThat(text(body("Hi {{1}}!"), bodyParams(t("")))).isEqualTo("Hi !");
        }

        @Test
        void surplusParametersAreIgnored() {
            assertThat(text(body("Hi {{1}}"), bodyParams(t("Ann"), t("unused"), named("x", "unused too"),
                    "{'type':'image','image':{'file_uuid':'" + IMG + "'}}")))
                    .isEqualTo("Hi Ann");
        }

        @Test
        void parametersForATextWithoutPlaceholdersAreIgnored() {
            assertThat(text(body("No placeholders here."), bodyParams(t("Ann"))))
                    .isEqualTo("No placeholders here.");
        }

        @Test
        void leadingZerosInAPositionalPlaceholderAreIgnored() {
            assertThat(text(body("{{01}}-{{002}}"), bodyParams(t("a"), t("b")))).isEqualTo("a-b");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{{ 1 }}", "{{1 }}", "{{ 1}}", "{{}}", "{{ }}", "{{first-name}}", "{{first name}}",
                "{{prénom}}", "{{1", "{1}}", "{1}", "{{1}", "}}1{{", "{{{}}}", "{{\n1}}", "{{1.5}}", "{{-1}}"})
        void textThatIsNotAPlaceholderIsKeptLiterally(String literal) {
            assertThat(text(body("x " + literal + " y"), bodyParams(t("VALUE")))).isEqualTo("x " + literal + " y");
        }

        @Test
        void notAPlaceholderNeedsNoParameter() {
            assertThat(text(body("Use {{ 1 }} or {{}} here"), null)).isEqualTo("Use {{ 1 }} or {{}} here");
        }

        @Test
        void extraBracesAroundAPlaceholderAreKept() {
            assertThat(text(body("{{{1}}} and {{{{name}}}}"), bodyParams(t("Ann"), named("name", "Bo"))))
                    .isEqualTo("{Ann} and {{Bo}}");
        }

        @Test
        void adjacentPlaceholders() {
            assertThat(text(body("{{1}}{{2}}{{1}}"), bodyParams(t("a"), t("b")))).isEqualTo("aba");
        }

        @Test
        void missingPositionalParameterFailsNamingIt() {
            fails(body("Hi {{1}}, your order ships {{2}}."), bodyParams(t("Ann")),
                    "placeholder {{2}} in BODY has no parameter");
        }

        @Test
        void missingNamedParameterFailsNamingIt() {
            fails(body("Hi {{first_name}}"), bodyParams(named("last_name", "Smith")),
                    "placeholder {{first_name}} in BODY has no parameter");
        }

        @Test
        void namedPlaceholderDoesNotTakeAnUnnamedParameter() {
            fails(body("Hi {{first_name}}"), bodyParams(t("Ann")),
                    "placeholder {{first_name}} in BODY has no parameter");
        }

        @Test
        void namedPlaceholdersAreCaseSensitive() {
            fails(body("Hi {{First_Name}}"), bodyParams(named("first_name", "Ann")),
                    "placeholder {{First_Name}} in BODY has no parameter");
        }

        @Test
        void placeholderZeroNeverHasAParameter() {
            fails(body("Hi {{0}}"), bodyParams(t("Ann")), "placeholder {{0}} in BODY has no parameter");
        }

        @Test
        void hugePositionalPlaceholderHasNoParameter() {
            fails(body("Hi {{99999999999999999999}}"), bodyParams(t("Ann")),
                    "placeholder {{99999999999999999999}} in BODY has no parameter");
        }

        @Test
        void placeholderWithoutAnyParametersFails() {
            fails(body("Hi {{1}}"), null, "placeholder {{1}} in BODY has no parameter");
            fails(body("Hi {{1}}"), "[]", "placeholder {{1}} in BODY has no parameter");
            fails(body("Hi {{1}}"), "[{'type':'body'}]", "placeholder {{1}} in BODY has no parameter");
            fails(body("Hi {{1}}"), "[{'type':'body','parameters':null}]", "placeholder {{1}} in BODY has no parameter");
        }

        @Test
        void theFirstFailingPlaceholderIsNamed() {
            fails(body("{{3}} {{2}} {{1}}"), bodyParams(t("a")), "placeholder {{3}} in BODY has no parameter");
        }

        @Test
        void duplicateParameterNameUsesTheFirst() {
            assertThat(text(body("{{n}}"), bodyParams(named("n", "first"), named("n", "second"))))
                    .isEqualTo("first");
        }

        @Test
        void bodyPlaceholdersDoNotUseHeaderParameters() {
            fails(body("Hi {{1}}"), "[{'type':'header','parameters':[" + t("Ann") + "]}]",
                    "placeholder {{1}} in BODY has no parameter");
        }
    }

    // ------------------------------------------------------------------ parameter values

    @Nested
    class Values {

        @Test
        void currencyUsesItsFallbackValue() {
            assertThat(text(body("Total: {{1}}"), bodyParams(
                    "{'type':'currency','currency':{'fallback_value':'$12.50','code':'USD','amount_1000':12500}}")))
                    .isEqualTo("Total: $12.50");
        }

        @Test
        void dateTimeUsesItsFallbackValue() {
            assertThat(text(body("On {{1}}"), bodyParams("{'type':'date_time','date_time':{'fallback_value':'March 3, 2026'}}")))
                    .isEqualTo("On March 3, 2026");
        }

        @Test
        void namedCurrencyAndDateTime() {
            assertThat(text(body("{{total}} on {{date}}"), bodyParams(
                    "{'type':'date_time','parameter_name':'date','date_time':{'fallback_value':'May 1'}}",
                    "{'type':'currency','parameter_name':'total','currency':{'fallback_value':'€5','code':'EUR','amount_1000':5000}}")))
                    .isEqualTo("€5 on May 1");
        }

        @Test
        void parameterTypesAreCaseInsensitive() {
            assertThat(text(body("{{1}} {{2}}"), "[{'type':'BODY','parameters':[{'type':'TEXT','text':'a'},"
                    + "{'type':'Currency','currency':{'fallback_value':'b'}}]}]"))
                    .isEqualTo("a b");
        }

        @Test
        void currencyWithoutFallbackValueFails() {
            fails(body("Total: {{1}}"), bodyParams("{'type':'currency','currency':{'code':'USD','amount_1000':12500}}"),
                    "the currency parameter of placeholder {{1}} in BODY has no currency.fallback_value");
        }

        @Test
        void dateTimeWithoutObjectFails() {
            fails(body("On {{when}}"), bodyParams("{'type':'date_time','parameter_name':'when'}"),
                    "the date_time parameter of placeholder {{when}} in BODY has no date_time.fallback_value");
        }

        @Test
        void textParameterWithoutTextFails() {
            fails(body("Hi {{1}}"), bodyParams("{'type':'text'}"),
                    "the text parameter of placeholder {{1}} in BODY has no text");
        }

        @Test
        void textParameterWithNonStringTextFails() {
            fails(body("Hi {{1}}"), bodyParams("{'type':'text','text':42}"),
                    "the text parameter of placeholder {{1}} in BODY has no text");
        }

        @Test
        void parameterWithoutTypeFails() {
            fails(body("Hi {{1}}"), bodyParams("{'text':'Ann'}"),
                    "the parameter of placeholder {{1}} in BODY has no type");
        }

        @Test
        void mediaParameterCannotFillATextPlaceholder() {
            fails(body("Hi {{1}}"), bodyParams("{'type':'image','image':{'file_uuid':'" + IMG + "'}}"),
                    "the image parameter of placeholder {{1}} in BODY has no text value");
        }

        @Test
        void couponCodeCannotFillATextPlaceholder() {
            fails(body("Hi {{1}}"), bodyParams("{'type':'coupon_code','coupon_code':'SAVE10'}"),
                    "the coupon_code parameter of placeholder {{1}} in BODY has no text value");
        }
    }

    // ------------------------------------------------------------------ headers

    @Nested
    class TextHeader {

        @Test
        void substitutesFromTheHeaderParameters() {
            assertThat(text("[{'type':'HEADER','format':'TEXT','text':'Order {{1}}'},{'type':'BODY','text':'Hi {{1}}'}]",
                    "[{'type':'header','parameters':[" + t("#7") + "]},{'type':'body','parameters':[" + t("Ann") + "]}]"))
                    .isEqualTo("Order #7\n\nHi Ann");
        }

        @Test
        void namedHeaderPlaceholder() {
            assertThat(text("[{'type':'HEADER','format':'TEXT','text':'Order {{order_no}}'},{'type':'BODY','text':'Hi'}]",
                    "[{'type':'header','parameters':[" + named("order_no", "#7") + "]}]"))
                    .isEqualTo("Order #7\n\nHi");
        }

        @Test
        void headerWithoutPlaceholders() {
            assertThat(text("[{'type':'HEADER','format':'TEXT','text':'Welcome'},{'type':'BODY','text':'Hi'}]", null))
                    .isEqualTo("Welcome\n\nHi");
        }

        @Test
        void missingHeaderParameterFails() {
            fails("[{'type':'HEADER','format':'TEXT','text':'Order {{1}}'},{'type':'BODY','text':'Hi {{1}}'}]",
                    bodyParams(t("Ann")), "placeholder {{1}} in HEADER has no parameter");
        }

        @Test
        void emptyHeaderTextIsLeftOut() {
            assertThat(text("[{'type':'HEADER','format':'TEXT','text':''},{'type':'BODY','text':'Hi'}]", null))
                    .isEqualTo("Hi");
            assertThat(text("[{'type':'HEADER','format':'TEXT','text':' \\n '},{'type':'BODY','text':'Hi'}]", null))
                    .isEqualTo("Hi");
            assertThat(text("[{'type':'HEADER','format':'TEXT','text':'{{1}}'},{'type':'BODY','text':'Hi'}]",
                    "[{'type':'header','parameters':[" + t("") + "]}]"))
                    .isEqualTo("Hi");
        }

        @Test
        void textHeaderWithoutTextFails() {
            fails("[{'type':'HEADER','format':'TEXT'},{'type':'BODY','text':'Hi'}]", null,
                    "HEADER of format TEXT has no text");
        }

        @Test
        void formatIsCaseInsensitive() {
            assertThat(text("[{'type':'header','format':'text','text':'Hello'},{'type':'body','text':'Hi'}]", null))
                    .isEqualTo("Hello\n\nHi");
        }

        @Test
        void headerWithoutFormatFails() {
            fails("[{'type':'HEADER','text':'Hello'},{'type':'BODY','text':'Hi'}]", null, "HEADER has no format");
        }

        @Test
        void unsupportedFormatFails() {
            fails("[{'type':'HEADER','format':'STICKER'},{'type':'BODY','text':'Hi'}]", null,
                    "HEADER format STICKER is not supported");
        }
    }

    @Nested
    class LocationHeader {

        private static final String DEFINITION =
                "[{'type':'HEADER','format':'LOCATION'},{'type':'BODY','text':'See you there'},"
                        + "{'type':'FOOTER','text':'Shop Inc.'}]";

        private String withLocation(String location) {
            return "[{'type':'header','parameters':[{'type':'location','location':" + location + "}]}]";
        }

        @Test
        void nameAndAddress() {
            assertThat(text(DEFINITION, withLocation(
                    "{'latitude':'52.37','longitude':'4.89','name':'Central Store','address':'Damrak 1, Amsterdam'}")))
                    .isEqualTo("Central Store, Damrak 1, Amsterdam\n\nSee you there\n\nShop Inc.");
        }

        @Test
        void onlyName() {
            assertThat(text(DEFINITION, withLocation("{'latitude':'52.37','longitude':'4.89','name':'Central Store'}")))
                    .isEqualTo("Central Store\n\nSee you there\n\nShop Inc.");
        }

        @Test
        void onlyAddress() {
            assertThat(text(DEFINITION, withLocation("{'latitude':'52.37','longitude':'4.89','address':'Damrak 1'}")))
                    .isEqualTo("Damrak 1\n\nSee you there\n\nShop Inc.");
        }

        @Test
        void neitherNameNorAddress() {
            assertThat(text(DEFINITION, withLocation("{'latitude':'52.37','longitude':'4.89'}")))
                    .isEqualTo("See you there\n\nShop Inc.");
        }

        @Test
        void blankOrNullOrNonStringNameAndAddressCountAsAbsent() {
            assertThat(text(DEFINITION, withLocation("{'latitude':'52.37','longitude':'4.89','name':'  ','address':null}")))
                    .isEqualTo("See you there\n\nShop Inc.");
            assertThat(text(DEFINITION, withLocation("{'name':'','address':'Damrak 1'}")))
                    .isEqualTo("Damrak 1\n\nSee you there\n\nShop Inc.");
            assertThat(text(DEFINITION, withLocation("{'name':42,'address':'Damrak 1'}")))
                    .isEqualTo("Damrak 1\n\nSee you there\n\nShop Inc.");
        }

        @Test
        void locationHeaderGivesATextContent() {
            Content content = compile(DEFINITION, withLocation("{'name':'Central Store'}"));
            assertThat(content.type()).isEqualTo("text");
            assertThat(content.file()).isNull();
            assertThat(content.payload().toString())
                    .isEqualTo("{\"content\":\"Central Store\\n\\nSee you there\\n\\nShop Inc.\"}");
        }

        @Test
        void theFirstLocationParameterIsUsed() {
            assertThat(text(DEFINITION, "[{'type':'header','parameters':[" + t("ignored")
                    + ",{'type':'location','location':{'name':'A'}},{'type':'location','location':{'name':'B'}}]}]"))
                    .isEqualTo("A\n\nSee you there\n\nShop Inc.");
        }

        @Test
        void missingLocationParameterFails() {
            fails(DEFINITION, null, "header LOCATION needs a location parameter");
            fails(DEFINITION, "[{'type':'header','parameters':[" + t("Central Store") + "]}]",
                    "header LOCATION needs a location parameter");
            fails(DEFINITION, "[{'type':'header','parameters':[{'type':'location'}]}]",
                    "header LOCATION needs a location parameter");
        }
    }

    @Nested
    class MediaHeaders {

        private String media(String format, String bodyText) {
            return "[{'type':'HEADER','format':'" + format + "'},{'type':'BODY','text':" + quote(bodyText) + "}]";
        }

        private String mediaParams(String type, String object, String... bodyParameters) {
            return "[{'type':'header','parameters':[{'type':'" + type + "','" + type + "':" + object + "}]},"
                    + "{'type':'body','parameters':[" + String.join(",", bodyParameters) + "]}]";
        }

        @Test
        void imageHeader() {
            Content content = compile(media("IMAGE", "Hi {{1}}, here is your photo."),
                    mediaParams("image", "{'file_uuid':'" + IMG + "'}", t("Ann")));
            assertThat(content.position()).isZero();
            assertThat(content.type()).isEqualTo("image");
            assertThat(content.file()).isSameAs(IMG_FILE);
            assertThat(content.payload().toString()).isEqualTo("{\"caption\":\"Hi Ann, here is your photo.\"}");
            assertThat(lookups).containsExactly(IMG);
        }

        @Test
        void videoHeaderWithFooterAndButtons() {
            Content content = compile("[{'type':'HEADER','format':'VIDEO'},{'type':'BODY','text':'Watch'},"
                            + "{'type':'FOOTER','text':'Ads'},"
                            + "{'type':'BUTTONS','buttons':[{'type':'PHONE_NUMBER','text':'Call','phone_number':'+1555'}]}]",
                    mediaParams("video", "{'file_uuid':'" + VID + "'}"));
            assertThat(content.type()).isEqualTo("video");
            assertThat(content.file()).isSameAs(VID_FILE);
            assertThat(content.payload().toString()).isEqualTo("{\"caption\":\"Watch\\n\\nAds\\n\\nCall: +1555\"}");
        }

        @Test
        void documentHeaderWithFilenameFromTheParameter() {
            Content content = compile(media("DOCUMENT", "Your invoice"),
                    mediaParams("document", "{'file_uuid':'" + DOC + "','filename':'Invoice 2026-03.pdf'}"));
            assertThat(content.type()).isEqualTo("document");
            assertThat(content.file()).isSameAs(DOC_FILE);
            assertThat(content.payload().toString())
                    .isEqualTo("{\"filename\":\"Invoice 2026-03.pdf\",\"caption\":\"Your invoice\"}");
        }

        @Test
        void documentFilenameFallsBackToTheFilesName() {
            Content content = compile(media("DOCUMENT", "Your invoice"),
                    mediaParams("document", "{'file_uuid':'" + DOC + "'}"));
            assertThat(content.payload().toString()).isEqualTo("{\"filename\":\"invoice.pdf\",\"caption\":\"Your invoice\"}");
        }

        @Test
        void blankOrNonStringFilenameParameterFallsBackToTheFilesName() {
            assertThat(compile(media("DOCUMENT", "x"), mediaParams("document", "{'file_uuid':'" + DOC + "','filename':'  '}"))
                    .payload().get("filename").asText()).isEqualTo("invoice.pdf");
            assertThat(compile(media("DOCUMENT", "x"), mediaParams("document", "{'file_uuid':'" + DOC + "','filename':null}"))
                    .payload().get("filename").asText()).isEqualTo("invoice.pdf");
            assertThat(compile(media("DOCUMENT", "x"), mediaParams("document", "{'file_uuid':'" + DOC + "','filename':7}"))
                    .payload().get("filename").asText()).isEqualTo("invoice.pdf");
        }

        @Test
        void documentFilenameIsNullWhenNeitherParameterNorFileHasOne() {
            Content content = compile(media("DOCUMENT", "Your invoice"),
                    mediaParams("document", "{'file_uuid':'" + DOC_NO_NAME + "'}"));
            assertThat(content.file()).isSameAs(DOC_NO_NAME_FILE);
            assertThat(content.payload().toString()).isEqualTo("{\"filename\":null,\"caption\":\"Your invoice\"}");
            assertThat(content.payload().get("filename").isNull()).isTrue();

            Content blank = compile(media("DOCUMENT", "Your invoice"),
                    mediaParams("document", "{'file_uuid':'" + DOC_BLANK_NAME + "'}"));
            assertThat(blank.payload().toString()).isEqualTo("{\"filename\":null,\"caption\":\"Your invoice\"}");
        }

        @Test
        void filenameOnAnImageParameterIsIgnored() {
            Content content = compile(media("IMAGE", "Look"),
                    mediaParams("image", "{'file_uuid':'" + IMG + "','filename':'x.jpg'}"));
            assertThat(content.payload().toString()).isEqualTo("{\"caption\":\"Look\"}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"IMAGE", "VIDEO", "DOCUMENT"})
        void emptyCompiledTextGivesANullCaption(String format) {
            String type = format.toLowerCase();
            String uuid = switch (format) {
                case "IMAGE" -> IMG;
                case "VIDEO" -> VID;
                default -> DOC;
            };
            Content content = compile(media(format, ""), mediaParams(type, "{'file_uuid':'" + uuid + "'}"));
            assertThat(content.type()).isEqualTo(type);
            assertThat(content.payload().get("caption").isNull()).isTrue();
            assertThat(content.payload().has("caption")).isTrue();
            String expected = format.equals("DOCUMENT") ? "{\"filename\":\"invoice.pdf\",\"caption\":null}" : "{\"caption\":null}";
            assertThat(content.payload().toString()).isEqualTo(expected);
        }

        @Test
        void blankPartsOnlyGiveANullCaption() {
            Content content = compile("[{'type':'HEADER','format':'IMAGE'},{'type':'BODY','text':'{{1}}'},"
                            + "{'type':'FOOTER','text':'  '},{'type':'BUTTONS','buttons':[{'type':'QUICK_REPLY','text':'OK'}]}]",
                    mediaParams("image", "{'file_uuid':'" + IMG + "'}", t(" ")));
            assertThat(content.payload().toString()).isEqualTo("{\"caption\":null}");
        }

        @Test
        void mediaHeaderPlaceholdersInBodyStillNeedParameters() {
            fails(media("IMAGE", "Hi {{1}}"), mediaParams("image", "{'file_uuid':'" + IMG + "'}"),
                    "placeholder {{1}} in BODY has no parameter");
        }

        @Test
        void missingImageParameterFails() {
            fails(media("IMAGE", "Look"), null, "header IMAGE needs an image parameter with a file_uuid");
            fails(media("IMAGE", "Look"), "[{'type':'header','parameters':[]}]",
                    "header IMAGE needs an image parameter with a file_uuid");
        }

        @Test
        void parameterOfAnotherMediaTypeFails() {
            fails(media("IMAGE", "Look"), mediaParams("video", "{'file_uuid':'" + VID + "'}"),
                    "header IMAGE needs an image parameter with a file_uuid");
            fails(media("VIDEO", "Look"), mediaParams("image", "{'file_uuid':'" + IMG + "'}"),
                    "header VIDEO needs a video parameter with a file_uuid");
            fails(media("DOCUMENT", "Look"), mediaParams("image", "{'file_uuid':'" + IMG + "'}"),
                    "header DOCUMENT needs a document parameter with a file_uuid");
        }

        @Test
        void parameterWithoutFileUuidFails() {
            fails(media("IMAGE", "Look"), mediaParams("image", "{'link':'https://x.example/a.jpg'}"),
                    "header IMAGE needs an image parameter with a file_uuid");
            fails(media("IMAGE", "Look"), mediaParams("image", "{'file_uuid':null}"),
                    "header IMAGE needs an image parameter with a file_uuid");
            fails(media("IMAGE", "Look"), mediaParams("image", "'" + IMG + "'"),
                    "header IMAGE needs an image parameter with a file_uuid");
            fails(media("IMAGE", "Look"), "[{'type':'header','parameters':[{'type':'image'}]}]",
                    "header IMAGE needs an image parameter with a file_uuid");
        }

        @Test
        void missingFileFails() {
            fails(media("IMAGE", "Look"), mediaParams("image", "{'file_uuid':'" + ABSENT + "'}"),
                    "file " + ABSENT + " of the IMAGE header does not exist");
            fails(media("DOCUMENT", "Read"), mediaParams("document", "{'file_uuid':'" + ABSENT + "','filename':'a.pdf'}"),
                    "file " + ABSENT + " of the DOCUMENT header does not exist");
            assertThat(lookups).containsExactly(ABSENT, ABSENT);
        }

        @Test
        void uuidIsLookedUpInLowerCase() {
            Content content = compile(media("IMAGE", "Look"), mediaParams("image", "{'file_uuid':'" + IMG.toUpperCase() + "'}"));
            assertThat(content.file()).isSameAs(IMG_FILE);
            assertThat(lookups).containsExactly(IMG);
        }

        @Test
        void malformedUuidFailsWithoutALookup() {
            fails(media("IMAGE", "Look"), mediaParams("image", "{'file_uuid':'not-a-uuid'}"),
                    "file_uuid \"not-a-uuid\" of the IMAGE header is not a UUID");
            fails(media("IMAGE", "Look"), mediaParams("image", "{'file_uuid':''}"),
                    "file_uuid \"\" of the IMAGE header is not a UUID");
            assertThat(lookups).isEmpty();
        }

        @Test
        void theFirstParameterOfTheHeaderFormatIsUsed() {
            Content content = compile(media("VIDEO", "Watch"), "[{'type':'header','parameters':["
                    + "{'type':'image','image':{'file_uuid':'" + IMG + "'}},"
                    + "{'type':'video','video':{'file_uuid':'" + VID + "'}},"
                    + "{'type':'video','video':{'file_uuid':'" + ABSENT + "'}}]}]");
            assertThat(content.file()).isSameAs(VID_FILE);
            assertThat(lookups).containsExactly(VID);
        }

        @Test
        void mediaFormatIsCaseInsensitive() {
            // the parameter's type is case-insensitive, the name of its object field is not
            Content content = compile(media("image", "Look"),
                    "[{'type':'header','parameters':[{'type':'IMAGE','image':{'file_uuid':'" + IMG + "'}}]}]");
            assertThat(content.type()).isEqualTo("image");
        }

        @Test
        void filesMustNotBeNull() {
            assertThatThrownBy(() -> compiler.compile(json(body("Hi")), null, null))
                    .isInstanceOf(NullPointerException.class);
        }
    }

    // ------------------------------------------------------------------ parts and components

    @Nested
    class Parts {

        @Test
        void onlyBody() {
            assertThat(text(body("Just a body."), null)).isEqualTo("Just a body.");
        }

        @Test
        void bodyAndFooter() {
            assertThat(text("[{'type':'BODY','text':'Body'},{'type':'FOOTER','text':'Footer'}]", null))
                    .isEqualTo("Body\n\nFooter");
        }

        @Test
        void headerAndBodyWithoutFooter() {
            assertThat(text("[{'type':'HEADER','format':'TEXT','text':'Head'},{'type':'BODY','text':'Body'}]", null))
                    .isEqualTo("Head\n\nBody");
        }

        @Test
        void bodyAndButtonsWithoutFooter() {
            assertThat(text("[{'type':'BODY','text':'Body'},{'type':'BUTTONS','buttons':"
                    + "[{'type':'PHONE_NUMBER','text':'Call','phone_number':'+1'}]}]", null))
                    .isEqualTo("Body\n\nCall: +1");
        }

        @Test
        void footerPlaceholdersAreLiteral() {
            assertThat(text("[{'type':'BODY','text':'Hi {{1}}'},{'type':'FOOTER','text':'Ref {{1}} {{x}}'}]",
                    bodyParams(t("Ann"))))
                    .isEqualTo("Hi Ann\n\nRef {{1}} {{x}}");
        }

        @Test
        void emptyOrMissingFooterIsLeftOut() {
            assertThat(text("[{'type':'BODY','text':'Body'},{'type':'FOOTER','text':''}]", null)).isEqualTo("Body");
            assertThat(text("[{'type':'BODY','text':'Body'},{'type':'FOOTER','text':'   '}]", null)).isEqualTo("Body");
            assertThat(text("[{'type':'BODY','text':'Body'},{'type':'FOOTER'}]", null)).isEqualTo("Body");
            assertThat(text("[{'type':'BODY','text':'Body'},{'type':'FOOTER','text':null}]", null)).isEqualTo("Body");
        }

        @Test
        void footerTextThatIsNotAStringFails() {
            fails("[{'type':'BODY','text':'Body'},{'type':'FOOTER','text':5}]", null, "FOOTER text is not a string");
        }

        @Test
        void emptyBodyIsLeftOut() {
            assertThat(text("[{'type':'HEADER','format':'TEXT','text':'Head'},{'type':'BODY','text':''},"
                    + "{'type':'FOOTER','text':'Foot'}]", null))
                    .isEqualTo("Head\n\nFoot");
        }

        @Test
        void partsAreNotTrimmed() {
            assertThat(text("[{'type':'BODY','text':'  Body\\n'},{'type':'FOOTER','text':'Foot '}]", null))
                    .isEqualTo("  Body\n\n\nFoot ");
        }

        @Test
        void emptyCompiledTextFails() {
            fails(body(""), null, "template compiles to an empty text");
            fails(body("{{1}}"), bodyParams(t(" ")), "template compiles to an empty text");
            fails("[{'type':'BODY','text':''},{'type':'BUTTONS','buttons':[{'type':'QUICK_REPLY','text':'OK'}]}]", null,
                    "template compiles to an empty text");
        }

        @Test
        void componentTypesAreCaseInsensitive() {
            assertThat(text("[{'type':'body','text':'B'},{'type':'Footer','text':'F'}]", null)).isEqualTo("B\n\nF");
        }
    }

    @Nested
    class MalformedDefinition {

        @Test
        void templateWithoutBodyFails() {
            fails("[{'type':'HEADER','format':'TEXT','text':'Hi'},{'type':'FOOTER','text':'F'}]", null, "template has no BODY");
            fails("[]", null, "template has no BODY");
        }

        @Test
        void bodyWithoutTextFails() {
            fails("[{'type':'BODY'}]", null, "BODY has no text");
            fails("[{'type':'BODY','text':null}]", null, "BODY has no text");
            fails("[{'type':'BODY','text':['a']}]", null, "BODY has no text");
        }

        @Test
        void componentsNotAnArrayFails() {
            fails("{'type':'BODY','text':'Hi'}", null, "template components are not a JSON array");
            fails("'[]'", null, "template components are not a JSON array");
        }

        @Test
        void missingComponentsFail() {
            assertThatThrownBy(() -> compiler.compile(null, null, files))
                    .isExactlyInstanceOf(TemplateCompilationException.class).hasMessage("template has no components");
            assertThatThrownBy(() -> compiler.compile(NullNode.getInstance(), null, files))
                    .isExactlyInstanceOf(TemplateCompilationException.class).hasMessage("template has no components");
            assertThatThrownBy(() -> compiler.compile(MissingNode.getInstance(), null, files))
                    .isExactlyInstanceOf(TemplateCompilationException.class).hasMessage("template has no components");
        }

        @Test
        void componentNotAnObjectFails() {
            fails("[{'type':'BODY','text':'Hi'},'FOOTER']", null, "template component at index 1 is not an object");
            fails("[null]", null, "template component at index 0 is not an object");
        }

        @Test
        void componentWithoutTypeFails() {
            fails("[{'type':'BODY','text':'Hi'},{'text':'x'}]", null, "template component at index 1 has no type");
            fails("[{'type':3,'text':'x'}]", null, "template component at index 0 has no type");
        }

        @Test
        void unsupportedComponentTypeFails() {
            fails("[{'type':'BODY','text':'Hi'},{'type':'CAROUSEL','cards':[]}]", null,
                    "template component type CAROUSEL is not supported");
        }

        @Test
        void duplicateComponentTypeFails() {
            fails("[{'type':'BODY','text':'Hi'},{'type':'body','text':'Again'}]", null, "template has more than one BODY");
            fails("[{'type':'HEADER','format':'TEXT','text':'a'},{'type':'BODY','text':'Hi'},"
                    + "{'type':'HEADER','format':'TEXT','text':'b'}]", null, "template has more than one HEADER");
        }
    }

    @Nested
    class MalformedParameters {

        @Test
        void absentParametersMeanNoParameters() {
            assertThat(compiler.compile(json(body("Hi")), null, files).payload().get("content").asText()).isEqualTo("Hi");
            assertThat(compiler.compile(json(body("Hi")), NullNode.getInstance(), files).payload().get("content").asText())
                    .isEqualTo("Hi");
            assertThat(compiler.compile(json(body("Hi")), MissingNode.getInstance(), files).payload().get("content").asText())
                    .isEqualTo("Hi");
            assertThat(text(body("Hi"), "[]")).isEqualTo("Hi");
        }

        @Test
        void parametersNotAnArrayFails() {
            fails(body("Hi"), "{'type':'body','parameters':[]}", "template parameters are not a JSON array");
            fails(body("Hi"), "'x'", "template parameters are not a JSON array");
        }

        @Test
        void parameterComponentNotAnObjectFails() {
            fails(body("Hi"), "[{'type':'body','parameters':[]}, 5]", "template parameter component at index 1 is not an object");
        }

        @Test
        void parameterComponentWithoutTypeFails() {
            fails(body("Hi"), "[{'parameters':[]}]", "template parameter component at index 0 has no type");
        }

        @Test
        void componentParametersNotAnArrayFails() {
            fails(body("Hi"), "[{'type':'body','parameters':{'type':'text','text':'a'}}]",
                    "parameters of the body component are not a JSON array");
            fails(body("Hi"), "[{'type':'header','parameters':'a'}]",
                    "parameters of the header component are not a JSON array");
            fails(body("Hi"), "[{'type':'button','index':0,'parameters':3}]",
                    "parameters of the button 0 component are not a JSON array");
        }

        @Test
        void parameterNotAnObjectFails() {
            fails(body("Hi {{1}}"), "[{'type':'body','parameters':['Ann']}]",
                    "parameter at index 0 of the body component is not an object");
            fails(body("Hi"), "[{'type':'header','parameters':[" + t("a") + ",null]}]",
                    "parameter at index 1 of the header component is not an object");
        }

        @Test
        void unknownParameterComponentsAreIgnored() {
            assertThat(text(body("Hi {{1}}"), "[{'type':'carousel','cards':'whatever'},{'type':'footer','parameters':7},"
                    + "{'type':'body','parameters':[" + t("Ann") + "]}]"))
                    .isEqualTo("Hi Ann");
        }

        @Test
        void repeatedComponentUsesTheFirst() {
            assertThat(text(body("Hi {{1}}"), "[{'type':'body','parameters':[" + t("Ann") + "]},"
                    + "{'type':'body','parameters':[" + t("Bob") + "]}]"))
                    .isEqualTo("Hi Ann");
        }
    }

    // ------------------------------------------------------------------ buttons

    @Nested
    class Buttons {

        private String withButtons(String... buttons) {
            return "[{'type':'BODY','text':'Body'},{'type':'BUTTONS','buttons':[" + String.join(",", buttons) + "]}]";
        }

        private String buttonParams(Object index, String subType, String... parameters) {
            String i = index instanceof String ? "'" + index + "'" : String.valueOf(index);
            return "{'type':'button','sub_type':'" + subType + "','index':" + i + ",'parameters':["
                    + String.join(",", parameters) + "]}";
        }

        private String params(String... components) {
            return "[" + String.join(",", components) + "]";
        }

        @Test
        void urlWithPlaceholder() {
            assertThat(text(withButtons("{'type':'URL','text':'Track','url':'https://t.example/track/{{1}}'}"),
                    params(buttonParams(0, "url", t("1042-XZ")))))
                    .isEqualTo("Body\n\nTrack: https://t.example/track/1042-XZ");
        }

        @Test
        void urlWithoutPlaceholderNeedsNoParameter() {
            assertThat(text(withButtons("{'type':'URL','text':'Website','url':'https://shop.example/'}"), null))
                    .isEqualTo("Body\n\nWebsite: https://shop.example/");
        }

        @Test
        void urlWithoutPlaceholderIgnoresASurplusParameter() {
            assertThat(text(withButtons("{'type':'URL','text':'Website','url':'https://shop.example/'}"),
                    params(buttonParams(0, "url", t("ignored")))))
                    .isEqualTo("Body\n\nWebsite: https://shop.example/");
        }

        @Test
        void urlValueIsOnePass() {
            assertThat(text(withButtons("{'type':'URL','text':'Go','url':'https://x.example/{{1}}'}"),
                    params(buttonParams(0, "url", t("{{1}}")))))
                    .isEqualTo("Body\n\nGo: https://x.example/{{1}}");
        }

        @Test
        void urlPlaceholderWithoutButtonParameterFails() {
            fails(withButtons("{'type':'QUICK_REPLY','text':'Thanks'}",
                            "{'type':'URL','text':'Track','url':'https://t.example/track/{{1}}'}"),
                    null, "button 1 (URL) has no parameter");
        }

        @Test
        void urlButtonParameterForAnotherIndexDoesNotCount() {
            fails(withButtons("{'type':'QUICK_REPLY','text':'Thanks'}",
                            "{'type':'URL','text':'Track','url':'https://t.example/track/{{1}}'}"),
                    params(buttonParams(0, "url", t("1042"))), "button 1 (URL) has no parameter");
        }

        @Test
        void urlButtonComponentWithoutParametersFailsNamingThePlaceholder() {
            fails(withButtons("{'type':'URL','text':'Track','url':'https://t.example/track/{{1}}'}"),
                    params(buttonParams(0, "url")), "placeholder {{1}} in button 0 (URL) has no parameter");
        }

        @Test
        void urlParameterMayBeAnyTextValue() {
            assertThat(text(withButtons("{'type':'URL','text':'Pay','url':'https://pay.example/{{1}}'}"),
                    params(buttonParams(0, "url", "{'type':'currency','currency':{'fallback_value':'12.50'}}"))))
                    .isEqualTo("Body\n\nPay: https://pay.example/12.50");
        }

        @Test
        void urlButtonWithoutUrlFails() {
            fails(withButtons("{'type':'URL','text':'Track'}"), null, "button 0 (URL) has no url");
        }

        @Test
        void indexMayBeAString() {
            assertThat(text(withButtons("{'type':'QUICK_REPLY','text':'Thanks'}",
                            "{'type':'URL','text':'Track','url':'https://t.example/{{1}}'}"),
                    params(buttonParams("1", "url", t("abc")))))
                    .isEqualTo("Body\n\nTrack: https://t.example/abc");
        }

        @Test
        void invalidIndexesAreIgnored() {
            fails(withButtons("{'type':'URL','text':'Track','url':'https://t.example/{{1}}'}"),
                    params(buttonParams(-1, "url", t("a")), buttonParams("x", "url", t("b")),
                            "{'type':'button','sub_type':'url','parameters':[" + t("c") + "]}",
                            buttonParams(0.5, "url", t("d"))),
                    "button 0 (URL) has no parameter");
        }

        @Test
        void subTypeIsNotChecked() {
            assertThat(text(withButtons("{'type':'URL','text':'Track','url':'https://t.example/{{1}}'}"),
                    params(buttonParams(0, "quick_reply", t("abc")))))
                    .isEqualTo("Body\n\nTrack: https://t.example/abc");
        }

        @Test
        void repeatedButtonIndexUsesTheFirst() {
            assertThat(text(withButtons("{'type':'URL','text':'Track','url':'https://t.example/{{1}}'}"),
                    params(buttonParams(0, "url", t("first")), buttonParams("0", "url", t("second")))))
                    .isEqualTo("Body\n\nTrack: https://t.example/first");
        }

        @Test
        void phoneNumber() {
            assertThat(text(withButtons("{'type':'PHONE_NUMBER','text':'Call us','phone_number':'+31201234567'}"), null))
                    .isEqualTo("Body\n\nCall us: +31201234567");
        }

        @Test
        void phoneNumberButtonWithoutNumberFails() {
            fails(withButtons("{'type':'PHONE_NUMBER','text':'Call us'}"), null, "button 0 (PHONE_NUMBER) has no phone_number");
        }

        @Test
        void copyCode() {
            assertThat(text(withButtons("{'type':'COPY_CODE','text':'Copy offer code'}"),
                    params(buttonParams(0, "copy_code", "{'type':'coupon_code','coupon_code':'SAVE10'}"))))
                    .isEqualTo("Body\n\nCopy offer code: SAVE10");
        }

        @Test
        void copyCodeWithoutParameterFails() {
            fails(withButtons("{'type':'COPY_CODE','text':'Copy offer code'}"), null,
                    "button 0 (COPY_CODE) has no parameter");
        }

        @Test
        void copyCodeWithoutCouponCodeParameterFails() {
            fails(withButtons("{'type':'COPY_CODE','text':'Copy'}"), params(buttonParams(0, "copy_code", t("SAVE10"))),
                    "button 0 (COPY_CODE) needs a coupon_code parameter");
            fails(withButtons("{'type':'COPY_CODE','text':'Copy'}"), params(buttonParams(0, "copy_code")),
                    "button 0 (COPY_CODE) needs a coupon_code parameter");
            fails(withButtons("{'type':'COPY_CODE','text':'Copy'}"),
                    params(buttonParams(0, "copy_code", "{'type':'coupon_code'}")),
                    "button 0 (COPY_CODE) needs a coupon_code parameter");
        }

        @Test
        void quickReplyIsLeftOut() {
            assertThat(text(withButtons("{'type':'QUICK_REPLY','text':'Yes'}",
                            "{'type':'PHONE_NUMBER','text':'Call','phone_number':'+1'}",
                            "{'type':'QUICK_REPLY','text':'No'}"),
                    params(buttonParams(0, "quick_reply", "{'type':'payload','payload':'YES'}"))))
                    .isEqualTo("Body\n\nCall: +1");
        }

        @Test
        void onlyQuickRepliesGiveNoButtonPart() {
            assertThat(text(withButtons("{'type':'QUICK_REPLY','text':'Yes'}", "{'type':'QUICK_REPLY'}"), null))
                    .isEqualTo("Body");
        }

        @Test
        void emptyButtonsGiveNoButtonPart() {
            assertThat(text(withButtons(), null)).isEqualTo("Body");
        }

        @Test
        void allButtonTypesInDefinitionOrder() {
            assertThat(text("[{'type':'BODY','text':'Body'},{'type':'FOOTER','text':'Foot'},{'type':'BUTTONS','buttons':["
                            + "{'type':'COPY_CODE','text':'Code'},"
                            + "{'type':'QUICK_REPLY','text':'Thanks'},"
                            + "{'type':'PHONE_NUMBER','text':'Call','phone_number':'+1 555 0100'},"
                            + "{'type':'URL','text':'Site','url':'https://s.example'},"
                            + "{'type':'URL','text':'Track','url':'https://t.example/{{1}}?x=1'}]}]",
                    params(buttonParams(4, "url", t("T-9")),
                            buttonParams(0, "copy_code", "{'type':'coupon_code','coupon_code':'SAVE10'}"))))
                    .isEqualTo("Body\n\nFoot\n\nCode: SAVE10\nCall: +1 555 0100\nSite: https://s.example\n"
                            + "Track: https://t.example/T-9?x=1");
        }

        @Test
        void buttonTypesAreCaseInsensitive() {
            assertThat(text(withButtons("{'type':'phone_number','text':'Call','phone_number':'+1'}"), null))
                    .isEqualTo("Body\n\nCall: +1");
        }

        @Test
        void buttonWithoutTextFails() {
            fails(withButtons("{'type':'PHONE_NUMBER','phone_number':'+1'}"), null, "button 0 (PHONE_NUMBER) has no text");
        }

        @Test
        void buttonTextIsLiteral() {
            assertThat(text(withButtons("{'type':'PHONE_NUMBER','text':'Call {{1}}','phone_number':'+1'}"), null))
                    .isEqualTo("Body\n\nCall {{1}}: +1");
        }

        @Test
        void unsupportedButtonTypeFails() {
            fails(withButtons("{'type':'QUICK_REPLY','text':'OK'}", "{'type':'FLOW','text':'Open'}"), null,
                    "button 1 has the unsupported type FLOW");
        }

        @Test
        void buttonWithoutTypeFails() {
            fails(withButtons("{'text':'Open'}"), null, "button 0 has no type");
        }

        @Test
        void buttonNotAnObjectFails() {
            fails(withButtons("'Open'"), null, "button 0 is not an object");
        }

        @Test
        void buttonsWithoutArrayFails() {
            fails("[{'type':'BODY','text':'Body'},{'type':'BUTTONS'}]", null, "BUTTONS has no buttons array");
            fails("[{'type':'BODY','text':'Body'},{'type':'BUTTONS','buttons':{'type':'URL'}}]", null,
                    "BUTTONS has no buttons array");
        }
    }

    // ------------------------------------------------------------------ non-ASCII

    @Nested
    class NonAscii {

        @Test
        void emojiAccentsAndCjkArePreservedInDefinitionAndValues() {
            String definition = "[{'type':'HEADER','format':'TEXT','text':'Commande n° {{1}} 📦'},"
                    + "{'type':'BODY','text':'Bonjour {{prénom_ok}} {{name}}, 你好 {{2}}! Ça va? 👋🏽'},"
                    + "{'type':'FOOTER','text':'Größe — ñ — 日本語'},"
                    + "{'type':'BUTTONS','buttons':[{'type':'URL','text':'Suivre 🚚','url':'https://t.example/{{1}}'}]}]";
            String parameters = "[{'type':'header','parameters':[" + t("Élan-42") + "]},"
                    + "{'type':'body','parameters':[" + named("name", "Zoë 😀") + "," + t("東京 🗼") + "]},"
                    + "{'type':'button','index':0,'parameters':[" + t("café") + "]}]";
            // {{prénom_ok}} is not a placeholder (non-ASCII letter), so it stays literal
            assertThat(text(definition, parameters)).isEqualTo(
                    "Commande n° Élan-42 📦\n\nBonjour {{prénom_ok}} Zoë 😀, 你好 東京 🗼! Ça va? 👋🏽\n\n"
                            + "Größe — ñ — 日本語\n\nSuivre 🚚: https://t.example/café");
        }

        @Test
        void nonAsciiSurvivesSerialisation() throws Exception {
            Content content = compile(body("{{1}} — {{2}}"), bodyParams(t("naïve 😀"), t("中文")));
            assertThat(apiJson(content)).isEqualTo("{\"type\":\"text\",\"content\":\"naïve 😀 — 中文\"}");
        }

        @Test
        void nonAsciiCaptionAndFilename() {
            Content content = compile("[{'type':'HEADER','format':'DOCUMENT'},{'type':'BODY','text':'Facture 🧾 für {{1}}'}]",
                    "[{'type':'header','parameters':[{'type':'document','document':{'file_uuid':'" + DOC
                            + "','filename':'Rechnung-März-請求書.pdf'}}]},{'type':'body','parameters':[" + t("Jürgen") + "]}]");
            assertThat(content.payload().toString())
                    .isEqualTo("{\"filename\":\"Rechnung-März-請求書.pdf\",\"caption\":\"Facture 🧾 für Jürgen\"}");
        }
    }
}
