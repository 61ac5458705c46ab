package chat.platform.duplicate.routefiles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.path.NodePath;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The one check of Camel YAML route files, used by start-up, live reload, {@code validate-routes}
 * and the build (RouteFilesTest). It takes a set of files (their names as printed, and their text)
 * and reports every problem at once, each as {@code <file>:<line>: <what>}:
 * <ul>
 * <li>the YAML parses (as Camel reads it: YAML 1.2, duplicate keys rejected), is a list and
 * ends with a line break (a file cut off while it is written rarely does);</li>
 * <li>it validates against Camel's YAML DSL schema, with each {@code {{key:default}}} read as
 * the value Camel would use;</li>
 * <li>the project's conventions: every route and route configuration has a kebab-case id and a
 * description, every to/toD/bean/wireTap/enrich/pollEnrich step an id and a description, every
 * from an id; ids are unique across the files; SQL binds values by name and says how many; no
 * mock:/test: endpoints;</li>
 * <li>the flow can run in this service ({@link ServiceFacts}): every bean it names exists, every
 * {@code sql:classpath:} file exists, every endpoint's scheme is a component on the class path,
 * every {@code {{placeholder}}} has a value or a default, every {@code direct:} it calls is the
 * start of a route.</li>
 * </ul>
 */
public final class RouteCheck {

    /** The problems, by file (in the order given) and line, and per file the routes it declares. */
    public record Result(List<RouteProblem> problems, Map<String, FileRoutes> files) {

        public boolean ok() {
            return problems.isEmpty();
        }

        public int routeCount() {
            return files.values().stream().mapToInt(routes -> routes.routeIds().size()).sum();
        }
    }

    /** The routes of one file: their ids, the line of each, and the HTTP paths of those that start from platform-http. */
    public record FileRoutes(List<String> routeIds, Map<String, Integer> lines, List<String> httpPaths) {

        static final FileRoutes NONE = new FileRoutes(List.of(), Map.of(), List.of());

        /** The line of route {@code id}, 1 when it is not one of these. */
        public int lineOf(String id) {
            return lines.getOrDefault(id, 1);
        }
    }

    private static final Pattern KEBAB_CASE = Pattern.compile("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");

    /** Steps that must have an id and a description. */
    private static final Set<String> DESCRIBED_STEPS = Set.of("to", "toD", "bean", "wireTap", "enrich", "pollEnrich");

    /** Free-form maps (endpoint options, bean properties): their keys are not DSL. */
    private static final Set<String> FREE_FORM = Set.of("parameters", "properties", "constructors");

    /** Prose, not endpoints: not searched for mock:/test: uris. */
    private static final Set<String> PROSE = Set.of("description", "note", "message");

    /** Text Camel does not resolve placeholders in. */
    private static final Set<String> COMMENTS = Set.of("description", "note");

    private static final Pattern TEST_ENDPOINT = Pattern.compile("(^|,)\\s*(mock|test):");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern NAMED_PARAMETER = Pattern.compile(":#([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern BEAN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.-]*");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceFacts facts;
    private final Schema schema;

    /** A check against Camel's YAML DSL schema ({@link CamelYamlDslSchema}) and this service's facts. */
    public RouteCheck(ServiceFacts facts) {
        this(facts, CamelYamlDslSchema.get());
    }

    RouteCheck(ServiceFacts facts, Schema schema) {
        this.facts = facts;
        this.schema = schema;
    }

    /** Checks the files together (direct: calls and ids span files); {@code files}: name as printed, text. */
    public Result check(Map<String, String> files) {
        List<RouteProblem> problems = new ArrayList<>();
        Map<String, FileRoutes> routes = new LinkedHashMap<>();
        Shared shared = new Shared();
        for (Map.Entry<String, String> file : files.entrySet()) {
            String name = file.getKey();
            Parsed parsed;
            try {
                parsed = Parsed.of(file.getValue());
            } catch (RuntimeException e) {
                problems.add(parseProblem(name, e));
                routes.put(name, FileRoutes.NONE);
                continue;
            }
            JsonNode root = parsed.tree();
            if (root.isNull()) {
                problems.add(new RouteProblem(name, 1, "the file is empty: a route file is a YAML list of routes (was it saved half-way?)"));
                routes.put(name, FileRoutes.NONE);
                continue;
            }
            if (!root.isArray()) {
                problems.add(new RouteProblem(name, 1, "a route file is a YAML list (- route: ...), not a " + root.getNodeType().name().toLowerCase()));
                routes.put(name, FileRoutes.NONE);
                continue;
            }
            String text = file.getValue();
            if (!text.endsWith("\n")) {
                // a file saved in one piece ends its last line; one cut off while written rarely does
                problems.add(new RouteProblem(name, text.split("\n", -1).length, "the file does not end with a line break: "
                        + "was it saved half-way? (end its last line)"));
            }
            problems.addAll(schemaProblems(name, parsed));
            Walk walk = new Walk(name, parsed, problems, shared);
            for (int i = 0; i < root.size(); i++) {
                walk.topLevel(root.get(i), List.of(i));
                walk.node(root.get(i), List.of(i), null);
            }
            walk.scalars(root, List.of(), null, false);
            routes.put(name, routesOf(root, parsed));
        }
        problems.addAll(shared.crossFileProblems());
        List<String> order = new ArrayList<>(files.keySet());
        List<RouteProblem> sorted = new ArrayList<>(new LinkedHashSet<>(problems));
        sorted.sort(Comparator.comparingInt((RouteProblem p) -> order.indexOf(p.file())).thenComparingInt(RouteProblem::line));
        return new Result(List.copyOf(sorted), routes);
    }

