package chat.platform.duplicate.routefiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * The route check on inline route files: a file that passes every check, and for each kind of
 * problem that file broken in one place, reported with its file and line. No Spring context: the
 * check's facts are a few beans and settings of its own, the SQL files and components of the
 * class path.
 */
class RouteCheckTest {

    private static final String FILE = "inline.camel.yaml";

    private static RouteCheck checker;

    @BeforeAll
    static void checker() {
        MockEnvironment settings = new MockEnvironment().withProperty("x.url", "http://things.example");
        ServiceFacts facts = new ServiceFacts(RouteCheckTest.class.getClassLoader(), Set.of("things", "tokenAuthenticator", "retryAfter"),
                settings, Map.of("x.sandbox", "http://localhost:${server.port:8080}/sandbox"));
        checker = new RouteCheck(facts);
    }

    /**
     * A file that passes every check; each negative test breaks it in one place. Its placeholder
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
                      onExceptionOccurredRef: retryAfter
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
                  uri: platform-http:/things/{thingId}
                  steps:
                    - setVariable:
                        id: hash-token
                        name: tokenSha256
                        method:
                          ref: tokenAuthenticator
                          method: "tokenHash(${header.Authorization})"
                    - to:
                        id: insert-thing
                        description: Insert with bound values
                        uri: "sql:INSERT INTO things (a, b) VALUES (:#${header.a}, :#b)"
                        parameters:
                          parametersCount: 2
                        variableSend: thing
                    - to:
                        id: find-user
                        description: A statement of the service
                        uri: sql:classpath:sql/find-token-user.sql
                        parameters:
                          parametersCount: 1
                    - to:
                        id: call-out
                        description: To the outside, at a url that is a setting
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
                            - to:
                                id: pass-on
                                description: To the other route
                                uri: direct:other-thing
            - route:
                id: other-thing
                description: The other route
                from:
                  id: other-thing-in
                  uri: direct:other-thing
                  steps:
                    - to:
                        id: to-sandbox
                        description: A url start-up gives
                        uri: "{{x.sandbox}}/messages"
            """;

    private static List<RouteProblem> check(String yaml) {
        return checker.check(Map.of(FILE, yaml)).problems();
    }

    /** VALID with the first match of {@code regex} (multi-line mode) replaced. */
    private static String broken(String regex, String replacement) {
        String yaml = VALID.replaceFirst("(?m)" + regex, replacement);
        assertThat(yaml).as("test setup: VALID has no " + regex).isNotEqualTo(VALID);
        return yaml;
    }

    /** VALID without the line that contains {@code fragment}. */
    private static String withoutLine(String fragment) {
        return broken("^.*" + Pattern.quote(fragment) + ".*\\n", "");
    }

    private static int lineOf(String yaml, String fragment) {
        assertThat(yaml).contains(fragment);
        return yaml.substring(0, yaml.indexOf(fragment)).split("\n", -1).length;
    }

    /** Exactly one problem, in FILE at {@code line}, whose text contains every fragment. */
    private static void assertOneProblem(List<RouteProblem> problems, int line, String... fragments) {
        assertThat(problems).as("exactly one problem").hasSize(1);
        RouteProblem problem = problems.get(0);
        assertThat(problem.file()).isEqualTo(FILE);
        assertThat(problem.line()).as("line of %s", problem).isEqualTo(line);
        assertThat(problem.toString()).startsWith(FILE + ":" + line + ": ").contains(fragments);
    }

    @Test
    void theValidFilePassesEveryCheck() {
        RouteCheck.Result result = checker.check(Map.of(FILE, VALID));
        assertThat(result.problems()).isEmpty();
        assertThat(result.routeCount()).isEqualTo(2);
        assertThat(result.files().get(FILE).routeIds()).containsExactly("store-thing", "other-thing");
        assertThat(result.files().get(FILE).httpPaths()).containsExactly("/things/{thingId}");
    }

    // ---------------------------------------------------------------- YAML

    @Test
    void yamlThatDoesNotParseIsReportedWithItsLineNotThrown() {
        String yaml = VALID + "  - : : [\n";
        List<RouteProblem> problems = check(yaml);
        assertOneProblem(problems, lineOf(yaml, "  - : : ["), "YAML does not parse", "column");
    }

