package chat.platform.duplicate.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.i18n.MessageSource;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Build-time checks of the Camel YAML route files in {@code routes/} (no Camel or Spring context):
 * each file validates against Camel's own YAML DSL JSON schema and follows the project's route
 * conventions. The checks live in {@link RouteFileChecker}, which takes (file name, YAML text) and
 * returns the problems; the tests on the real files assert that list is empty, the tests on inline
 * broken YAML assert that the checker does report what is wrong.
 */
class RouteFilesTest {

    /** Maven runs the tests in the project root. */
    private static final Path ROUTES_DIR = Path.of("routes");

    /** Where {@code sql:classpath:...} queries are looked up. */
    private static final Path MAIN_RESOURCES = Path.of("src/main/resources");

    private static RouteFileChecker checker;

    @BeforeAll
    static void loadSchema() {
        checker = new RouteFileChecker(RouteFileChecker.camelYamlDslSchema(), MAIN_RESOURCES);
    }

    static Stream<String> routeFiles() {
        return camelYamlFiles(ROUTES_DIR);
    }

    private static Stream<String> camelYamlFiles(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.camel.yaml")) {
            List<String> names = new ArrayList<>();
            files.forEach(file -> names.add(file.toString().replace('\\', '/')));
            return names.stream().sorted();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(String fileName) {
        try {
            return Files.readString(Path.of(fileName), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String report(String what, List<RouteFileChecker.Problem> problems) {
        return problems.size() + " problem(s) " + what + ":\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")) + "\n";
    }

    // ---------------------------------------------------------------- the real route files

    @Test
    void thereAreRouteFiles() {
        assertFalse(camelYamlFiles(ROUTES_DIR).findAny().isEmpty(),
                "no routes/*.camel.yaml found in " + ROUTES_DIR.toAbsolutePath()
                        + ": the other tests would pass on nothing");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void routeFileMatchesCamelYamlDslSchema(String fileName) {
        List<RouteFileChecker.Problem> problems = checker.schemaProblems(fileName, read(fileName));
        assertTrue(problems.isEmpty(), () -> report("against Camel's YAML DSL schema", problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void routeFileFollowsConventions(String fileName) {
        List<RouteFileChecker.Problem> problems = checker.conventionProblems(fileName, read(fileName));
        assertTrue(problems.isEmpty(), () -> report("with the route conventions", problems));
    }

    @Test
    void idsAreUniqueAcrossAllRouteFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        routeFiles().forEach(name -> files.put(name, read(name)));
        List<RouteFileChecker.Problem> problems = checker.duplicateIdProblems(files);
        assertTrue(problems.isEmpty(), () -> report("across " + files.keySet(), problems));
    }

    // ---------------------------------------------------------------- the checks can fail

    /**
     * A route that passes every check; each negative test breaks it in one place. Its placeholder
     * defaults are a number, a duration the schema types as string, and booleans.
     */
    private static final String VALID = """
            - routeConfiguration:
                id: test-errors
                description: Errors of the test route
                onException:
                  - onException:
                      exception:
                        - java.lang.Exception
                      redeliveryPolicy:
                        maximumRedeliveries: "{{x.max-redeliveries:3}}"
                        redeliveryDelay: "{{x.delay-ms:200}}"
                        logStackTrace: "{{x.log-stack-trace:false}}"
                      handled:
                        constant: "true"
            - route:
                id: store-thing
                description: Stores a thing
                routeConfigurationId: test-errors
                autoStartup: "{{x.enabled:true}}"
                from:
                  id: store-thing-in
                  uri: direct:store-thing
                  steps:
                    - to:
                        id: insert-thing
                        description: Insert with bound values
                        uri: "sql:INSERT INTO things (a, b) VALUES (:#${header.a}, :#b)"
                        parameters:
                          parametersCount: 2
                    - to:
                        id: call-out
                        description: To the outside, url without default stays as it is
                        uri: "{{x.url}}/things"
                    - choice:
                        when:
                          - simple: "${header.a} == 1"
                            steps:
                              - bean:
                                  id: handle-one
                                  description: Ones
                                  ref: things
                                  method: one
                        otherwise:
                          steps:
                            - log:
                                message: "other"
            """;

    private List<RouteFileChecker.Problem> check(String yaml) {
        List<RouteFileChecker.Problem> problems = new ArrayList<>(checker.schemaProblems("inline.camel.yaml", yaml));
        problems.addAll(checker.conventionProblems("inline.camel.yaml", yaml));
        return problems;
    }

    /** VALID with the first match of {@code regex} (multi-line mode) replaced. */
    private static String broken(String regex, String replacement) {
        String yaml = VALID.replaceFirst("(?m)" + regex, replacement);
        assertFalse(yaml.equals(VALID), "test setup: VALID has no " + regex);
        return yaml;
    }

    /** VALID without the line that contains {@code fragment}. */
    private static String withoutLine(String fragment) {
        return broken("^.*" + Pattern.quote(fragment) + ".*\\n", "");
    }

    private static int lineOf(String yaml, String fragment) {
        return yaml.substring(0, yaml.indexOf(fragment)).split("\n", -1).length;
    }

    /** Exactly one problem, and its text contains every one of the given fragments. */
    private static void assertOneProblem(List<RouteFileChecker.Problem> problems, String... fragments) {
        assertEquals(1, problems.size(), () -> report("(expected exactly one)", problems));
        String text = problems.get(0).toString();
        for (String fragment : fragments) {
            assertTrue(text.contains(fragment), () -> "expected \"" + fragment + "\" in: " + text);
        }
    }

    @Test
    void validInlineRoutePassesEveryCheck() {
        List<RouteFileChecker.Problem> problems = check(VALID);
        assertTrue(problems.isEmpty(), () -> report("in the valid inline route", problems));
    }

    @Test
    void unknownKeyIsASchemaError() {
        String yaml = broken("steps:", "stepz:"); // the first one, of from
        List<RouteFileChecker.Problem> problems = checker.schemaProblems("inline.camel.yaml", yaml);
        assertFalse(problems.isEmpty(), "stepz was not reported");
        assertTrue(problems.stream().allMatch(p -> p.toString().startsWith("inline.camel.yaml:")),
                () -> report("without the file name", problems));
        assertTrue(problems.stream().noneMatch(p -> p.message().matches(".*\\{\\d}.*")),
                () -> report("with an unformatted message", problems));
        assertTrue(problems.stream().anyMatch(p -> p.message().contains("property 'stepz' is not defined")
                        && p.path().equals("$[1].route.from")
                        && p.line() == lineOf(yaml, "stepz:")),
                () -> report("without stepz at $[1].route.from, line " + lineOf(yaml, "stepz:"), problems));
    }

    @Test
    void placeholderDefaultIsValidatedAsTheValueCamelWouldUse() {
        // "{{x:three}}" becomes the string "three", which is no number
        List<RouteFileChecker.Problem> problems = checker.schemaProblems("inline.camel.yaml",
                broken(Pattern.quote("{{x.max-redeliveries:3}}"), "{{x.max-redeliveries:three}}"));
        assertFalse(problems.isEmpty(), "maximumRedeliveries: three was not reported");
        assertTrue(problems.stream().anyMatch(p -> p.path().endsWith(".redeliveryPolicy.maximumRedeliveries")),
                () -> report("without the path of maximumRedeliveries", problems));
    }

    @Test
    void placeholderDefaultsAreParsedAsYamlScalars() {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode tree = mapper.createArrayNode()
                .add("{{a.b:3}}").add("{{x:false}}").add("{{env:PORT:8080}}").add("{{s:text}}")
                .add("{{e:}}").add("{{bridge.url}}/messages").add("{{bridge.url}}").add("Bearer {{t:}}")
                .add("{{a:1}}{{b:2}}");
        JsonNode resolved = RouteFileChecker.withPlaceholderDefaults(tree);
        assertEquals(mapper.createArrayNode()
                .add(3).add(false).add(8080).add("text")
                .add("").add("{{bridge.url}}/messages").add("{{bridge.url}}").add("Bearer {{t:}}")
                .add("{{a:1}}{{b:2}}"), resolved);
    }

    @Test
    void toWithoutIdIsReported() {
        List<RouteFileChecker.Problem> problems = check(withoutLine("id: insert-thing"));
        assertOneProblem(problems, "inline.camel.yaml:", "$[1].route.from.steps[0].to", "'to' has no id");
    }

    @Test
    void shorthandToIsReported() {
        List<RouteFileChecker.Problem> problems = check(broken(
                "- to:\\n.*id: call-out\\n.*\\n.*uri: (.*)$", "- to: $1"));
        assertOneProblem(problems, "$[1].route.from.steps[1].to", "no id", "no description");
    }

    @Test
    void nestedBeanWithoutDescriptionIsReported() {
        List<RouteFileChecker.Problem> problems = check(withoutLine("description: Ones"));
        assertOneProblem(problems, "$[1].route.from.steps[2].choice.when[0].steps[0].bean", "has no description");
    }

    @Test
    void fromWithoutIdIsReported() {
        List<RouteFileChecker.Problem> problems = check(withoutLine("id: store-thing-in"));
        assertOneProblem(problems, "$[1].route.from", "'from' has no id");
    }

    @Test
    void routeIdThatIsNotKebabCaseIsReported() {
        List<RouteFileChecker.Problem> problems = check(broken("id: store-thing$", "id: DuplicateMessage"));
        assertOneProblem(problems, "$[1].route", "DuplicateMessage", "kebab-case");
    }

    @Test
    void routeWithoutDescriptionIsReported() {
        List<RouteFileChecker.Problem> problems = check(broken("description: Stores a thing", "description: \" \""));
        assertOneProblem(problems, "$[1].route", "route 'store-thing' has no description");
    }

    @Test
    void routeConfigurationIdThatIsNotKebabCaseIsReported() {
        String yaml = VALID.replace("test-errors", "test_errors");
        List<RouteFileChecker.Problem> problems = check(yaml);
        assertOneProblem(problems, "$[0].routeConfiguration", "test_errors", "kebab-case");
    }

    @Test
    void sqlWithSplicedValueIsReported() {
        List<RouteFileChecker.Problem> problems = check(broken(":#(\\$\\{header.a})", "'$1'"));
        assertOneProblem(problems, "$[1].route.from.steps[0].to.uri", "sql:", "${", ":#");
    }

    @Test
    void sqlInToDWithAnySimpleExpressionIsReported() {
        // toD evaluates ${...} itself before the sql component sees the query, so even :#${...} is spliced
        List<RouteFileChecker.Problem> problems = check(broken("- to:(\\n.*id: insert-thing)", "- toD:$1"));
        assertOneProblem(problems, "$[1].route.from.steps[0].toD.uri", "toD");
    }

    @Test
    void sqlStepWithoutParametersCountIsReported() {
        List<RouteFileChecker.Problem> problems = check(broken("\\n *parameters:\\n *parametersCount: 2", ""));
        assertOneProblem(problems, "$[1].route.from.steps[0].to.parameters", "binds 2", "no parametersCount", "parametersCount: 2");
    }

    @Test
    void sqlStepWithTheWrongParametersCountIsReported() {
        List<RouteFileChecker.Problem> problems = check(broken("parametersCount: 2", "parametersCount: 3"));
        assertOneProblem(problems, "$[1].route.from.steps[0].to.parameters", "binds 2", "parametersCount: 3");
    }

    @Test
    void mockUriIsReported() {
        List<RouteFileChecker.Problem> problems = check(broken("uri: \"\\{\\{x.url}}/things\"", "uri: mock:things"));
        assertOneProblem(problems, "$[1].route.from.steps[1].to.uri", "mock:things");
    }

    @Test
    void testUriIsReported() {
        List<RouteFileChecker.Problem> problems = check(broken("uri: direct:store-thing", "uri: test:store-thing"));
        assertOneProblem(problems, "$[1].route.from.uri", "test:store-thing");
    }

    @Test
    void duplicateIdsAreReportedAcrossFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("a.camel.yaml", VALID);
        files.put("b.camel.yaml", VALID.replace("test-errors", "other-errors")
                .replace("store-thing", "other-thing").replace("handle-one", "other-one")
                .replace("call-out", "other-call"));
        List<RouteFileChecker.Problem> problems = checker.conventionProblems(files);
        assertOneProblem(problems, "id 'insert-thing'", "a.camel.yaml:", "b.camel.yaml:");
    }

    @Test
    void yamlThatDoesNotParseIsReportedNotThrown() {
        List<RouteFileChecker.Problem> problems = check(VALID + "  - : : [\n");
        assertEquals(2, problems.size(), () -> report("(expected one per check)", problems));
        assertTrue(problems.stream().allMatch(p -> p.message().startsWith("YAML does not parse")),
                () -> report("other than the parse error", problems));
    }

    @Test
    void duplicateKeyIsReported() {
        List<RouteFileChecker.Problem> problems = check(broken("^(.*)(description: Stores a thing)$", "$1$2\n$1description: Twice"));
        assertEquals(2, problems.size(), () -> report("(expected one per check)", problems));
        assertTrue(problems.stream().allMatch(p -> p.message().contains("duplicate key description")),
                () -> report("without the duplicate key", problems));
    }

    // ---------------------------------------------------------------- the checker

    /** Checks Camel YAML DSL route files: {@link #schemaProblems} and {@link #conventionProblems}. */
    static final class RouteFileChecker {

        /** One thing wrong in one file; {@code line} is 1-based, 0 when unknown. */
        record Problem(String file, int line, String path, String message) {
            @Override
            public String toString() {
                return file + ":" + (line > 0 ? line + ":" : "") + " " + path + ": " + message;
            }
        }

        private static final Pattern KEBAB_CASE = Pattern.compile("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");

        /** Steps that must have an id and a description. */
        private static final Set<String> DESCRIBED_STEPS = Set.of("to", "toD", "bean", "wireTap", "enrich", "pollEnrich");

        /** Free-form maps (endpoint options, bean properties): their keys are not DSL, not walked. */
        private static final Set<String> FREE_FORM = Set.of("parameters", "properties", "constructors");

        /** Prose, not endpoints: not searched for mock:/test: uris. */
        private static final Set<String> PROSE = Set.of("description", "note", "message");

        private static final Pattern TEST_ENDPOINT = Pattern.compile("(^|,)\\s*(mock|test):");

        private static final ObjectMapper JSON = new ObjectMapper();

        private final Schema schema;
        private final Path sqlResources;

        /**
         * @param schema Camel's YAML DSL schema, see {@link #camelYamlDslSchema()}
         * @param sqlResources where {@code sql:classpath:} queries are read from; null: not read
         */
        RouteFileChecker(Schema schema, Path sqlResources) {
            this.schema = schema;
            this.sqlResources = sqlResources;
        }

        /**
         * {@code schema/camelYamlDsl.json} of the camel-yaml-dsl jar, the schema Camel's own tooling
         * checks YAML routes with. It declares JSON Schema draft-04; its extra annotation
         * {@code deprecated} is known to the validator as such (else it warns on every load).
         */
        static Schema camelYamlDslSchema() {
            ClassLoader loader = RouteFileChecker.class.getClassLoader();
            try (InputStream in = loader.getResourceAsStream("schema/camelYamlDsl.json")) {
                assertNotNull(in, "schema/camelYamlDsl.json (from org.apache.camel:camel-yaml-dsl) is not on the classpath");
                JsonNode schemaNode = JSON.readTree(in);
                assertEquals(Dialects.getDraft4().getId(), schemaNode.path("$schema").asText(),
                        "Camel's YAML DSL schema changed its JSON Schema draft: adjust the validator");
                Dialect draft4 = Dialect.builder(Dialects.getDraft4())
                        .keyword(new NonValidationKeyword("deprecated"))
                        .build();
                SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                        .messageSource(new ValidatorMessages())
                        .build();
                return SchemaRegistry.withDefaultDialect(draft4, registry -> registry.schemaRegistryConfig(config))
                        .getSchema(schemaNode);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * The validator's messages from its own jar. wiremock-standalone (a test dependency) carries
         * an older json-schema-validator's {@code jsv-messages.properties} and comes first on the
         * test classpath; its patterns number the arguments differently ("{2} expected").
         */
        private static final class ValidatorMessages implements MessageSource {
            private final Properties patterns = new Properties();

            ValidatorMessages() {
                URL jar = Schema.class.getProtectionDomain().getCodeSource().getLocation();
                try (URLClassLoader own = new URLClassLoader(new URL[] {jar}, null);
                        InputStream in = own.getResourceAsStream("jsv-messages.properties")) {
                    assertNotNull(in, "no jsv-messages.properties in " + jar);
                    patterns.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public String getMessage(String key, Supplier<String> defaultMessage, Locale locale, Object... arguments) {
                String pattern = patterns.getProperty(key);
                if (pattern == null) {
                    return defaultMessage != null ? defaultMessage.get() : key + " " + Arrays.toString(arguments);
                }
                return new MessageFormat(pattern, Locale.ROOT).format(arguments);
            }
        }

        // ------------------------------------------------------------ schema

        /** Every error of the file against Camel's YAML DSL schema, placeholders with a default resolved. */
        List<Problem> schemaProblems(String fileName, String yamlText) {
            Parsed parsed;
            try {
                parsed = Parsed.of(yamlText);
            } catch (RuntimeException e) {
                return List.of(parseProblem(fileName, e));
            }
            Map<List<Object>, String> defaults = new LinkedHashMap<>();
            JsonNode resolved = withPlaceholderDefaults(parsed.tree(), List.of(), defaults);
            List<Error> errors = schema.validate(resolved);
            // A default the schema wants as a string (durations such as redeliveryDelay: "5s" or
            // "200") is given to it as the text Camel resolves the placeholder to.
            boolean retry = false;
            for (Error error : errors) {
                List<Object> at = elements(error.getInstanceLocation());
                if (defaults.containsKey(at) && "type".equals(error.getKeyword()) && allowsString(error.getSchemaNode())) {
                    resolved = replaced(resolved, at, JSON.getNodeFactory().textNode(defaults.get(at)));
                    retry = true;
                }
            }
            if (retry) {
                errors = schema.validate(resolved);
            }
            List<Problem> problems = new ArrayList<>();
            for (Error error : errors) {
                List<Object> at = elements(error.getInstanceLocation());
                int line = parsed.line(at);
                if (error.getProperty() != null) {
                    List<Object> property = new ArrayList<>(at);
                    property.add(error.getProperty());
                    line = Math.max(line, parsed.line(property));
                }
                problems.add(new Problem(fileName, line, format(at), error.getMessage()));
            }
            problems.sort(Comparator.comparingInt(Problem::line));
            return problems;
        }

        /**
         * The tree with every string scalar that is exactly one Camel property placeholder with a
         * default, {@code "{{key:default}}"}, replaced by its default read as a YAML scalar:
         * {@code "{{bridge.max-redeliveries:3}}"} becomes the number 3, {@code "{{x:false}}"} the
         * boolean false. The schema types such options as number or boolean, which a quoted
         * placeholder never is; Camel resolves the placeholder before it converts the value to the
         * option's type, so this validates the file as Camel runs it with the defaults (and a
         * default that is no number where a number belongs fails). A placeholder without a default
         * ({@code "{{bridge.url}}"}) and a string with a placeholder inside
         * ({@code "{{bridge.url}}/messages"}, {@code "Bearer {{bridge.token:}}"}) stay as they are.
         */
        static JsonNode withPlaceholderDefaults(JsonNode node) {
            return withPlaceholderDefaults(node, List.of(), new LinkedHashMap<>());
        }

        /** As above; {@code defaults} gets the path and text of each default put in. */
        private static JsonNode withPlaceholderDefaults(JsonNode node, List<Object> path, Map<List<Object>, String> defaults) {
            if (node.isTextual()) {
                Optional<String> text = placeholderDefault(node.textValue());
                text.ifPresent(value -> defaults.put(path, value));
                return text.map(RouteFileChecker::yamlScalar).orElse(node);
            }
            if (node.isObject()) {
                ObjectNode copy = JSON.createObjectNode();
                node.fields().forEachRemaining(field -> copy.set(field.getKey(),
                        withPlaceholderDefaults(field.getValue(), append(path, field.getKey()), defaults)));
                return copy;
            }
            if (node.isArray()) {
                ArrayNode copy = JSON.createArrayNode();
                for (int i = 0; i < node.size(); i++) {
                    copy.add(withPlaceholderDefaults(node.get(i), append(path, i), defaults));
                }
                return copy;
            }
            return node;
        }

        /** {@code tree} (changed in place) with the node at {@code path} replaced by {@code value}. */
        private static JsonNode replaced(JsonNode tree, List<Object> path, JsonNode value) {
            if (path.isEmpty()) {
                return value;
            }
            JsonNode parent = tree;
            for (Object element : path.subList(0, path.size() - 1)) {
                parent = element instanceof Integer index ? parent.get(index) : parent.get((String) element);
            }
            Object last = path.get(path.size() - 1);
            if (last instanceof Integer index) {
                ((ArrayNode) parent).set(index, value);
            } else {
                ((ObjectNode) parent).set((String) last, value);
            }
            return tree;
        }

        /** The value of a {@code type} keyword: "string", or a list with "string". */
        private static boolean allowsString(JsonNode type) {
            if (type == null) {
                return false;
            }
            if (type.isArray()) {
                for (JsonNode one : type) {
                    if ("string".equals(one.asText())) {
                        return true;
                    }
                }
                return false;
            }
            return "string".equals(type.asText());
        }

        /** The default of {@code {{key:default}}} (also {@code {{env:NAME:default}}}, {@code {{sys:name:default}}}). */
        private static Optional<String> placeholderDefault(String text) {
            if (!text.startsWith("{{") || !text.endsWith("}}")) {
                return Optional.empty();
            }
            String inner = text.substring(2, text.length() - 2);
            if (inner.contains("{{") || inner.contains("}}")) {
                return Optional.empty(); // more than one placeholder
            }
            if (inner.startsWith("env:") || inner.startsWith("sys:")) {
                inner = inner.substring(4);
            }
            int colon = inner.indexOf(':');
            return colon > 0 ? Optional.of(inner.substring(colon + 1)) : Optional.empty();
        }

        /** {@code text} as YAML reads a plain scalar: number, boolean or string; anything else stays text. */
        private static JsonNode yamlScalar(String text) {
            try {
                Object value = new Load(LoadSettings.builder().build()).loadFromString(text);
                if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                    return JSON.valueToTree(value);
                }
            } catch (RuntimeException notAScalar) {
                // e.g. "[": keep the text
            }
            return JSON.getNodeFactory().textNode(text);
        }

        // ------------------------------------------------------------ conventions

        List<Problem> conventionProblems(String fileName, String yamlText) {
            return conventionProblems(Map.of(fileName, yamlText));
        }

        /** The conventions of each file, and ids unique across all of them. */
        List<Problem> conventionProblems(Map<String, String> files) {
            List<Problem> problems = new ArrayList<>();
            Map<String, List<Problem>> idUses = new TreeMap<>();
            walk(files, problems, idUses);
            problems.addAll(duplicates(idUses));
            return problems;
        }

        /** Only: the ids used more than once across the files. */
        List<Problem> duplicateIdProblems(Map<String, String> files) {
            Map<String, List<Problem>> idUses = new TreeMap<>();
            walk(files, new ArrayList<>(), idUses);
            return duplicates(idUses);
        }

        private void walk(Map<String, String> files, List<Problem> problems, Map<String, List<Problem>> idUses) {
            files.forEach((fileName, yamlText) -> {
                Parsed parsed;
                try {
                    parsed = Parsed.of(yamlText);
                } catch (RuntimeException e) {
                    problems.add(parseProblem(fileName, e));
                    return;
                }
                Walk walk = new Walk(fileName, parsed, problems, idUses);
                JsonNode root = parsed.tree();
                if (!root.isArray()) {
                    problems.add(new Problem(fileName, 1, "$", "a route file is a YAML list"));
                    return;
                }
                for (int i = 0; i < root.size(); i++) {
                    walk.topLevel(root.get(i), List.of(i));
                    walk.node(root.get(i), List.of(i), null);
                }
            });
        }

        private static List<Problem> duplicates(Map<String, List<Problem>> idUses) {
            List<Problem> problems = new ArrayList<>();
            idUses.forEach((id, uses) -> {
                if (uses.size() > 1) {
                    Problem first = uses.get(0);
                    problems.add(new Problem(first.file(), first.line(), first.path(), "id '" + id + "' is used "
                            + uses.size() + " times: " + uses.stream().map(u -> u.file() + ":" + u.line() + " " + u.path())
                                    .collect(Collectors.joining(", "))));
                }
            });
            return problems;
        }

        /** One file's walk over the whole tree. */
        private final class Walk {
            private final String file;
            private final Parsed parsed;
            private final List<Problem> problems;
            private final Map<String, List<Problem>> idUses;

            Walk(String file, Parsed parsed, List<Problem> problems, Map<String, List<Problem>> idUses) {
                this.file = file;
                this.parsed = parsed;
                this.problems = problems;
                this.idUses = idUses;
            }

            private void problem(List<Object> path, String message) {
                problems.add(new Problem(file, parsed.line(path), format(path), message));
            }

            /** route and routeConfiguration: kebab-case id and a description. */
            void topLevel(JsonNode item, List<Object> path) {
                for (String kind : List.of("route", "routeConfiguration")) {
                    JsonNode definition = item.get(kind);
                    if (definition == null) {
                        continue;
                    }
                    List<Object> at = append(path, kind);
                    String id = text(definition, "id");
                    if (id == null) {
                        problem(at, kind + " has no id");
                    } else if (!KEBAB_CASE.matcher(id).matches()) {
                        problem(at, kind + " id '" + id + "' is not kebab-case (" + KEBAB_CASE.pattern() + ")");
                    }
                    if (text(definition, "description") == null) {
                        problem(at, kind + (id == null ? "" : " '" + id + "'") + " has no description");
                    }
                }
                if (item.has("from")) {
                    problem(append(path, "from"), "a top-level from makes a route without id and description: put it in a route");
                }
            }

            /** {@code node} is the value of field {@code name} (null in a list or at the top). */
            void node(JsonNode node, List<Object> path, String name) {
                if (name != null && (DESCRIBED_STEPS.contains(name) || name.equals("from"))) {
                    endpointStep(node, path, name);
                }
                if (node.isTextual()) {
                    if (name == null || !PROSE.contains(name)) {
                        uri(node.textValue(), path);
                    }
                } else if (node.isArray()) {
                    for (int i = 0; i < node.size(); i++) {
                        node(node.get(i), append(path, i), null);
                    }
                } else if (node.isObject()) {
                    sqlParametersCount(node, path);
                    String id = text(node, "id");
                    if (id != null) {
                        List<Object> at = append(path, "id");
                        idUses.computeIfAbsent(id, k -> new ArrayList<>())
                                .add(new Problem(file, parsed.line(at), format(at), id));
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> field = it.next();
                        if (!FREE_FORM.contains(field.getKey())) {
                            node(field.getValue(), append(path, field.getKey()), field.getKey());
                        }
                    }
                }
            }

            private void endpointStep(JsonNode step, List<Object> path, String kind) {
                boolean needsDescription = !"from".equals(kind);
                List<String> missing = new ArrayList<>();
                if (text(step, "id") == null) {
                    missing.add("no id");
                }
                if (needsDescription && text(step, "description") == null) {
                    missing.add("no description");
                }
                if (!missing.isEmpty()) {
                    problem(path, "'" + kind + "' has " + String.join(" and ", missing)
                            + (step.isTextual() ? " (short form '" + kind + ": " + step.textValue() + "': write it as a map with uri)" : ""));
                }
            }

            /** Every string that is not prose: mock:/test: endpoints, and the SQL of sql: uris. */
            private void uri(String value, List<Object> path) {
                if (TEST_ENDPOINT.matcher(value).find()) {
                    problem(path, "test endpoint in a route file: '" + value + "'");
                }
                String uri = value.strip();
                if (!uri.startsWith("sql:")) {
                    return;
                }
                boolean dynamic = path.contains("toD");
                sqlSplicing(uri, path, dynamic, "");
                String query = uri.substring("sql:".length());
                if (query.startsWith("classpath:") && sqlResources != null) {
                    String resource = query.substring("classpath:".length()).split("\\?", 2)[0];
                    Path file = sqlResources.resolve(resource);
                    if (!Files.isRegularFile(file)) {
                        problem(path, "the query " + resource + " is not in " + sqlResources);
                    } else {
                        try {
                            sqlSplicing(Files.readString(file, StandardCharsets.UTF_8), path, dynamic, " (in " + file + ")");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            }

            /**
             * A sql: step that binds values says how many ({@code parameters: parametersCount: n},
             * one per {@code :#}). Without it camel-sql asks the JDBC driver for the statement's
             * parameters before every execution, and PostgreSQL's driver then prepares the statement
             * anew each time: a second round trip, and the query is planned again every time
             * (bench: the database's CPU per duplicate fell ~7x with the counts).
             */
            private void sqlParametersCount(JsonNode step, List<Object> path) {
                String uri = text(step, "uri");
                if (uri == null || !uri.strip().startsWith("sql:")) {
                    return;
                }
                String sql = uri.strip().substring("sql:".length());
                if (sql.startsWith("classpath:")) {
                    if (sqlResources == null) {
                        return;
                    }
                    Path file = sqlResources.resolve(sql.substring("classpath:".length()).split("\\?", 2)[0]);
                    if (!Files.isRegularFile(file)) {
                        return; // reported by uri()
                    }
                    try {
                        sql = Files.readString(file, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                if (sql.replace(":#${", "").contains("${")) {
                    return; // a spliced value, reported by sqlSplicing
                }
                int binds = 0;
                for (int i = sql.indexOf(":#"); i >= 0; i = sql.indexOf(":#", i + 2)) {
                    binds++;
                }
                JsonNode given = step.path("parameters").get("parametersCount");
                String count = given == null ? null : given.asText();
                if (binds > 0 && !String.valueOf(binds).equals(count)) {
                    problem(append(path, "parameters"), "sql: step binds " + binds + " value(s) but "
                            + (count == null ? "has no parametersCount" : "says parametersCount: " + count)
                            + ": give it parameters: parametersCount: " + binds + " (without it the database plans the statement anew on every call)");
                }
            }

            /**
             * SQL binds values with {@code :#name} or {@code :#${...}}, never pastes them: every
             * {@code ${} (and {@code $simple{}) must follow {@code :#}. In a toD none is allowed:
             * toD evaluates them itself, so the query text would hold the value.
             */
            private void sqlSplicing(String sql, List<Object> path, boolean dynamic, String where) {
                for (String start : List.of("${", "$simple{")) {
                    for (int i = sql.indexOf(start); i >= 0; i = sql.indexOf(start, i + 1)) {
                        String around = sql.substring(Math.max(0, i - 12), Math.min(sql.length(), i + 30)).replaceAll("\\s+", " ");
                        if (dynamic) {
                            problem(path, "sql: query in a toD holds " + start + "...} at '" + around + "'" + where
                                    + ": toD splices it into the SQL; use to with :#${...}");
                        } else if (!sql.startsWith(":#", i - 2)) {
                            problem(path, "sql: query splices " + start + "...} into the SQL at '" + around + "'" + where
                                    + ": bind it as :#" + start + "...}");
                        }
                    }
                }
            }
        }

        // ------------------------------------------------------------ parsing and paths

        /**
         * A file read as Camel reads it (snakeyaml-engine, YAML 1.2 core schema, duplicate keys
         * rejected), as a Jackson tree, with the line of each path.
         */
        private record Parsed(JsonNode tree, Map<List<Object>, Integer> lines) {

            static Parsed of(String yamlText) {
                LoadSettings settings = LoadSettings.builder().setAllowDuplicateKeys(false).build();
                Object value = new Load(settings).loadFromString(yamlText);
                Map<List<Object>, Integer> lines = new LinkedHashMap<>();
                new Compose(settings).composeString(yamlText).ifPresent(node -> recordLines(node, List.of(), lines));
                return new Parsed(value == null ? JSON.nullNode() : JSON.valueToTree(value), lines);
            }

            private static void recordLines(Node node, List<Object> path, Map<List<Object>, Integer> lines) {
                node.getStartMark().ifPresent(mark -> lines.putIfAbsent(path, mark.getLine() + 1));
                if (node instanceof MappingNode mapping) {
                    for (NodeTuple tuple : mapping.getValue()) {
                        if (tuple.getKeyNode() instanceof ScalarNode key) {
                            List<Object> at = append(path, key.getValue());
                            key.getStartMark().ifPresent(mark -> lines.putIfAbsent(at, mark.getLine() + 1));
                            recordLines(tuple.getValueNode(), at, lines);
                        }
                    }
                } else if (node instanceof SequenceNode sequence) {
                    for (int i = 0; i < sequence.getValue().size(); i++) {
                        recordLines(sequence.getValue().get(i), append(path, i), lines);
                    }
                }
            }

            /** The line of {@code path}, else of its nearest ancestor that has one; 0 when none. */
            int line(List<Object> path) {
                for (int n = path.size(); n >= 0; n--) {
                    Integer line = lines.get(path.subList(0, n));
                    if (line != null) {
                        return line;
                    }
                }
                return 0;
            }
        }

        private static Problem parseProblem(String fileName, RuntimeException e) {
            String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
            return new Problem(fileName, 0, "$", "YAML does not parse: " + message);
        }

        private static List<Object> append(List<Object> path, Object element) {
            List<Object> longer = new ArrayList<>(path.size() + 1);
            longer.addAll(path);
            longer.add(element);
            return List.copyOf(longer);
        }

        private static List<Object> elements(NodePath nodePath) {
            List<Object> path = new ArrayList<>();
            for (int i = 0; i < nodePath.getNameCount(); i++) {
                path.add(nodePath.getElement(i));
            }
            return List.copyOf(path);
        }

        /** JSON path: {@code $[1].route.from.steps[0].to}. */
        static String format(List<Object> path) {
            StringBuilder text = new StringBuilder("$");
            for (Object element : path) {
                if (element instanceof Integer index) {
                    text.append('[').append(index).append(']');
                } else if (element.toString().matches("[A-Za-z_$][\\w$-]*")) {
                    text.append('.').append(element);
                } else {
                    text.append("['").append(element.toString().replace("'", "\\'")).append("']");
                }
            }
            return text.toString();
        }

        /** The non-blank string value of {@code field}, else null. */
        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
        }
    }
}