    private FileRoutes routesOf(JsonNode root, Parsed parsed) {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode route = root.get(i).path("route");
            String id = text(route, "id");
            if (id != null) {
                ids.add(id);
                lines.putIfAbsent(id, Math.max(1, parsed.line(List.of(i, "route"))));
            }
            String uri = text(route.path("from"), "uri");
            if (uri != null && uri.strip().startsWith("platform-http:")) {
                paths.add(uri.strip().substring("platform-http:".length()).split("\\?", 2)[0]);
            }
        }
        return new FileRoutes(List.copyOf(ids), Map.copyOf(lines), List.copyOf(paths));
    }

    // ---------------------------------------------------------------- schema

    /** Every error of the file against Camel's YAML DSL schema, placeholders with a default resolved. */
    private List<RouteProblem> schemaProblems(String fileName, Parsed parsed) {
        Map<List<Object>, String> defaults = new LinkedHashMap<>();
        JsonNode resolved = withPlaceholderDefaults(parsed.tree(), List.of(), defaults);
        List<Error> errors = validate(resolved);
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
            errors = validate(resolved);
        }
        List<RouteProblem> problems = new ArrayList<>();
        for (Error error : errors) {
            List<Object> at = elements(error.getInstanceLocation());
            int line = parsed.line(at);
            if (error.getProperty() != null) {
                line = Math.max(line, parsed.line(append(at, error.getProperty())));
            }
            problems.add(new RouteProblem(fileName, line, "not Camel's YAML DSL at " + format(at) + ": " + error.getMessage()));
        }
        return problems;
    }

    /** One validation at a time: the schema is shared by every check of the process, and checks are rare. */
    private List<Error> validate(JsonNode tree) {
        synchronized (schema) {
            return schema.validate(tree);
        }
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
            return text.map(RouteCheck::yamlScalar).orElse(node);
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

    // ---------------------------------------------------------------- across files

    /** What the files declare and use of each other: ids, and direct: routes. */
    private static final class Shared {
        private final Map<String, List<RouteProblem>> idUses = new TreeMap<>();
        private final Set<String> directRoutes = new LinkedHashSet<>();
        private final Map<RouteProblem, String> directCalls = new LinkedHashMap<>();

        List<RouteProblem> crossFileProblems() {
            List<RouteProblem> problems = new ArrayList<>();
            idUses.forEach((id, uses) -> {
                if (uses.size() > 1) {
                    RouteProblem first = uses.get(0);
                    problems.add(new RouteProblem(first.file(), Math.max(1, first.line()), "id '" + id + "' is used " + uses.size() + " times ("
                            + uses.stream().map(u -> u.file() + ":" + u.line()).collect(Collectors.joining(", ")) + "): ids must be unique"));
                }
            });
            directCalls.forEach((call, name) -> {
                if (!directRoutes.contains(name)) {
                    problems.add(call);
                }
            });
            return problems;
        }
    }

    // ---------------------------------------------------------------- one file's walk

    private final class Walk {
        private final String file;
        private final Parsed parsed;
        private final List<RouteProblem> problems;
        private final Shared shared;

        Walk(String file, Parsed parsed, List<RouteProblem> problems, Shared shared) {
            this.file = file;
            this.parsed = parsed;
            this.problems = problems;
            this.shared = shared;
        }

        private void problem(List<Object> path, String message) {
            problems.add(new RouteProblem(file, Math.max(1, parsed.line(path)), message));
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
                    problem(append(at, "id"), kind + " id '" + id + "' is not kebab-case (" + KEBAB_CASE.pattern() + ")");
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
                if (node.isTextual()) {
                    endpoint(node.textValue(), path, name.equals("from"), name.equals("toD"));
                }
            }
            if (node.isTextual()) {
                if (name == null || !PROSE.contains(name)) {
                    uriText(node.textValue(), path);
                }
                if (name != null && names(name, path)) {
                    beanReference(node.textValue(), path);
                }
                if ("uri".equals(name)) {
                    String parent = path.size() >= 2 && path.get(path.size() - 2) instanceof String s ? s : "";
                    endpoint(node.textValue(), path, parent.equals("from"), parent.equals("toD"));
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    node(node.get(i), append(path, i), null);
                }
            } else if (node.isObject()) {
                sqlStep(node, path);
                String id = text(node, "id");
                if (id != null) {
                    List<Object> at = append(path, "id");
                    shared.idUses.computeIfAbsent(id, k -> new ArrayList<>()).add(new RouteProblem(file, parsed.line(at), id));
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!FREE_FORM.contains(field.getKey())) {
                        node(field.getValue(), append(path, field.getKey()), field.getKey());
                    }
                }
            }
        }

        /** Fields whose value is the name of a bean: ref, ...Ref, and a circuit breaker's Resilience4j instance. */
        private boolean names(String field, List<Object> path) {
            return field.equals("ref") || (field.endsWith("Ref") && field.length() > 3)
                    || (field.equals("circuitBreaker") && path.contains("resilience4jConfiguration"));
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
        private void uriText(String value, List<Object> path) {
            if (TEST_ENDPOINT.matcher(value).find()) {
                problem(path, "test endpoint in a route file: '" + value + "'");
            }
            String uri = value.strip();
            if (!uri.startsWith("sql:")) {
                return;
            }
            boolean dynamic = path.contains("toD");
            sqlSplicing(uri, path, dynamic, "");
            sqlFile(uri).ifPresent(file -> file.text().ifPresentOrElse(
                    sql -> sqlSplicing(sql, path, dynamic, " (in " + file.location() + ")"),
                    () -> problem(path, "sql:classpath:" + file.location() + ": the service has no such SQL file (its statements ship in the jar, "
                            + "src/main/resources/" + file.location() + ")")));
        }

        /** An endpoint: its scheme is a component here; direct: calls, and bean: names. */
        private void endpoint(String uri, List<Object> path, boolean from, boolean dynamic) {
            String raw = uri.strip();
            Optional<String> resolved = facts.resolve(raw);
            if (resolved.isEmpty()) {
                return; // a placeholder without a value: reported as such
            }
            String value = resolved.get();
            int colon = value.indexOf(':');
            String scheme = colon > 0 ? value.substring(0, colon) : "";
            if (!SCHEME.matcher(scheme).matches()) {
                if (!(dynamic && value.contains("${"))) {
                    problem(path, "endpoint '" + raw + "' has no component (scheme:path)");
                }
                return;
            }
            if (!facts.hasComponent(scheme)) {
                problem(path, "endpoint '" + raw + "': this service has no Camel component '" + scheme + "'");
                return;
            }
            String rest = value.substring(colon + 1);
            rest = rest.startsWith("//") ? rest.substring(2) : rest;
            String name = rest.split("\\?", 2)[0];
            if (name.contains("${")) {
                return; // chosen at run time
            }
            if (scheme.equals("direct")) {
                if (from) {
                    shared.directRoutes.add(name);
                } else {
                    shared.directCalls.putIfAbsent(new RouteProblem(file, Math.max(1, parsed.line(path)), "'" + raw
                            + "' calls a route that does not exist: no route starts from direct:" + name), name);
                }
            } else if (scheme.equals("bean")) {
                beanReference(name, path);
            }
        }

        private void beanReference(String value, List<Object> path) {
            String name = value.strip();
            if (name.startsWith("#bean:")) {
                name = name.substring("#bean:".length());
            } else if (name.startsWith("#")) {
                name = name.substring(1);
            }
            if (name.contains("{{")) {
                Optional<String> resolved = facts.resolve(name);
                if (resolved.isEmpty()) {
                    return;
                }
                name = resolved.get();
            }
            if (name.contains("${") || !BEAN_NAME.matcher(name).matches()) {
                return; // chosen at run time, or a class name
            }
            if (!facts.hasBean(name)) {
                problem(path, "bean '" + name + "' does not exist in this service" + closest(name, facts.beans())
                        .map(near -> " (did you mean '" + near + "'?)").orElse(""));
            }
        }

        /**
         * Every text value but descriptions: each {@code {{placeholder}}} has a value or a default;
         * in free-form maps (endpoint options, bean properties) a {@code #name} or
         * {@code #bean:name} value names a bean.
         */
        void scalars(JsonNode node, List<Object> path, String name, boolean freeForm) {
            if (node.isTextual()) {
                if (name != null && COMMENTS.contains(name)) {
                    return;
                }
                Matcher placeholders = PLACEHOLDER.matcher(node.textValue());
                while (placeholders.find()) {
                    String inside = placeholders.group(1);
                    if (facts.placeholder(inside).isEmpty()) {
                        problem(path, "placeholder {{" + inside + "}} has no value in this service and no default: write {{"
                                + inside + ":<default>}} or set " + variable(inside));
                    }
                }
                String text = node.textValue().strip();
                if (text.startsWith("#bean:") || (freeForm && text.startsWith("#") && BEAN_NAME.matcher(text.substring(1)).matches())) {
                    beanReference(text, path);
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    scalars(node.get(i), append(path, i), null, freeForm);
                }
            } else if (node.isObject()) {
                node.fields().forEachRemaining(field -> scalars(field.getValue(), append(path, field.getKey()), field.getKey(),
                        freeForm || FREE_FORM.contains(field.getKey())));
            }
        }

        /**
         * A sql: step that binds values says how many ({@code parameters: parametersCount: n},
         * one per {@code :#}). Without it camel-sql asks the JDBC driver for the statement's
         * parameters before every execution, and PostgreSQL's driver then prepares the statement
         * anew each time: a second round trip, and the query is planned again every time (bench:
         * the database's CPU per duplicate fell ~7x with the counts). A value bound by a plain name
         * ({@code :#conversationId}) is a key of the map the step sends ({@code variableSend}).
         */
        private void sqlStep(JsonNode step, List<Object> path) {
            String uri = text(step, "uri");
            if (uri == null || !uri.strip().startsWith("sql:")) {
                return;
            }
            String sql = uri.strip().substring("sql:".length());
            Optional<SqlFile> file = sqlFile(uri);
            if (file.isPresent()) {
                if (file.get().text().isEmpty()) {
                    return; // reported by uriText
                }
                sql = file.get().text().get();
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
            Set<String> byName = new LinkedHashSet<>();
            Matcher named = NAMED_PARAMETER.matcher(sql);
            while (named.find()) {
                byName.add(named.group(1));
            }
            if (!byName.isEmpty() && text(step, "variableSend") == null) {
                problem(append(path, "uri"), "sql: step binds " + byName.stream().map(n -> ":#" + n).collect(Collectors.joining(", "))
                        + " by name from the map it sends, but sends none: give it variableSend with a map that has "
                        + (byName.size() == 1 ? "that key" : "those keys") + ", or bind :#${variable.x}");
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

    /** A {@code sql:classpath:} uri's file: its location and, when the service has it, its text. */
    private record SqlFile(String location, Optional<String> text) {
    }

    private Optional<SqlFile> sqlFile(String uri) {
        String query = uri.strip().substring("sql:".length());
        if (!query.startsWith("classpath:")) {
            return Optional.empty();
        }
        String location = query.substring("classpath:".length()).split("\\?", 2)[0];
        return Optional.of(new SqlFile(location, facts.sqlFile(location)));
    }

    /** The environment variable Spring binds to a setting: bridge.timeout-ms is BRIDGE_TIMEOUT_MS. */
    static String variable(String placeholder) {
        String key = placeholder.startsWith("?") ? placeholder.substring(1) : placeholder;
        if (key.startsWith("env:")) {
            return key.substring(4).split(":", 2)[0];
        }
        if (key.startsWith("sys:")) {
            return "the system property " + key.substring(4).split(":", 2)[0];
        }
        return key.split(":", 2)[0].toUpperCase().replace('.', '_').replace('-', '_');
    }

    /** The name nearest to {@code name} (at most a third of its letters differ), for a typo. */
    static Optional<String> closest(String name, Set<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : names) {
            int distance = distance(name.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(1, name.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    // ---------------------------------------------------------------- parsing and paths

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

    /** Where and why the YAML does not parse: snakeyaml-engine's problem and its line and column. */
    private static RouteProblem parseProblem(String fileName, RuntimeException e) {
        if (e instanceof MarkedYamlEngineException marked) {
            Optional<Mark> mark = marked.getProblemMark().or(marked::getContextMark);
            String context = marked.getContext() == null ? "" : " (" + marked.getContext()
                    + marked.getContextMark().map(m -> " from line " + (m.getLine() + 1)).orElse("") + ")";
            return new RouteProblem(fileName, mark.map(m -> m.getLine() + 1).orElse(1), "YAML does not parse: "
                    + String.valueOf(marked.getProblem()).strip() + mark.map(m -> ", column " + (m.getColumn() + 1)).orElse("") + context);
        }
        return new RouteProblem(fileName, 1, "YAML does not parse: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip());
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
