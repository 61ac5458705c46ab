package chat.platform.duplicate.deploy;

import static chat.platform.duplicate.deploy.HelmChartTest.container;
import static chat.platform.duplicate.deploy.HelmChartTest.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import chat.platform.duplicate.deploy.HelmChart.Rendered;
import chat.platform.duplicate.support.ServiceTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.Test;

/**
 * The paths the rendered chart points Kubernetes and Prometheus at, asked of the running service:
 * the probes answer 200 UP, and the start-up and liveness probes never depend on the bridge or
 * the database (readiness depends on the database only); the ServiceMonitor's path is the scrape.
 */
class ChartAgainstServiceTest extends ServiceTest {

    private static final Rendered PRODUCTION = HelmChart.render(HelmChart.PRODUCTION_VALUES);

    @Test
    void theProbesPathsAreAnsweredUpAndOnlyReadinessLooksAtTheDatabase() {
        Container container = container(PRODUCTION);

        // the kubelet asks without a login and gets the status; a console user also sees what was checked
        for (String probe : List.of(path(container.getStartupProbe()), path(container.getLivenessProbe()))) {
            HttpResponse<String> reply = get(probe, null);
            assertThat(reply.statusCode()).as(probe).isEqualTo(200);
            assertThat(json(reply.body()).get("status").asText()).isEqualTo("UP");
            JsonNode health = json(getAsOperator(probe).body());
            assertThat(health.path("components").isMissingNode()).as("%s checks nothing outside the process", probe).isTrue();
        }
        HttpResponse<String> readiness = get(path(container.getReadinessProbe()), null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(names(json(getAsOperator(path(container.getReadinessProbe())).body()).get("components")))
                .containsExactlyInAnyOrder("db", "readinessState");
    }

    @Test
    void theServiceMonitorScrapesTheServicesMetrics() {
        ServiceMonitor monitor = PRODUCTION.one(ServiceMonitor.class);

        HttpResponse<String> scrape = get(monitor.getSpec().getEndpoints().get(0).getPath(), null);

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(scrape.body()).contains("application_readiness{application=\"duplicate-message-service\"} 1.0");
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
