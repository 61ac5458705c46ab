package chat.platform.duplicate.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Distributed tracing with OpenTelemetry, on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is set; without it none of these beans exists and
 * nothing is traced. The OpenTelemetry SDK configures itself from the standard {@code OTEL_*}
 * variables (sampler, resource attributes, protocol, batch processor); this service's defaults:
 * service name {@code duplicate-message-service}, protocol {@code http/protobuf}, traces only.
 * Camel's tracer (camel-opentelemetry2) then makes a span of every request, SQL step and bridge
 * attempt, continues a caller's {@code traceparent} and sends its own to the bridge. Beans because
 * camel-opentelemetry2 4.18 has no Spring Boot starter; the SDK is this context's, not the
 * process-wide global one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${otel.exporter.otlp.endpoint:}' != '' or '${otel.exporter.otlp.traces.endpoint:}' != ''")
public class Tracing {

    /** The standard settings, also when given as Spring properties (otel.traces.sampler, ...). */
    static final List<String> SETTINGS = List.of("otel.service.name", "otel.resource.attributes", "otel.traces.exporter",
            "otel.traces.sampler", "otel.traces.sampler.arg", "otel.propagators",
            "otel.exporter.otlp.endpoint", "otel.exporter.otlp.traces.endpoint", "otel.exporter.otlp.protocol",
            "otel.exporter.otlp.traces.protocol", "otel.exporter.otlp.headers", "otel.exporter.otlp.timeout",
            "otel.bsp.schedule.delay", "otel.bsp.max.queue.size", "otel.bsp.max.export.batch.size", "otel.bsp.export.timeout");

    @Bean(destroyMethod = "close")
    OpenTelemetrySdk openTelemetry(Environment environment) {
        return AutoConfiguredOpenTelemetrySdk.builder()
                // lowest precedence: the SDK's own reading of OTEL_* variables and system properties wins
                .addPropertiesSupplier(() -> settings(environment))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    /** This service's defaults, then the standard settings Spring sees (properties or relaxed environment variables). */
    static Map<String, String> settings(Environment environment) {
        Map<String, String> settings = new HashMap<>();
        settings.put("otel.service.name", "duplicate-message-service");
        settings.put("otel.exporter.otlp.protocol", "http/protobuf");
        settings.put("otel.metrics.exporter", "none");
        settings.put("otel.logs.exporter", "none");
        for (String key : SETTINGS) {
            String value = environment.getProperty(key);
            if (value != null && !value.isBlank()) {
                settings.put(key, value);
            }
        }
        return settings;
    }

    /** camel-opentelemetry2 looks up the tracer and the propagators in Camel's registry. */
    @Bean
    Tracer camelOpenTelemetryTracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("camel");
    }

    @Bean
    ContextPropagators camelOpenTelemetryPropagators(OpenTelemetry openTelemetry) {
        return openTelemetry.getPropagators();
    }

    /** Camel's tracer, installed before the routes start. */
    @Bean
    CamelContextConfiguration camelTracing() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                OpenTelemetryTracer tracer = new OpenTelemetryTracer();
                // the current trace and span ids as headers CAMEL_TRACE_ID and CAMEL_SPAN_ID, which
                // bean logContext puts on every log line of the request
                tracer.setTraceHeadersInclusion(true);
                tracer.init(camelContext);
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                // nothing
            }
        };
    }
}
