package chat.platform.duplicate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import chat.platform.duplicate.support.ServiceTest;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The console in a real browser (Debian's Chromium, driven by Playwright) as a viewer uses it:
 * the login page, the routes and a route diagram, a refused route stop that the console shows,
 * the log lines, and the logout back to the login page, after which the console asks for a login again.
 * Chromium comes from Debian's {@code chromium} package ({@code .ci/run} installs it); Playwright
 * downloads no browser of its own.
 */
class ConsoleBrowserTest extends ServiceTest {

    @Autowired
    CamelContext camelContext;

    String context() {
        return Console.context(camelContext);
    }

    String route(String routeId) {
        return Console.route(camelContext, routeId);
    }

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void chromium() {
        assertThat(Files.isExecutable(CHROMIUM)).as("Chromium is not installed at " + CHROMIUM
                + ": install Debian's chromium package (apt-get install chromium), as .ci/run does").isTrue();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    String console(String path) {
        return "http://localhost:" + port + "/actuator/hawtio" + path;
    }

    @Test
    void aViewerSeesTheRoutesIsRefusedAStopAndLogsOut() {
        try (var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900))) {
            Page page = context.newPage();
            page.setDefaultTimeout(20_000);
            try {
                viewerSession(page);
            } catch (RuntimeException | AssertionError failed) {
                page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "ConsoleBrowserTest.png")).setFullPage(true));
                throw failed;
            }
        }
        assertThat(Console.basic(port, HAWTIO_USERNAME, HAWTIO_PASSWORD)
                .read(route("purge-expired-idempotency-keys"), "State").path("value").asText()).isEqualTo("Started");
    }

    private void viewerSession(Page page) {
        {

            // the console asks for a login first
            page.navigate(console("/camel"));
            assertThat(page.url()).isEqualTo(console("/login"));
            page.fill("#username", VIEWER_USERNAME);
            page.fill("#password", VIEWER_PASSWORD);
            page.click("button[type=submit]");

            // back on the page asked for, logged in as the viewer; this service's routes (the JVM of
            // the tests holds other services' Camel contexts too) with every route
            page.waitForURL(console("/camel") + "**");
            page.locator("li[id=\"org.apache.camel-CamelContexts-" + camelContext.getManagementName() + "-routes-folder\"]")
                    .locator(".pf-v6-c-tree-view__node").first().click();
            page.locator("a[href$='/camel/routes']").first().click();
            Locator row = page.locator("tr", new Page.LocatorOptions().setHasText("purge-expired-idempotency-keys"));
            row.waitFor();
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(VIEWER_USERNAME)).isVisible()).isTrue();
            for (String route : List.of("duplicate-message", "send-to-bridge", "get-message", "recover-unsent-duplicates")) {
                assertThat(page.locator("tr", new Page.LocatorOptions().setHasText(route)).count()).as(route).isPositive();
            }

            // a stop is refused, and the console says so; the route runs on
            row.locator("input[type=checkbox]").check();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop")).click();
            Locator refusal = page.getByText("Couldn't stop the route").first();
            refusal.waitFor();
            assertThat(refusal.textContent()).contains("forbidden");
            assertThat(row.textContent()).contains("Started");

            // the route diagram draws the flow's steps by their ids
            page.locator("a[href$='/camel/routeDiagram']").first().click();
            page.getByText("(ID: bridge-http-post)").first().waitFor();

            // the service's log lines, this login's audit line among them (the search box filters by logger)
            page.locator("a[href$='/logs']").first().click();
            page.getByPlaceholder("Search...").fill("console.audit");
            page.getByText("console login: user=" + VIEWER_USERNAME + " role=viewer").first().waitFor();

            // logout ends the session: back to the login page, and the console asks again
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(VIEWER_USERNAME)).click();
            page.getByText("Log out").click();
            page.waitForURL(console("/login"));
            assertThat(page.locator("button[type=submit]").textContent()).isEqualTo("Log in");
            page.navigate(console("/camel/routes"));
            assertThat(page.url()).isEqualTo(console("/login"));
        }
    }
}