    @Test
    void duplicateKeyIsReported() {
        String yaml = broken("^(.*)(description: Stores a thing)$", "$1$2\n$1description: Twice");
        assertOneProblem(check(yaml), lineOf(yaml, "description: Twice"), "YAML does not parse", "duplicate key description");
    }

    @Test
    void aFileCutOffWhileWrittenIsReported() {
        // cut off right after a step: what is there is a complete route, only its last line break is missing
        String half = VALID.substring(0, VALID.indexOf("\n        - to:\n            id: call-out"));
        assertOneProblem(check(half), lineOf(half, "parametersCount: 1"), "does not end with a line break", "saved half-way");
    }

    @Test
    void anEmptyFileIsReported() {
        assertOneProblem(check("# nothing yet\n"), 1, "the file is empty");
    }

    @Test
    void aFileThatIsNoListIsReported() {
        assertOneProblem(check("route:\n  id: x\n"), 1, "a route file is a YAML list");
    }

    // ---------------------------------------------------------------- Camel's YAML DSL schema

    @Test
    void unknownKeyIsASchemaError() {
        String yaml = broken("steps:", "stepz:"); // the first one: of store-thing's from
        List<RouteProblem> problems = check(yaml);
        assertThat(problems).isNotEmpty().allMatch(p -> p.file().equals(FILE));
        assertThat(problems).noneMatch(p -> p.message().matches(".*\\{\\d}.*"));
        assertThat(problems).anyMatch(p -> p.message().contains("not Camel's YAML DSL at $[1].route.from")
                && p.message().contains("property 'stepz' is not defined") && p.line() == lineOf(yaml, "stepz:"));
    }

    @Test
    void placeholderDefaultIsValidatedAsTheValueCamelWouldUse() {
        // "{{x:three}}" becomes the string "three", which is no number
        String yaml = broken(Pattern.quote("{{x.max-redeliveries:3}}"), "{{x.max-redeliveries:three}}");
        assertThat(check(yaml)).anyMatch(p -> p.message().contains(".redeliveryPolicy.maximumRedeliveries")
                && p.line() == lineOf(yaml, "maximumRedeliveries"));
    }

    @Test
    void placeholderDefaultsAreParsedAsYamlScalars() {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode tree = mapper.createArrayNode()
                .add("{{a.b:3}}").add("{{x:false}}").add("{{env:PORT:8080}}").add("{{s:text}}")
                .add("{{e:}}").add("{{bridge.url}}/messages").add("{{bridge.url}}").add("Bearer {{t:}}")
                .add("{{a:1}}{{b:2}}");
        assertThat(RouteCheck.withPlaceholderDefaults(tree)).isEqualTo(mapper.createArrayNode()
                .add(3).add(false).add(8080).add("text")
                .add("").add("{{bridge.url}}/messages").add("{{bridge.url}}").add("Bearer {{t:}}")
                .add("{{a:1}}{{b:2}}"));
    }

    // ---------------------------------------------------------------- conventions

    @Test
    void toWithoutIdIsReported() {
        String yaml = withoutLine("id: insert-thing");
        assertOneProblem(check(yaml), lineOf(yaml, "description: Insert with bound values") - 1, "'to' has no id");
    }

    @Test
    void shorthandToIsReported() {
        String yaml = broken("- to:\\n.*id: call-out\\n.*\\n.*uri: (.*)$", "- to: $1");
        assertOneProblem(check(yaml), lineOf(yaml, "- to: \"{{x.url}}"), "no id", "no description", "write it as a map with uri");
    }

    @Test
    void nestedBeanWithoutDescriptionIsReported() {
        String yaml = withoutLine("description: Ones");
        assertOneProblem(check(yaml), lineOf(yaml, "- bean:"), "'bean' has no description");
    }

    @Test
    void fromWithoutIdIsReported() {
        String yaml = withoutLine("id: store-thing-in");
        assertOneProblem(check(yaml), lineOf(yaml, "uri: platform-http:/things") - 1, "'from' has no id");
    }

    @Test
    void routeIdThatIsNotKebabCaseIsReported() {
        String yaml = broken("id: store-thing$", "id: StoreThing");
        assertOneProblem(check(yaml), lineOf(yaml, "id: StoreThing"), "StoreThing", "kebab-case");
    }

