package chat.platform.duplicate.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The chart at {@code deploy/helm/duplicate-message-service}, linted and rendered by the real Helm
 * library (helm-java: Helm's Go code through JNA, nothing downloaded), and every rendered object
 * read into fabric8's Kubernetes models, which are generated from the Kubernetes API's OpenAPI
 * schema (1.37; monitoring.coreos.com/v1 for the Prometheus Operator's kinds). Reading is strict,
 * as the API server's strict field validation is: a field the schema does not have (the models'
 * catch-all for unknown fields is switched off), a value of the wrong type (no coercion between
 * strings, numbers and booleans), a duplicate key, or a kind the chart is not expected to render
 * fails with the field's path.
 */
final class HelmChart {

    /** Maven runs the tests in the project's root folder. */
    static final Path CHART = Path.of("deploy/helm/duplicate-message-service");
    static final Path PRODUCTION_VALUES = Path.of("deploy/helm/values-production.yaml");
    static final String RELEASE = "dms";
    static final String NAMESPACE = "chat";

    /** Every kind the chart may render, by apiVersion/kind. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Stream.of(
                    Deployment.class, Service.class, ConfigMap.class, PodDisruptionBudget.class,
                    HorizontalPodAutoscaler.class, NetworkPolicy.class, ServiceMonitor.class, PrometheusRule.class)
            .collect(Collectors.toMap(c -> HasMetadata.getApiVersion(c) + "/" + HasMetadata.getKind(c), Function.identity()));

    private static final ObjectMapper STRICT = strictMapper();

    private HelmChart() {
    }

    static LintResult lint(Path chart) {
        return new Helm(chart).lint().strict().call();
    }

    /** helm template of the chart with a values file (or none) and --set pairs (key, value, key, value, ...). */
    static Rendered renderChart(Path chart, Path valuesFile, Object... set) {
        TemplateCommand template = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (valuesFile != null) {
            template.withValuesFile(valuesFile);
        }
        for (int i = 0; i < set.length; i += 2) {
            template.set((String) set[i], set[i + 1]);
        }
        return new Rendered(template.call());
    }

    static Rendered render(Path valuesFile, Object... set) {
        return renderChart(CHART, valuesFile, set);
    }

    /** One rendered manifest: its YAML documents, each read strictly into its model. */
    record Rendered(String text, List<Map<String, Object>> documents, List<HasMetadata> objects) {

        Rendered(String text) {
            this(text, HelmChart.documents(text));
        }

        private Rendered(String text, List<Map<String, Object>> documents) {
            this(text, documents, documents.stream().map(HelmChart::read).collect(Collectors.toList()));
        }

        <T extends HasMetadata> List<T> all(Class<T> kind) {
            return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> kind) {
            List<T> found = all(kind);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind.getSimpleName() + ", rendered " + found.size() + ":\n" + text);
            }
            return found.get(0);
        }
    }

    /** The YAML documents of helm's output (empty ones, as a disabled template leaves, skipped). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(options)).loadAll(text)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    /** A document read into the model of its apiVersion and kind; fails on anything the schema refuses. */
    static HasMetadata read(Map<String, Object> document) {
        String type = document.get("apiVersion") + "/" + document.get("kind");
        Class<? extends HasMetadata> model = KINDS.get(type);
        if (model == null) {
            throw new AssertionError("the chart rendered " + type + ", which these checks do not know: " + document);
        }
        try {
            return STRICT.convertValue(new LinkedHashMap<>(document), model);
        } catch (IllegalArgumentException e) {
            throw new InvalidObject(type + " " + ((Map<?, ?>) document.getOrDefault("metadata", Map.of())).get("name")
                    + " does not match the Kubernetes API schema: " + e.getMessage(), e);
        }
    }

    /** A rendered object the Kubernetes API would refuse. */
    static final class InvalidObject extends AssertionError {
        InvalidObject(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Jackson for fabric8's models as strict as the API server: the models keep fields they do not
     * know in a catch-all map (an any-setter) and ignore nothing else; here the any-setter of every
     * fabric8 class is disabled, so an unknown field is an error, and scalars are never converted
     * (a port given as "8080" or an env value given as 8080 is an error, as in the API).
     */
    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated annotated) {
                        return isModel(annotated) ? Boolean.FALSE : super.hasAnySetter(annotated);
                    }

                    @Override
                    public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated annotated) {
                        JsonIgnoreProperties.Value value = super.findPropertyIgnoralByName(config, annotated);
                        return isModel(annotated) ? value.withoutIgnoreUnknown() : value;
                    }
                })
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        return mapper;
    }

    private static boolean isModel(Annotated annotated) {
        Class<?> owner = annotated instanceof AnnotatedMember member ? member.getDeclaringClass() : annotated.getRawType();
        return owner.getName().startsWith("io.fabric8.");
    }
}
