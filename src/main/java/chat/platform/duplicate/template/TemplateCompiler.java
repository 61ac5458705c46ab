package chat.platform.duplicate.template;

import chat.platform.duplicate.message.Content;
import chat.platform.duplicate.message.StoredFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a WhatsApp template message (its definition, {@code whatsapp_templates.components},
 * and the parameters it was sent with, {@code messages.template_parameters}) into one regular
 * content, as specified by the contract {@code template-compilation.md}.
 *
 * <p>The result is one {@link Content} at position 0 whose payload has the stored shape of
 * {@code message_contents.payload}:
 * <ul>
 *   <li>no header, a {@code TEXT} or a {@code LOCATION} header: {@code text},
 *       {@code {"content": "<compiled text>"}}, no file;</li>
 *   <li>an {@code IMAGE} / {@code VIDEO} header: {@code image} / {@code video},
 *       {@code {"caption": "<compiled text>"|null}} and the header parameter's file;</li>
 *   <li>a {@code DOCUMENT} header: {@code document},
 *       {@code {"filename": ..|null, "caption": "<compiled text>"|null}} and the file.</li>
 * </ul>
 * Anything that makes the template impossible to compile throws a
 * {@link TemplateCompilationException} whose message names what is missing or wrong.
 * The class is stateless and thread-safe; it does no I/O except through {@code files}.
 *
 * <h2>Decisions where the contract is silent</h2>
 * <ol>
 *   <li><b>Placeholder syntax.</b> A placeholder is exactly {@code {{name}}} where name is one
 *       or more ASCII letters, ASCII digits or underscores, with no spaces. Anything else is
 *       literal text and kept as is: {@code {{ 1 }}}, {@code {{}}}, {@code {{first-name}}},
 *       {@code {{prénom}}}, an unclosed <code>{{1</code>. In {@code {{{1}}}} the inner
 *       {@code {{1}}} is the placeholder and the outer braces are kept.</li>
 *   <li><b>Positional vs named.</b> A name made only of digits is positional: its decimal value
 *       N (leading zeros allowed, so {@code {{01}}} is {@code {{1}}}) takes the N-th parameter
 *       of the component, counting every parameter whether it has a {@code parameter_name} or
 *       not. {@code {{0}}} never has a parameter. Any other name is named and takes the first
 *       parameter of the component whose {@code parameter_name} equals it (case-sensitive).
 *       Both kinds may be mixed in one text.</li>
 *   <li><b>Values.</b> Only {@code text} ({@code text}), {@code currency} and {@code date_time}
 *       ({@code fallback_value}) parameters can fill a text placeholder; the value must be a
 *       JSON string (it may be empty). Another parameter type, or a missing value, is an
 *       error. Values are inserted verbatim, including line breaks and non-ASCII text.</li>
 *   <li><b>Case.</b> Definition types and formats ({@code BODY}, {@code IMAGE}, {@code URL},
 *       …) and parameter component and parameter types ({@code body}, {@code text}, …) are
 *       matched case-insensitively.</li>
 *   <li><b>Components.</b> {@code components} must be a JSON array of objects each with a
 *       string {@code type}; a Java {@code null}, JSON null or missing node is an error. A type
 *       other than {@code HEADER}, {@code BODY}, {@code FOOTER}, {@code BUTTONS} is an error
 *       (rather than silently dropping content), and so is a type given twice. {@code BODY}
 *       must have a string {@code text}; a {@code TEXT} header too. A {@code FOOTER} whose
 *       {@code text} is missing or null is empty; its text is literal (a {@code {{1}}} in it
 *       is kept). A header format other than the five of the contract is an error.</li>
 *   <li><b>Parameters.</b> {@code parameters} may be a Java {@code null}, JSON null or missing
 *       node (no parameters); otherwise it must be an array of objects each with a string
 *       {@code type}. Components of other types than {@code header}, {@code body},
 *       {@code button} are ignored. If a type (or a button {@code index}) is given more than
 *       once, the first one is used and the others are surplus. A component's
 *       {@code parameters} may be missing or null (none); otherwise it must be an array of
 *       objects.</li>
 *   <li><b>Buttons.</b> A button parameter component is matched to a button by its
 *       {@code index} only (a JSON integer or a string of digits, 0-based position in
 *       {@code buttons}); its {@code sub_type} is not checked. An {@code index} that matches no
 *       button is surplus. Error messages name a button by that same 0-based index and its
 *       type, e.g. {@code button 1 (URL) has no parameter}. Every button needs a string
 *       {@code text} except {@code QUICK_REPLY}, which is always left out. A button type
 *       outside the contract's four is an error. {@code BUTTONS} needs an array
 *       {@code buttons} (it may be empty).</li>
 *   <li><b>URL button.</b> Its {@code url} is required. A url without a placeholder is used as
 *       is and needs no parameter. A url with placeholders is substituted like a text, from
 *       the button's parameters ({@code {{1}}} = its first parameter); with no parameter
 *       component for that button, the error is {@code button N (URL) has no parameter}.</li>
 *   <li><b>PHONE_NUMBER button</b> needs a string {@code phone_number}. <b>COPY_CODE
 *       button</b> needs a parameter component whose parameters include a
 *       {@code coupon_code} parameter with a string {@code coupon_code} (the first such one
 *       is used); otherwise it is an error.</li>
 *   <li><b>Empty parts.</b> A part that is empty or only whitespace is left out; parts are
 *       otherwise not trimmed. A button part with only {@code QUICK_REPLY} buttons is empty.
 *       A {@code text} content whose compiled text is empty is an error (there is nothing to
 *       send); a media content's caption is then {@code null}.</li>
 *   <li><b>LOCATION header.</b> Uses the first {@code location} parameter of the header
 *       component (required, with a {@code location} object). {@code name} and
 *       {@code address} count as present when they are non-blank strings; with neither, the
 *       header part is left out. Latitude and longitude are not used.</li>
 *   <li><b>Media headers.</b> Use the first header parameter whose type is the header format
 *       in lower case (e.g. {@code image}), which must have an object of that name with a
 *       string {@code file_uuid}. The uuid must be in the canonical 8-4-4-4-12 hex form; it
 *       is looked up in lower case with {@code files}, and a {@code null} answer is an error.
 *       The file's MIME type is not checked against the format. For a document, the
 *       filename is the parameter's {@code filename} when it is a non-blank string, else the
 *       file's {@code name} when non-blank, else {@code null}. A {@code filename} on an image
 *       or video parameter is ignored.</li>
 *   <li>{@code files} must not be {@code null} (a programming error, {@link NullPointerException}).</li>
 * </ol>
 */
public final class TemplateCompiler {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** {@code {{name}}}: ASCII letters, digits, underscore; no spaces; not empty. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_]+)}}");

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final List<String> COMPONENT_TYPES = List.of("HEADER", "BODY", "FOOTER", "BUTTONS");

    public TemplateCompiler() {
    }

    /**
     * Compiles a template message into its one content.
     *
     * @param components the template definition, {@code whatsapp_templates.components}
     * @param parameters the send parameters, {@code messages.template_parameters}; may be
     *                   {@code null}, JSON null or missing (no parameters)
     * @param files      looks up a {@code files} row by uuid, {@code null} when there is none
     * @return the compiled content, at position 0
     * @throws TemplateCompilationException when the template cannot be compiled
     */
    public Content compile(JsonNode components, JsonNode parameters, Function<String, StoredFile> files) {
        Objects.requireNonNull(files, "files");
        Map<String, JsonNode> definition = definition(components);
        Parameters params = Parameters.of(parameters);

        JsonNode body = definition.get("BODY");
        if (body == null) {
            throw fail("template has no BODY");
        }

        List<String> parts = new ArrayList<>(4);
        String mediaFormat = null;
        JsonNode header = definition.get("HEADER");
        if (header != null) {
            String format = upper(header.get("format"));
            if (format == null) {
                throw fail("HEADER has no format");
            }
            switch (format) {
                case "TEXT" -> parts.add(substitute(
                        requiredString(header, "text", "HEADER of format TEXT has no text"),
                        params.header, "HEADER"));
                case "LOCATION" -> parts.add(locationLine(params.header));
                case "IMAGE", "VIDEO", "DOCUMENT" -> mediaFormat = format;
                default -> throw fail("HEADER format " + format + " is not supported");
            }
        }
        parts.add(substitute(requiredString(body, "text", "BODY has no text"), params.body, "BODY"));

        JsonNode footer = definition.get("FOOTER");
        if (footer != null) {
            JsonNode text = footer.get("text");
            if (text != null && !text.isNull()) {
                if (!text.isTextual()) {
                    throw fail("FOOTER text is not a string");
                }
                parts.add(text.asText());
            }
        }

        JsonNode buttons = definition.get("BUTTONS");
        if (buttons != null) {
            parts.add(buttonLines(buttons, params));
        }

        StringBuilder compiled = new StringBuilder();
        for (String part : parts) {
            if (!part.isBlank()) {
                if (compiled.length() > 0) {
                    compiled.append("\n\n");
                }
                compiled.append(part);
            }
        }
        String text = compiled.toString();

        if (mediaFormat == null) {
            if (text.isEmpty()) {
                throw fail("template compiles to an empty text");
            }
            ObjectNode payload = JSON.objectNode();
            payload.put("content", text);
            return new Content(0, "text", payload, null);
        }
        return mediaContent(mediaFormat, params.header, text.isEmpty() ? null : text, files);
    }

    // ---------------------------------------------------------------- definition

    private static Map<String, JsonNode> definition(JsonNode components) {
        if (components == null || components.isNull() || components.isMissingNode()) {
            throw fail("template has no components");
        }
        if (!components.isArray()) {
            throw fail("template components are not a JSON array");
        }
        Map<String, JsonNode> byType = new HashMap<>();
        for (int i = 0; i < components.size(); i++) {
            JsonNode component = components.get(i);
            if (!component.isObject()) {
                throw fail("template component at index " + i + " is not an object");
            }
            String type = upper(component.get("type"));
            if (type == null) {
                throw fail("template component at index " + i + " has no type");
            }
            if (!COMPONENT_TYPES.contains(type)) {
                throw fail("template component type " + type + " is not supported");
            }
            if (byType.putIfAbsent(type, component) != null) {
                throw fail("template has more than one " + type);
            }
        }
        return byType;
    }

    // ---------------------------------------------------------------- parameters

    /** The parameter lists of the header and body components and of each button component by index. */
    private static final class Parameters {
        final List<JsonNode> header;
        final List<JsonNode> body;
        final Map<Integer, List<JsonNode>> buttons;

        private Parameters(List<JsonNode> header, List<JsonNode> body, Map<Integer, List<JsonNode>> buttons) {
            this.header = header;
            this.body = body;
            this.buttons = buttons;
        }

        static Parameters of(JsonNode parameters) {
            if (parameters == null || parameters.isNull() || parameters.isMissingNode()) {
                return new Parameters(List.of(), List.of(), Map.of());
            }
            if (!parameters.isArray()) {
                throw fail("template parameters are not a JSON array");
            }
            List<JsonNode> header = null;
            List<JsonNode> body = null;
            Map<Integer, List<JsonNode>> buttons = new LinkedHashMap<>();
            for (int i = 0; i < parameters.size(); i++) {
                JsonNode component = parameters.get(i);
                if (!component.isObject()) {
                    throw fail("template parameter component at index " + i + " is not an object");
                }
                String type = lower(component.get("type"));
                if (type == null) {
                    throw fail("template parameter component at index " + i + " has no type");
                }
                switch (type) {
                    case "header" -> {
                        if (header == null) {
                            header = list(component, "header");
                        }
                    }
                    case "body" -> {
                        if (body == null) {
                            body = list(component, "body");
                        }
                    }
                    case "button" -> {
                        Integer index = buttonIndex(component.get("index"));
                        if (index != null && !buttons.containsKey(index)) {
                            buttons.put(index, list(component, "button " + index));
                        }
                    }
                    default -> {
                        // not a part of the compiled text: surplus
                    }
                }
            }
            return new Parameters(
                    header == null ? List.of() : header,
                    body == null ? List.of() : body,
                    Collections.unmodifiableMap(buttons));
        }

        private static List<JsonNode> list(JsonNode component, String name) {
            JsonNode parameters = component.get("parameters");
            if (parameters == null || parameters.isNull()) {
                return List.of();
            }
            if (!parameters.isArray()) {
                throw fail("parameters of the " + name + " component are not a JSON array");
            }
            List<JsonNode> list = new ArrayList<>(parameters.size());
            for (int i = 0; i < parameters.size(); i++) {
                JsonNode parameter = parameters.get(i);
                if (!parameter.isObject()) {
                    throw fail("parameter at index " + i + " of the " + name + " component is not an object");
                }
                list.add(parameter);
            }
            return List.copyOf(list);
        }

        private static Integer buttonIndex(JsonNode index) {
            if (index == null) {
                return null;
            }
            if (index.isIntegralNumber() && index.canConvertToInt() && index.intValue() >= 0) {
                return index.intValue();
            }
            if (index.isTextual() && DIGITS.matcher(index.asText()).matches()) {
                String digits = index.asText().replaceFirst("^0+(?=.)", "");
                return digits.length() <= 9 ? Integer.valueOf(digits) : null;
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- substitution

    private static String substitute(String text, List<JsonNode> parameters, String where) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 16);
        int last = 0;
        while (matcher.find()) {
            String name = matcher.group(1);
            JsonNode parameter = parameterFor(name, parameters);
            if (parameter == null) {
                throw fail("placeholder {{" + name + "}} in " + where + " has no parameter");
            }
            out.append(text, last, matcher.start()).append(value(parameter, name, where));
            last = matcher.end();
        }
        return out.append(text, last, text.length()).toString();
    }

    private static JsonNode parameterFor(String name, List<JsonNode> parameters) {
        if (DIGITS.matcher(name).matches()) {
            String digits = name.replaceFirst("^0+(?=.)", "");
            if (digits.length() > 9) {
                return null;
            }
            int position = Integer.parseInt(digits);
            return position >= 1 && position <= parameters.size() ? parameters.get(position - 1) : null;
        }
        for (JsonNode parameter : parameters) {
            JsonNode parameterName = parameter.get("parameter_name");
            if (parameterName != null && parameterName.isTextual() && parameterName.asText().equals(name)) {
                return parameter;
            }
        }
        return null;
    }

    private static String value(JsonNode parameter, String name, String where) {
        String type = lower(parameter.get("type"));
        String subject = "placeholder {{" + name + "}} in " + where;
        if (type == null) {
            throw fail("the parameter of " + subject + " has no type");
        }
        JsonNode value = switch (type) {
            case "text" -> parameter.get("text");
            case "currency", "date_time" -> parameter.path(type).get("fallback_value");
            default -> throw fail("the " + type + " parameter of " + subject + " has no text value");
        };
        if (value == null || !value.isTextual()) {
            String field = type.equals("text") ? "text" : type + ".fallback_value";
            throw fail("the " + type + " parameter of " + subject + " has no " + field);
        }
        return value.asText();
    }

    // ---------------------------------------------------------------- header

    private static String locationLine(List<JsonNode> headerParameters) {
        JsonNode parameter = firstOfType(headerParameters, "location");
        JsonNode location = parameter == null ? null : parameter.get("location");
        if (location == null || !location.isObject()) {
            throw fail("header LOCATION needs a location parameter");
        }
        List<String> present = new ArrayList<>(2);
        for (String field : List.of("name", "address")) {
            String value = nonBlankString(location.get(field));
            if (value != null) {
                present.add(value);
            }
        }
        return String.join(", ", present);
    }

    private static Content mediaContent(String format, List<JsonNode> headerParameters, String caption,
                                        Function<String, StoredFile> files) {
        String type = format.toLowerCase(Locale.ROOT);
        JsonNode parameter = firstOfType(headerParameters, type);
        JsonNode media = parameter == null ? null : parameter.get(type);
        JsonNode fileUuid = media == null || !media.isObject() ? null : media.get("file_uuid");
        if (fileUuid == null || !fileUuid.isTextual()) {
            throw fail("header " + format + " needs " + article(type) + " " + type + " parameter with a file_uuid");
        }
        String uuid = fileUuid.asText();
        if (!UUID.matcher(uuid).matches()) {
            throw fail("file_uuid \"" + uuid + "\" of the " + format + " header is not a UUID");
        }
        uuid = uuid.toLowerCase(Locale.ROOT);
        StoredFile file = files.apply(uuid);
        if (file == null) {
            throw fail("file " + uuid + " of the " + format + " header does not exist");
        }
        ObjectNode payload = JSON.objectNode();
        if (type.equals("document")) {
            String filename = nonBlankString(media.get("filename"));
            if (filename == null) {
                filename = file.name() == null || file.name().isBlank() ? null : file.name();
            }
            payload.put("filename", filename);
        }
        payload.put("caption", caption);
        return new Content(0, type, payload, file);
    }

    // ---------------------------------------------------------------- buttons

    private static String buttonLines(JsonNode component, Parameters params) {
        JsonNode buttons = component.get("buttons");
        if (buttons == null || !buttons.isArray()) {
            throw fail("BUTTONS has no buttons array");
        }
        List<String> lines = new ArrayList<>(buttons.size());
        for (int index = 0; index < buttons.size(); index++) {
            JsonNode button = buttons.get(index);
            if (!button.isObject()) {
                throw fail("button " + index + " is not an object");
            }
            String type = upper(button.get("type"));
            if (type == null) {
                throw fail("button " + index + " has no type");
            }
            String name = "button " + index + " (" + type + ")";
            if (type.equals("QUICK_REPLY")) {
                continue;
            }
            if (!List.of("URL", "PHONE_NUMBER", "COPY_CODE").contains(type)) {
                throw fail("button " + index + " has the unsupported type " + type);
            }
            String text = requiredString(button, "text", name + " has no text");
            List<JsonNode> parameters = params.buttons.get(index);
            String value = switch (type) {
                case "URL" -> {
                    String url = requiredString(button, "url", name + " has no url");
                    if (PLACEHOLDER.matcher(url).find() && parameters == null) {
                        throw fail(name + " has no parameter");
                    }
                    yield substitute(url, parameters == null ? List.of() : parameters, name);
                }
                case "PHONE_NUMBER" -> requiredString(button, "phone_number", name + " has no phone_number");
                default -> {
                    if (parameters == null) {
                        throw fail(name + " has no parameter");
                    }
                    JsonNode coupon = firstOfType(parameters, "coupon_code");
                    JsonNode code = coupon == null ? null : coupon.get("coupon_code");
                    if (code == null || !code.isTextual()) {
                        throw fail(name + " needs a coupon_code parameter");
                    }
                    yield code.asText();
                }
            };
            lines.add(text + ": " + value);
        }
        return String.join("\n", lines);
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode firstOfType(List<JsonNode> parameters, String type) {
        for (JsonNode parameter : parameters) {
            if (type.equals(lower(parameter.get("type")))) {
                return parameter;
            }
        }
        return null;
    }

    private static String requiredString(JsonNode node, String field, String message) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw fail(message);
        }
        return value.asText();
    }

    private static String nonBlankString(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String upper(JsonNode node) {
        return node != null && node.isTextual() ? node.asText().toUpperCase(Locale.ROOT) : null;
    }

    private static String lower(JsonNode node) {
        return node != null && node.isTextual() ? node.asText().toLowerCase(Locale.ROOT) : null;
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static TemplateCompilationException fail(String message) {
        return new TemplateCompilationException(message);
    }
}