    @Test
    void routeWithoutDescriptionIsReported() {
        String yaml = broken("description: Stores a thing", "description: \" \"");
        assertOneProblem(check(yaml), lineOf(yaml, "id: store-thing") - 1, "route 'store-thing' has no description");
    }

    @Test
    void routeConfigurationIdThatIsNotKebabCaseIsReported() {
        String yaml = VALID.replace("test-errors", "test_errors");
        assertOneProblem(check(yaml), lineOf(yaml, "id: test_errors"), "routeConfiguration id 'test_errors'", "kebab-case");
    }

    @Test
    void sqlWithSplicedValueIsReported() {
        String yaml = broken(":#(\\$\\{header.a})", "'$1'");
        assertOneProblem(check(yaml), lineOf(yaml, "uri: \"sql:INSERT"), "splices ${...} into the SQL", "bind it as :#${...}");
    }

    @Test
    void sqlInToDWithAnySimpleExpressionIsReported() {
        // toD evaluates ${...} itself before the sql component sees the query, so even :#${...} is spliced
        String yaml = broken("- to:(\\n.*id: insert-thing)", "- toD:$1");
        assertOneProblem(check(yaml), lineOf(yaml, "uri: \"sql:INSERT"), "query in a toD", "use to with :#${...}");
    }

    @Test
    void sqlStepWithoutParametersCountIsReported() {
        String yaml = broken("\\n *parameters:\\n *parametersCount: 2", "");
        assertOneProblem(check(yaml), lineOf(yaml, "id: insert-thing") - 1, "binds 2", "no parametersCount", "parametersCount: 2");
    }

    @Test
    void sqlStepWithTheWrongParametersCountIsReported() {
        String yaml = broken("parametersCount: 2", "parametersCount: 3");
        assertOneProblem(check(yaml), lineOf(yaml, "parametersCount: 3") - 1, "binds 2", "says parametersCount: 3");
    }

    @Test
    void mockUriIsReported() {
        String yaml = broken("uri: \"\\{\\{x.url}}/things\"", "uri: mock:things");
        List<RouteProblem> problems = check(yaml);
        assertThat(problems).extracting(RouteProblem::line).containsOnly(lineOf(yaml, "uri: mock:things"));
        assertThat(problems).anyMatch(p -> p.message().contains("test endpoint in a route file: 'mock:things'"));
    }

