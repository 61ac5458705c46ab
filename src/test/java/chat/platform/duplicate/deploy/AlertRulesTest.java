package chat.platform.duplicate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The alert rules the chart ships (alerts/duplicate-message-service.rules.yaml, included unchanged
 * in the PrometheusRule) checked and unit-tested by Prometheus' own promtool: every alert fires in
 * one test group and stays quiet in another (alerts/duplicate-message-service.rules.test.yaml).
 * promtool comes from Debian's prometheus package, which .ci/run installs; without it this test
 * fails, saying so.
 */
class AlertRulesTest {

    static final Path ALERTS = Path.of("deploy/helm/duplicate-message-service/alerts");
    static final Path RULES = ALERTS.resolve("duplicate-message-service.rules.yaml");
    static final Path RULE_TESTS = ALERTS.resolve("duplicate-message-service.rules.test.yaml");

    @Test
    void promtoolFindsTheRulesValid() throws Exception {
        String output = promtool("check", "rules", RULES.getFileName().toString());

        assertThat(output).contains("SUCCESS: 5 rules found");
    }

    @Test
    void everyAlertFiresAndStaysQuietAsItsPromtoolTestsSay() throws Exception {
        String output = promtool("test", "rules", RULE_TESTS.getFileName().toString());

        assertThat(output).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAFiringAndAQuietCase() throws IOException {
        String tests = Files.readString(RULE_TESTS);
        for (String alert : List.of("DuplicateMessageBridgeCircuitOpen", "DuplicateMessageErrorsHigh", "DuplicateMessageSlow",
                "DuplicateMessageNoReadyInstance", "DuplicateMessageRecoveryResendsPilingUp")) {
            assertThat(Files.readString(RULES)).contains("- alert: " + alert + "\n");
            assertThat(tests).as(alert + " firing").containsPattern("alertname: " + alert + "\\s+exp_alerts:\\s+- exp_labels:");
            assertThat(tests).as(alert + " quiet").containsPattern("alertname: " + alert + "\\s+exp_alerts: \\[]");
        }
    }

    /** Runs promtool in the alerts folder; fails with its output unless it exits 0. */
    private static String promtool(String... args) throws Exception {
        String promtool = onPath("promtool");
        assertThat(promtool)
                .as("promtool is not installed: it comes with Debian's prometheus package "
                        + "(apt-get install --no-install-recommends prometheus; .ci/run installs it)")
                .isNotNull();
        List<String> command = new java.util.ArrayList<>(List.of(promtool));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(ALERTS.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished within 60 s").isTrue();
        assertThat(process.exitValue()).as("promtool %s:\n%s", String.join(" ", args), output).isZero();
        return output;
    }

    private static String onPath(String program) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
