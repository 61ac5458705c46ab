package chat.platform.duplicate.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.platform.duplicate.support.ServiceTest;
import org.junit.jupiter.api.Test;

/**
 * The alert rules name only series the running service exposes: every selector of every rule's
 * expression (metric name and each label matcher) is matched by a series of a scrape of
 * {@code /actuator/prometheus}, after a duplicate was sent and one ended in error. And the
 * service's own meters behind them count what they say.
 */
class AlertMetricsTest extends ServiceTest {

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"\\s*");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** What may stand in an expression besides selectors, numbers and label names of by (...). */
    private static final Set<String> PROMQL = Set.of("sum", "max", "rate", "increase", "histogram_quantile", "absent", "by", "or", "and");

    @Test
    void everySelectorOfTheAlertRulesMatchesASeriesOfTheServicesScrape() throws IOException {
        duplicateEndingIn("sent", 200);
        duplicateEndingIn("error", 400);
        List<Series> scrape = scrape();

        List<String> selectors = selectors(Files.readString(AlertRulesTest.RULES));
        assertThat(selectors).hasSizeGreaterThanOrEqualTo(6);
        for (String selector : selectors) {
            Matcher m = SELECTOR.matcher(selector);
            assertThat(m.matches()).isTrue();
            String metric = m.group(1);
            List<String[]> matchers = new ArrayList<>();
            for (String matcher : m.group(2).split(",")) {
                Matcher parsed = MATCHER.matcher(matcher);
                assertThat(parsed.matches()).as("matcher %s of %s", matcher, selector).isTrue();
                matchers.add(new String[] {parsed.group(1), parsed.group(2), parsed.group(3)});
            }
            assertThat(scrape).as("a series of %s in the scrape", selector)
                    .anyMatch(series -> series.name.equals(metric) && matchers.stream().allMatch(series::matches));
        }
    }

    @Test
    void duplicateSendsCountsEachSendByTheStatusItLeftTheDuplicateIn() {
        double sentBefore = value(scrape(), "duplicate_sends_total", "sent");
        double errorBefore = value(scrape(), "duplicate_sends_total", "error");

        duplicateEndingIn("sent", 200);
        duplicateEndingIn("sent", 200);
        duplicateEndingIn("error", 400);

        List<Series> after = scrape();
        assertThat(value(after, "duplicate_sends_total", "sent") - sentBefore).isEqualTo(2);
        assertThat(value(after, "duplicate_sends_total", "error") - errorBefore).isEqualTo(1);
        assertThat(after).anyMatch(s -> s.name.equals("application_readiness")
                && "duplicate-message-service".equals(s.labels.get("application")) && s.value == 1.0);
    }

    private void duplicateEndingIn(String status, int bridgeStatus) {
        BRIDGE.resetAll();
        if (bridgeStatus == 200) {
            bridgeAcceptsAll("wamid.alerts-");
        } else {
            BRIDGE.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(bridgeStatus)
                    .withHeader("Content-Type", "application/json").withBody("{\"error\": \"refused\"}")));
        }
        String token = fixtures.token(fixtures.user("Alert Agent"));
        long conversation = fixtures.conversation("+31600000077");
        long original = fixtures.message(conversation, "agent").text("Alerting");

        HttpResponse<String> reply = duplicate(conversation, original, token);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(json(reply.body()).get("data").get("status").asText()).isEqualTo(status);
    }

    /** The selectors (metric{matchers}) of every rule's expression; fails on a metric named without braces. */
    static List<String> selectors(String rules) {
        List<String> selectors = new ArrayList<>();
        Matcher expressions = Pattern.compile("(?m)^\\s+expr: \\|\\n((?:\\s{10,}.*\\n)+)").matcher(rules);
        while (expressions.find()) {
            String expression = expressions.group(1);
            Matcher selector = SELECTOR.matcher(expression);
            while (selector.find()) {
                selectors.add(selector.group());
            }
            String rest = SELECTOR.matcher(expression).replaceAll(" ")
                    .replaceAll("by\\s*\\([^)]*\\)", "by ")
                    .replaceAll("\\[[0-9]+[smhd]]", " ");
            Matcher word = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(rest);
            while (word.find()) {
                assertThat(PROMQL).as("'%s' in %s: a metric without a selector, or a PromQL word this check does not know", word.group(), expression)
                        .contains(word.group());
            }
        }
        return selectors;
    }

    private List<Series> scrape() {
        HttpResponse<String> reply = get("/actuator/prometheus", null);
        assertThat(reply.statusCode()).isEqualTo(200);
        List<Series> series = new ArrayList<>();
        for (String line : reply.body().split("\n")) {
            Matcher m = SERIES.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(2) != null) {
                    Matcher label = LABEL.matcher(m.group(2));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
        }
        return series;
    }

    private static double value(List<Series> scrape, String metric, String status) {
        return scrape.stream().filter(s -> s.name.equals(metric) && status.equals(s.labels.get("status")))
                .mapToDouble(Series::value).sum();
    }

    record Series(String name, Map<String, String> labels, double value) {

        boolean matches(String[] matcher) {
            String actual = labels.getOrDefault(matcher[0], "");
            return switch (matcher[1]) {
                case "=" -> actual.equals(matcher[2]);
                case "!=" -> !actual.equals(matcher[2]);
                case "=~" -> actual.matches(matcher[2]);
                default -> !actual.matches(matcher[2]);
            };
        }
    }
}
