package chat.platform.duplicate.deploy;

import static chat.platform.duplicate.deploy.HelmChart.CHART;
import static chat.platform.duplicate.deploy.HelmChart.PRODUCTION_VALUES;
import static chat.platform.duplicate.deploy.HelmChart.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import chat.platform.duplicate.deploy.HelmChart.Rendered;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart at {@code deploy/helm/duplicate-message-service}: {@code helm lint --strict},
 * rendered with its defaults and with {@code deploy/helm/values-production.yaml}, every object
 * valid against the Kubernetes API schema (fabric8's models, unknown fields refused: see
 * {@link HelmChart}), and the rules a rolling, secure deployment of this service needs, read from
 * the rendered objects. ChartAgainstServiceTest checks the probe and scrape paths on the running
 * service; AlertRulesTest the alert rules.
 */
class HelmChartTest {

    private static final Path ROUTES = Path.of("routes");
    /** docker/Dockerfile's user */
    private static final Pattern IMAGE_USER = Pattern.compile("(?m)^USER (\\d+):(\\d+)$");

    private static Rendered defaults;
    private static Rendered production;

    @BeforeAll
    static void renderOnce() {
        defaults = render(null);
        production = render(PRODUCTION_VALUES);
    }

    @Test
    void passesHelmLintStrict() {
        LintResult lint = HelmChart.lint(CHART);

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void rendersWithDefaultsAndTheProductionExampleIntoValidObjects() {
        assertThat(kinds(defaults)).containsExactlyInAnyOrder(
                "ConfigMap", "Deployment", "NetworkPolicy", "PodDisruptionBudget", "Service");
        assertThat(kinds(production)).containsExactlyInAnyOrder(
                "ConfigMap", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy", "PodDisruptionBudget",
                "PrometheusRule", "Service", "ServiceMonitor");
        assertThat(render(null, "monitoring.enabled", "true", "autoscaling.enabled", "true",
                "networkPolicy.otlp.enabled", "true", "routes.reload", "true", "shutdown.sleepAction", "false").objects())
                .hasSize(8);
    }

    @Test
    void theSchemaCheckRefusesAMisspelledFieldAWrongTypeAndAnUnknownKind() {
        String deployment = defaults.text().lines().collect(Collectors.joining("\n"));

        assertThatThrownBy(() -> new Rendered(deployment.replace("      containers:", "      containerss:")))
                .isInstanceOf(HelmChart.InvalidObject.class)
                .hasMessageContaining("Deployment dms-duplicate-message-service does not match the Kubernetes API schema")
                .hasMessageContaining("\"containerss\"");
        assertThatThrownBy(() -> new Rendered(deployment.replace("  replicas: 2", "  replicas: \"2\"")))
                .isInstanceOf(HelmChart.InvalidObject.class).hasMessageContaining("replicas");
        assertThatThrownBy(() -> new Rendered(deployment.replace("              value: \"8080\"", "              value: 8080")))
                .isInstanceOf(HelmChart.InvalidObject.class).hasMessageContaining("value");
        assertThatThrownBy(() -> new Rendered(deployment.replace("      automountServiceAccountToken: false",
                        "      automountServiceAccountToken: false\n      automountServiceAccountToken: true")))
                .hasMessageContaining("duplicate key");
        assertThatThrownBy(() -> new Rendered("apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n"))
                .hasMessageContaining("v1/Secret");
    }

    @Test
    void twoReplicasByDefaultAndNeverOneFewerDuringARollout() {
        Deployment deployment = defaults.one(Deployment.class);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
        assertThat(production.one(Deployment.class).getSpec().getReplicas()).as("the HPA owns the count").isNull();
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(Map.of("app.kubernetes.io/name", "duplicate-message-service", "app.kubernetes.io/instance", "dms"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void probesAskOnlyTheServiceItselfAndTheStartupProbeCoversTheMeasuredStart() {
        for (Rendered rendered : List.of(defaults, production)) {
            Container container = container(rendered);
            assertThat(container.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(8080);
            });
            assertThat(path(container.getStartupProbe())).isEqualTo("/actuator/health/liveness");
            assertThat(path(container.getLivenessProbe())).isEqualTo("/actuator/health/liveness");
            assertThat(path(container.getReadinessProbe())).isEqualTo("/actuator/health/readiness");
            for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
                assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
                assertThat(probe.getExec()).isNull();
                assertThat(probe.getTcpSocket()).isNull();
            }
            Probe startup = container.getStartupProbe();
            // bench/RESULTS.md ("Kubernetes sizing"): ready 4.3-5.1 s after start on 2 cores, Flyway included;
            // a pod sure of 0.5 of those 2 cores may need 4x that (20.4 s); the probe allows at least 2x more
            assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(41);
            assertThat(env(container)).containsEntry("SERVER_PORT", "8080");
        }
    }

    @Test
    void theGracePeriodCoversThePreStopPauseSpringsGracefulPhaseAndCamelsShutdown() throws IOException {
        for (Rendered rendered : List.of(defaults, production)) {
            PodSpec pod = rendered.one(Deployment.class).getSpec().getTemplate().getSpec();
            Container container = container(rendered);
            Map<String, String> env = env(container);
            long preStop = container.getLifecycle().getPreStop().getSleep() != null
                    ? container.getLifecycle().getPreStop().getSleep().getSeconds()
                    : Long.parseLong(container.getLifecycle().getPreStop().getExec().getCommand().get(1));
            long spring = Long.parseLong(env.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE").replaceFirst("s$", ""));
            long camel = Long.parseLong(env.get("CAMEL_MAIN_SHUTDOWNTIMEOUT"));
            long longestRequestMs = longestRequestMs(env, 5);
            long longestResendMs = longestRequestMs(env, 1);

            assertThat(preStop).as("the endpoint is removed before SIGTERM").isGreaterThanOrEqualTo(5);
            assertThat(spring * 1000).as("Spring's graceful phase lets the longest request finish (%d ms)", longestRequestMs)
                    .isGreaterThanOrEqualTo(longestRequestMs);
            assertThat(camel * 1000).as("Camel's shutdown lets the longest recovery resend finish (%d ms)", longestResendMs)
                    .isGreaterThanOrEqualTo(longestResendMs);
            assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(preStop + spring + camel);
        }
        assertThat(container(defaults).getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(10);
        assertThat(container(render(null, "shutdown.sleepAction", "false")).getLifecycle().getPreStop().getExec().getCommand())
                .containsExactly("sleep", "10");
        assertThat(defaults.one(Deployment.class).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(155);
    }

    @Test
    void thePodMeetsTheRestrictedPodSecurityProfileAsTheImagesUser() throws IOException {
        Matcher user = IMAGE_USER.matcher(Files.readString(Path.of("docker/Dockerfile")));
        assertThat(user.find()).isTrue();
        for (Rendered rendered : List.of(defaults, production)) {
            PodSpec pod = rendered.one(Deployment.class).getSpec().getTemplate().getSpec();
            Container container = container(rendered);

            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(user.group(1)));
            assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(Long.parseLong(user.group(2)));
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getEnableServiceLinks()).isFalse();
            assertThat(pod.getHostNetwork()).isNull();
            assertThat(pod.getHostPID()).isNull();
            assertThat(pod.getContainers()).hasSize(1);
            assertThat(pod.getInitContainers()).isEmpty();
            var security = container.getSecurityContext();
            assertThat(security.getRunAsNonRoot()).isTrue();
            assertThat(security.getAllowPrivilegeEscalation()).isFalse();
            assertThat(security.getReadOnlyRootFilesystem()).isTrue();
            assertThat(security.getPrivileged()).isNull();
            assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(security.getCapabilities().getAdd()).isEmpty();
            assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
            VolumeMount tmp = mount(container, "/tmp");
            assertThat(volume(pod, tmp.getName()).getEmptyDir()).as("/tmp is the only writable folder").isNotNull();
            assertThat(tmp.getReadOnly()).isNull();
        }
    }

    @Test
    void memoryRequestEqualsTheLimitAndCpuHasARequestButNoLimit() {
        for (Rendered rendered : List.of(defaults, production)) {
            var resources = container(rendered).getResources();

            assertThat(resources.getRequests().get("memory")).isEqualTo(resources.getLimits().get("memory"));
            // bench/RESULTS.md: 394-399 MB of peak RSS under load with docker/jvm.options
            assertThat(Quantity.getAmountInBytes(resources.getLimits().get("memory")).longValue())
                    .isGreaterThanOrEqualTo(450L * 1024 * 1024);
            assertThat(resources.getRequests()).containsKey("cpu");
            assertThat(resources.getLimits()).doesNotContainKey("cpu");
        }
    }

    @Test
    void theRoutesAreAConfigMapOfRoutesFolderMountedWholeAtRoutesDir() throws IOException {
        for (Rendered rendered : List.of(defaults, production)) {
            ConfigMap routes = rendered.one(ConfigMap.class);
            PodSpec pod = rendered.one(Deployment.class).getSpec().getTemplate().getSpec();
            Container container = container(rendered);
            Map<String, String> env = env(container);

            assertThat(routes.getData()).isEqualTo(routeFiles(ROUTES));
            VolumeMount mount = mount(container, env.get("ROUTES_DIR"));
            assertThat(volume(pod, mount.getName()).getConfigMap().getName()).isEqualTo(routes.getMetadata().getName());
            assertThat(mount.getReadOnly()).isTrue();
            assertThat(container.getVolumeMounts()).allSatisfy(m -> assertThat(m.getSubPath()).as("no subPath").isNull());
            assertThat(env).containsKeys("ROUTES_RELOAD", "ROUTES_RELOAD_INTERVAL_MS");
        }
        assertThat(env(container(defaults))).containsEntry("ROUTES_RELOAD", "false").containsEntry("ROUTES_RELOAD_INTERVAL_MS", "2000");
        assertThat(env(container(render(null, "routes.reload", "true", "routes.reloadIntervalMs", "5000"))))
                .containsEntry("ROUTES_RELOAD", "true").containsEntry("ROUTES_RELOAD_INTERVAL_MS", "5000");
    }

    @Test
    void aChangedRouteFileChangesThePodTemplateSoThatAnUpgradeRollsThePods(@TempDir Path temp) throws IOException {
        Path chart = copyChart(temp.resolve("chart"));
        String before = checksum(HelmChart.renderChart(chart, null));
        assertThat(before).isEqualTo(checksum(defaults)).matches("[0-9a-f]{64}");

        Path file = chart.resolve("routes/get-message.camel.yaml");
        Files.writeString(file, Files.readString(file).replace("description:", "description: Edited -"));
        Rendered edited = HelmChart.renderChart(chart, null);

        assertThat(checksum(edited)).isNotEqualTo(before);
        assertThat(edited.one(ConfigMap.class).getData().get("get-message.camel.yaml")).contains("Edited -");
    }

    @Test
    void anExistingConfigMapOfRoutesIsMountedInsteadOfTheChartsOwn() {
        Rendered rendered = render(null, "routes.existingConfigMap", "team-routes");
        PodSpec pod = rendered.one(Deployment.class).getSpec().getTemplate().getSpec();

        assertThat(rendered.all(ConfigMap.class)).isEmpty();
        assertThat(volume(pod, mount(container(rendered), "/config/routes").getName()).getConfigMap().getName()).isEqualTo("team-routes");
        assertThat(rendered.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void secretsAreOnlyReferencesToTheSecretTheOperatorCreated() {
        Map<String, Boolean> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("SPRING_DATASOURCE_PASSWORD", false), Map.entry("BRIDGE_TOKEN", false),
                Map.entry("BRIDGE_CALLBACK_TOKEN", false), Map.entry("FILES_SIGNING_KEY", false),
                Map.entry("HAWTIO_USERNAME", true), Map.entry("HAWTIO_PASSWORD", true),
                Map.entry("HAWTIO_VIEWER_USERNAME", true), Map.entry("HAWTIO_VIEWER_PASSWORD", true),
                Map.entry("HAWTIO_OIDC_ISSUER_URI", true), Map.entry("HAWTIO_OIDC_CLIENT_ID", true),
                Map.entry("HAWTIO_OIDC_CLIENT_SECRET", true)));
        for (Rendered rendered : List.of(defaults, production, render(null, "secrets.existingSecret", "team-secrets"))) {
            assertThat(rendered.documents()).noneMatch(d -> "Secret".equals(d.get("kind")));
            Map<String, Boolean> optional = new TreeMap<>();
            for (EnvVar variable : container(rendered).getEnv()) {
                if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                    assertThat(variable.getValue()).isNull();
                    optional.put(variable.getName(), variable.getValueFrom().getSecretKeyRef().getOptional());
                } else {
                    assertThat(variable.getName()).as("a secret as a literal value")
                            .doesNotContainPattern("(?i)PASSWORD|TOKEN|SECRET|SIGNING_KEY|CREDENTIAL");
                }
            }
            assertThat(optional).isEqualTo(expected);
        }
        assertThat(secretNames(defaults)).containsOnly("dms-duplicate-message-service");
        assertThat(secretNames(render(null, "secrets.existingSecret", "team-secrets"))).containsOnly("team-secrets");
    }

    @Test
    void noFileUnderDeployHoldsASecretValue() throws IOException {
        // the rule of CI's check of deploy/: a password, token, secret or signing key given a literal
        // (a boolean is none, nor a template's variable: automountServiceAccountToken: false, $secret :=)
        Pattern literal = Pattern.compile("(?i)(password|token|signing key|secret)\\s*:\\s*(?!\"\"|''|$|=|true$|false$)\\S");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("deploy"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (literal.matcher(lines.get(i)).find()) {
                        found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(found).isEmpty();
        assertThat(literal.matcher("  password: hunter2").find()).isTrue();
        assertThat(literal.matcher("  existingSecret: \"\"").find()).isFalse();
        assertThat(literal.matcher("  existingSecret: team-secrets").find()).isTrue();
        assertThat(literal.matcher("  passwordKey: SPRING_DATASOURCE_PASSWORD").find()).isFalse();
    }

    @Test
    void theServiceAndTheDisruptionBudgetSelectThePods() {
        for (Rendered rendered : List.of(defaults, production)) {
            Map<String, String> podLabels = rendered.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
            Service service = rendered.one(Service.class);
            PodDisruptionBudget disruption = rendered.one(PodDisruptionBudget.class);

            assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
            assertThat(podLabels).containsAllEntriesOf(disruption.getSpec().getSelector().getMatchLabels());
            assertThat(disruption.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        }
    }

    @Test
    void theAutoscalerScalesOnCpuFromTwoToAMaximumThePostgresqlConnectionsAllow() {
        HorizontalPodAutoscaler hpa = production.one(HorizontalPodAutoscaler.class);
        Deployment deployment = production.one(Deployment.class);
        int pool = Integer.parseInt(env(container(production)).get("SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE"));
        int surge = deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal();
        int allowedConnections = (Integer) ((Map<?, ?>) values(PRODUCTION_VALUES).get("database")).get("connectionBudget");

        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(m -> {
            assertThat(m.getResource().getName()).isEqualTo("cpu");
            assertThat(m.getResource().getTarget().getType()).isEqualTo("Utilization");
        });
        assertThat((hpa.getSpec().getMaxReplicas() + surge) * pool).isLessThanOrEqualTo(allowedConnections);
        assertThat(render(null, "autoscaling.enabled", "true", "autoscaling.minReplicas", "1").one(HorizontalPodAutoscaler.class)
                .getSpec().getMinReplicas()).isEqualTo(2);

        assertThatThrownBy(() -> render(null, "autoscaling.enabled", "true", "autoscaling.maxReplicas", "10"))
                .hasMessageContaining("up to 11 pods")
                .hasMessageContaining("220 connections, more than database.connectionBudget 100");
        assertThatThrownBy(() -> render(null, "replicaCount", "5", "database.poolSize", "30"))
                .hasMessageContaining("database.connectionBudget");
    }

    @Test
    void theNetworkPolicyLetsInOnlyTheServicePortAndOutOnlyDnsPostgresqlTheBridgeAndOtlp() {
        NetworkPolicy policy = render(null, "networkPolicy.otlp.enabled", "true").one(NetworkPolicy.class);

        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(defaults.one(Deployment.class).getSpec().getSelector().getMatchLabels());
        assertThat(policy.getSpec().getIngress()).singleElement()
                .satisfies(rule -> assertThat(ports(rule.getPorts())).containsExactly("TCP/http"));
        assertThat(policy.getSpec().getEgress().stream().map(rule -> ports(rule.getPorts())).toList())
                .containsExactly(List.of("UDP/53", "TCP/53"), List.of("TCP/5432"), List.of("TCP/8080"), List.of("TCP/4318"));
        NetworkPolicy restricted = production.one(NetworkPolicy.class);
        assertThat(restricted.getSpec().getIngress().get(0).getFrom()).isNotEmpty();
        assertThat(restricted.getSpec().getEgress()).allSatisfy(rule -> assertThat(rule.getPorts()).isNotEmpty());
    }

    @Test
    void monitoringObjectsOnlyWhenAskedAndThePrometheusRuleIsTheTestedRulesFile() throws IOException {
        assertThat(defaults.all(ServiceMonitor.class)).isEmpty();
        assertThat(defaults.all(PrometheusRule.class)).isEmpty();
        assertThat(render(null, "monitoring.enabled", "true", "monitoring.rules", "false").all(PrometheusRule.class)).isEmpty();

        ServiceMonitor monitor = production.one(ServiceMonitor.class);
        assertThat(production.one(Service.class).getMetadata().getLabels())
                .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.getPort()).isEqualTo("http");
            assertThat(endpoint.getPath()).isEqualTo("/actuator/prometheus");
        });
        Map<String, Object> rule = production.documents().stream().filter(d -> "PrometheusRule".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(rule.get("spec")).isEqualTo(HelmChart.documents(Files.readString(AlertRulesTest.RULES)).get(0));
        assertThat(production.one(PrometheusRule.class).getSpec().getGroups()).singleElement()
                .satisfies(group -> assertThat(group.getRules()).hasSize(5));
    }

    /**
     * The longest a request (with {@code statements} statements besides the outcome's) or a resend
     * may take with the rendered settings, else the service's defaults (the routes' placeholders,
     * application.yaml): every bridge attempt times out and every wait between them is the longest
     * (a 429's Retry-After may ask for BRIDGE_MAX_DELAY_MS), then storing the outcome waits for the
     * database as long as DATABASE_AFTER_SEND_* allow, and each statement waits for a connection.
     */
    static long longestRequestMs(Map<String, String> env, int statements) throws IOException {
        Map<String, Long> defaults = placeholderDefaults();
        long timeout = setting(env, defaults, "BRIDGE_TIMEOUT_MS", "bridge.timeout-ms");
        long redeliveries = setting(env, defaults, "BRIDGE_MAX_REDELIVERIES", "bridge.max-redeliveries");
        long maxDelay = setting(env, defaults, "BRIDGE_MAX_DELAY_MS", "bridge.max-delay-ms");
        long afterSendRedeliveries = setting(env, defaults, "DATABASE_AFTER_SEND_MAX_REDELIVERIES", "database.after-send.max-redeliveries");
        long afterSendDelay = setting(env, defaults, "DATABASE_AFTER_SEND_REDELIVERY_DELAY_MS", "database.after-send.redelivery-delay-ms");
        long afterSendMaxDelay = setting(env, defaults, "DATABASE_AFTER_SEND_MAX_DELAY_MS", "database.after-send.max-delay-ms");
        long connection = env.containsKey("SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT")
                ? Long.parseLong(env.get("SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT")) : hikariConnectionTimeout();
        long bridge = (redeliveries + 1) * timeout + redeliveries * maxDelay;
        long afterSend = (afterSendRedeliveries + 1) * connection;
        for (long i = 0, delay = afterSendDelay; i < afterSendRedeliveries; i++, delay *= 2) {
            afterSend += Math.min(delay, afterSendMaxDelay);
        }
        return statements * connection + bridge + afterSend;
    }

    private static long setting(Map<String, String> env, Map<String, Long> defaults, String variable, String key) {
        if (env.containsKey(variable)) {
            return Long.parseLong(env.get(variable));
        }
        Long value = defaults.get(key);
        assertThat(value).as("the default of %s in routes/*.camel.yaml", key).isNotNull();
        return value;
    }

    /** {{key:number}} placeholders of the route files. */
    private static Map<String, Long> placeholderDefaults() throws IOException {
        Map<String, Long> defaults = new TreeMap<>();
        Pattern placeholder = Pattern.compile("\\{\\{([a-z.-]+):(\\d+)}}");
        for (String text : routeFiles(ROUTES).values()) {
            Matcher m = placeholder.matcher(text);
            while (m.find()) {
                defaults.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return defaults;
    }

    private static long hikariConnectionTimeout() throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s+connection-timeout: (\\d+)$").matcher(Files.readString(Path.of("src/main/resources/application.yaml")));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    static Container container(Rendered rendered) {
        return rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Map<String, String> env(Container container) {
        Map<String, String> env = new TreeMap<>();
        for (EnvVar variable : container.getEnv()) {
            assertThat(env).as("env %s set once", variable.getName()).doesNotContainKey(variable.getName());
            env.put(variable.getName(), variable.getValue());
        }
        return env;
    }

    static String path(Probe probe) {
        return probe.getHttpGet().getPath();
    }

    private static List<String> kinds(Rendered rendered) {
        return rendered.objects().stream().map(HasMetadata::getKind).toList();
    }

    private static VolumeMount mount(Container container, String path) {
        return container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> secretNames(Rendered rendered) {
        return container(rendered).getEnv().stream().filter(e -> e.getValueFrom() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef().getName()).distinct().toList();
    }

    private static List<String> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(p -> p.getProtocol() + "/" + (p.getPort().getStrVal() != null ? p.getPort().getStrVal() : p.getPort().getIntVal()))
                .toList();
    }

    private static String checksum(Rendered rendered) {
        return rendered.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/routes");
    }

    static Map<String, String> routeFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml"))
                    .collect(Collectors.toMap(f -> f.getFileName().toString(), f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, (a, b) -> a, TreeMap::new));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> values(Path file) {
        try {
            return HelmChart.documents(Files.readString(file)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the chart with its routes as plain files (the chart's routes folder is a link to routes/). */
    private static Path copyChart(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(CHART, FileVisitOption.FOLLOW_LINKS)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        }
        assertThat(Files.isSymbolicLink(target.resolve("routes"))).isFalse();
        return target;
    }
}
