package chat.platform.duplicate.routefiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.i18n.MessageSource;
import com.networknt.schema.keyword.NonValidationKeyword;

/**
 * {@code schema/camelYamlDsl.json} of the camel-yaml-dsl jar, the schema Camel's own tooling checks
 * YAML routes with, compiled once per process. It is 0.8 MB of JSON: reading and compiling it costs
 * about half a second of CPU, so start-up begins it on a thread of its own ({@link #preload()})
 * while Spring builds the context, and the route check waits for it ({@link #get()}).
 */
public final class CamelYamlDslSchema {

    private static final String LOCATION = "schema/camelYamlDsl.json";
    private static volatile CompletableFuture<Schema> schema;

    private CamelYamlDslSchema() {
    }

    /** Starts compiling the schema on a daemon thread, once; later calls do nothing. */
    public static void preload() {
        future(true);
    }

    /** The compiled schema; compiles it here if nobody started it. */
    public static Schema get() {
        return future(false).join();
    }

    private static synchronized CompletableFuture<Schema> future(boolean inBackground) {
        if (schema == null) {
            if (inBackground) {
                CompletableFuture<Schema> future = new CompletableFuture<>();
                Thread thread = new Thread(() -> {
                    try {
                        future.complete(compile());
                    } catch (RuntimeException | Error e) {
                        future.completeExceptionally(e);
                    }
                }, "route-schema-load");
                thread.setDaemon(true);
                thread.start();
                schema = future;
            } else {
                schema = CompletableFuture.completedFuture(compile());
            }
        }
        return schema;
    }

    /** It declares JSON Schema draft-04; its extra annotation {@code deprecated} is known as such (else a warning per load). */
    private static Schema compile() {
        ClassLoader loader = CamelYamlDslSchema.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " (from org.apache.camel:camel-yaml-dsl) is not on the class path");
            }
            JsonNode schemaNode = new ObjectMapper().readTree(in);
            if (!Dialects.getDraft4().getId().equals(schemaNode.path("$schema").asText())) {
                throw new IllegalStateException("Camel's YAML DSL schema is no longer draft-04 (" + schemaNode.path("$schema").asText()
                        + "): the route check's validator needs that draft");
            }
            Dialect draft4 = Dialect.builder(Dialects.getDraft4())
                    .keyword(new NonValidationKeyword("deprecated"))
                    .build();
            SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                    .messageSource(new ValidatorMessages(loader))
                    .build();
            return SchemaRegistry.withDefaultDialect(draft4, registry -> registry.schemaRegistryConfig(config))
                    .getSchema(schemaNode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The validator's messages from its own jar's {@code jsv-messages.properties}. Another jar may
     * carry an older copy of that file under the same name (the tests' wiremock-standalone does, and
     * comes first on their class path); its patterns number the arguments differently.
     */
    private static final class ValidatorMessages implements MessageSource {
        private final Properties patterns = new Properties();

        ValidatorMessages(ClassLoader loader) throws IOException {
            List<URL> candidates = Collections.list(loader.getResources("jsv-messages.properties"));
            URL own = candidates.stream().filter(url -> url.toString().contains("json-schema-validator")).findFirst()
                    .orElse(candidates.isEmpty() ? null : candidates.get(0));
            if (own != null) {
                try (InputStream in = own.openStream()) {
                    patterns.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
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
}