    @Test
    void duplicateIdsAreReportedAcrossFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("a.camel.yaml", VALID);
        files.put("b.camel.yaml", VALID.replace("test-errors", "other-errors").replace("store-thing", "second-thing")
                .replace("other-thing", "third-thing").replace("handle-one", "second-one").replace("call-out", "second-call")
                .replace("hash-token", "second-hash").replace("find-user", "second-find").replace("pass-on", "second-pass")
                .replace("to-sandbox", "second-sandbox"));
        List<RouteProblem> problems = checker.check(files).problems();
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).toString()).startsWith("a.camel.yaml:" + lineOf(VALID, "id: insert-thing") + ": ")
                .contains("id 'insert-thing' is used 2 times", "b.camel.yaml:" + lineOf(VALID, "id: insert-thing"));
    }

    // ---------------------------------------------------------------- the flow can run here

    @Test
    void aBeanThatDoesNotExistIsReportedWithTheNearestName() {
        String yaml = broken("ref: tokenAuthenticator", "ref: tokenAuthentikator");
        assertOneProblem(check(yaml), lineOf(yaml, "ref: tokenAuthentikator"),
                "bean 'tokenAuthentikator' does not exist in this service", "did you mean 'tokenAuthenticator'?");
    }

    @Test
    void aBeanStepAndARefOptionNameBeansToo() {
        String yaml = broken("ref: things", "ref: nothing").replace("onExceptionOccurredRef: retryAfter", "onExceptionOccurredRef: retryLater");
        List<RouteProblem> problems = check(yaml);
        assertThat(problems).extracting(RouteProblem::toString).containsExactly(
                FILE + ":" + lineOf(yaml, "retryLater") + ": bean 'retryLater' does not exist in this service (did you mean 'retryAfter'?)",
                FILE + ":" + lineOf(yaml, "ref: nothing") + ": bean 'nothing' does not exist in this service");
    }

    @Test
    void aSqlFileTheServiceDoesNotHaveIsReported() {
        String yaml = broken("sql/find-token-user.sql", "sql/find-token-users.sql");
        assertOneProblem(check(yaml), lineOf(yaml, "find-token-users.sql"), "sql:classpath:sql/find-token-users.sql: the service has no such SQL file");
    }

    @Test
    void valuesBoundByNameNeedTheMapTheStepSends() {
        String yaml = withoutLine("variableSend: thing");
        assertOneProblem(check(yaml), lineOf(yaml, "uri: \"sql:INSERT"), "binds :#b by name from the map it sends, but sends none");
    }

    @Test
    void anEndpointWhoseComponentIsNotOnTheClassPathIsReported() {
        String yaml = broken("uri: direct:other-thing$", "uri: seda2:other-thing");
        List<RouteProblem> problems = check(yaml);
        assertThat(problems).extracting(RouteProblem::toString).contains(
                FILE + ":" + lineOf(yaml, "seda2:other-thing") + ": endpoint 'seda2:other-thing': this service has no Camel component 'seda2'");
    }

    @Test
    void aPlaceholderWithoutValueOrDefaultIsReported() {
        String yaml = broken("\\{\\{x.url}}", "{{x.uri}}");
        assertOneProblem(check(yaml), lineOf(yaml, "{{x.uri}}"), "placeholder {{x.uri}} has no value in this service and no default",
                "write {{x.uri:<default>}} or set X_URI");
    }

    @Test
    void placeholdersResolveFromSettingsDefaultsAndTheEnvironment() {
        ServiceFacts facts = new ServiceFacts(getClass().getClassLoader(), Set.of(), new MockEnvironment().withProperty("a.b", "1"),
                Map.of("c.d", "x"));
        assertThat(facts.placeholder("a.b")).hasValue("1");
        assertThat(facts.placeholder("c.d")).hasValue("x");
        assertThat(facts.placeholder("e.f:2")).hasValue("2");
        assertThat(facts.placeholder("e.f")).isEmpty();
        assertThat(facts.placeholder("env:PATH")).isPresent();
        assertThat(facts.placeholder("env:NO_SUCH_VARIABLE_HERE")).isEmpty();
        assertThat(facts.resolve("{{a.b}}/{{e.f:z}}")).hasValue("1/z");
        assertThat(RouteCheck.variable("bridge.timeout-ms")).isEqualTo("BRIDGE_TIMEOUT_MS");
    }

    @Test
    void aDirectCallToNoRouteIsReported() {
        String yaml = broken("uri: direct:other-thing$", "uri: direct:other-thin");
        assertOneProblem(check(yaml), lineOf(yaml, "uri: direct:other-thin"),
                "'direct:other-thin' calls a route that does not exist: no route starts from direct:other-thin");
    }

    @Test
    void aDirectRouteOfAnotherFileCounts() {
        String calls = VALID.substring(0, VALID.indexOf("- route:\n    id: other-thing"));
        String called = VALID.substring(VALID.indexOf("- route:\n    id: other-thing"));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("calls.camel.yaml", calls);
        assertThat(checker.check(files).problems()).extracting(RouteProblem::message).containsExactly(
                "'direct:other-thing' calls a route that does not exist: no route starts from direct:other-thing");
        files.put("called.camel.yaml", called);
        assertThat(checker.check(files).problems()).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnceInLineOrder() {
        String yaml = VALID.replace("ref: things", "ref: thing").replace("uri: direct:other-thing\n      ", "uri: direct:other\n      ")
                .replace("{{x.url}}", "{{x.uri}}").replaceFirst("(?m)^.*description: Ones\n", "");
        List<RouteProblem> problems = check(yaml);
        assertThat(problems).as(problems.toString()).extracting(RouteProblem::line).containsExactly(
                lineOf(yaml, "{{x.uri}}"), lineOf(yaml, "- bean:"), lineOf(yaml, "ref: thing"), lineOf(yaml, "uri: direct:other-thing"));
        assertThat(problems.get(3).message()).contains("no route starts from direct:other-thing");
    }

    @Test
    void theNearestNameIsOnlyAFewLettersAway() {
        assertThat(RouteCheck.closest("duplicateRule", Set.of("duplicateRules", "messageRows"))).hasValue("duplicateRules");
        assertThat(RouteCheck.closest("somethingElse", Set.of("duplicateRules", "messageRows"))).isEmpty();
    }
}
