package chat.platform.duplicate.routefiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import chat.platform.duplicate.config.Misconfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The route files of {@code ROUTES_DIR}, checked before they run.
 * <ul>
 * <li>At start the folder must pass the {@link RouteCheck}: else the service stops with one line
 * per problem (before Camel loads a route: this bean is made while the context is built, Camel
 * loads the files once it is).</li>
 * <li>With {@code ROUTES_RELOAD=true} an edited file is checked, together with the files that
 * run, and only then applied: Camel's {@code RoutesLoader.updateRoutes} replaces that file's
 * routes (under their ids) and nothing else, while {@link RouteSwapGate} holds new requests for
 * their paths and lets those inside finish on the old route. A file that fails is not applied:
 * the routes that run stay, one WARN names its problems, {@code routes_reload_total{outcome="rejected"}}
 * counts it and health component {@code routes} shows it until a good version is applied. Files
 * are compared by the SHA-256 of their content (read through links), so a Kubernetes ConfigMap
 * update (its {@code ..data} link swapped) reloads the files whose content changed and no other,
 * and an unchanged file is never reloaded. A version is remembered as applied only once Camel
 * took it.</li>
 * </ul>
 * Removing or renaming a file is not applied live: its routes run until the next start.
 */
@Component("routeFiles")
public class RouteFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    /** Events of one save arrive within milliseconds: the folder is read once they have settled. */
    private static final Duration SETTLE = Duration.ofMillis(100);

    /** A version that runs: its hash, its text (checked with the next edits) and its routes. */
    private record Applied(String sha256, String text, String shownAs, RouteCheck.FileRoutes routes) {
    }

    /** A version that was not applied, and the applied set it was checked with. */
    private record Rejected(String sha256, long generation, List<RouteProblem> problems) {
    }

    /** What health component {@code routes} shows. */
    public record Status(String folder, boolean reload, long intervalMs, int files, int routes,
            Map<String, Object> lastApplied, Map<String, Object> lastRejected) {
    }

    private final Path folder;
    private final boolean reload;
    private final Duration interval;
    private final CamelContext camel;
    private final RouteSwapGate gate;
    private final RouteCheck check;
    private final Counter applications;
    private final Counter rejections;

    private final Map<String, Applied> applied = new TreeMap<>();
    private final Map<String, Rejected> rejected = new HashMap<>();
    private final Set<String> removed = new LinkedHashSet<>();
    /** Counts applied versions: a rejected version is checked again once something else was applied. */
    private long generation;
    private volatile Map<String, Object> lastApplied;
    private volatile Map<String, Object> lastRejected;
    /** Files and routes that run. */
    private volatile int[] runningCounts = {0, 0};
    private FolderWatch watch;
    private boolean closed;

    public RouteFiles(Environment environment, CamelContext camel, RouteSwapGate gate, MeterRegistry meters) {
        this.folder = Path.of(environment.getProperty("routes.dir", "./routes"));
        this.reload = environment.getProperty("routes.reload", Boolean.class, false);
        this.interval = Duration.ofMillis(environment.getProperty("routes.reload-interval-ms", Long.class, 2000L));
        this.camel = camel;
        this.gate = gate;
        this.check = new RouteCheck(ServiceFacts.of(environment));
        this.applications = reloads(meters, "applied");
        this.rejections = reloads(meters, "rejected");
        List<RouteFolder.RouteFile> files;
        try {
            files = RouteFolder.read(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read ROUTES_DIR " + folder, e);
        }
        RouteCheck.Result result = check.check(RouteFolder.texts(files));
        if (!result.ok()) {
            throw new Misconfiguration("The route files in ROUTES_DIR (" + folder + ") do not pass the route check ("
                    + result.problems().size() + " problem(s)):\n\n"
                    + result.problems().stream().map(RouteProblem::toString).collect(Collectors.joining("\n")),
                    "Fix the files and start again. `java -jar duplicate-message-service.jar validate-routes " + folder
                            + "` runs the same check without starting the service (docs/routes.md).");
        }
        for (RouteFolder.RouteFile file : files) {
            applied.put(file.name(), new Applied(file.sha256(), file.text(), file.shownAs(), result.files().get(file.shownAs())));
        }
        count();
    }

    private static Counter reloads(MeterRegistry meters, String outcome) {
        return Counter.builder("routes.reload").tag("outcome", outcome)
                .description("Edited route files applied live, or rejected by the route check (the routes that run stay)")
                .register(meters);
    }

    /** Camel runs the routes now: from here on edits are watched for. */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void startWatching() {
        if (!reload || closed || watch != null) {
            return;
        }
        watch = new FolderWatch(folder, interval, SETTLE, this::scan);
        watch.start();
        LOG.info("Live route reload on: {} is checked on every change and every {} ms; edits that pass the route check are applied",
                folder, interval.toMillis());
    }

    @EventListener(ContextClosedEvent.class)
    public void stopWatching() {
        FolderWatch stopping;
        synchronized (this) {
            closed = true;
            stopping = watch;
            watch = null;
        }
        if (stopping != null) {
            stopping.close();
        }
    }

    /** Reads the folder and applies each file whose content is not the one that runs, if it passes the check. */
    synchronized void scan() {
        if (closed) {
            return;
        }
        List<RouteFolder.RouteFile> files;
        try {
            files = RouteFolder.read(folder);
        } catch (IOException e) {
            LOG.warn("Could not read the route folder {}: {}; the routes run as before", folder, e.toString());
            return;
        }
        Set<String> present = new LinkedHashSet<>();
        for (RouteFolder.RouteFile file : files) {
            present.add(file.name());
            Applied running = applied.get(file.name());
            if (running != null && running.sha256().equals(file.sha256())) {
                forgetRejection(file.name(), file.shownAs());
                continue;
            }
            Rejected last = rejected.get(file.name());
            if (last != null && last.sha256().equals(file.sha256()) && last.generation() == generation) {
                continue;
            }
            apply(file, last);
        }
        removed.removeIf(present::contains);
        for (Map.Entry<String, Applied> running : applied.entrySet()) {
            if (!present.contains(running.getKey()) && removed.add(running.getKey())) {
                LOG.warn("Route file {} was removed: its routes ({}) run on until the service restarts", running.getValue().shownAs(),
                        String.join(", ", running.getValue().routes().routeIds()));
            }
        }
    }

    private void apply(RouteFolder.RouteFile file, Rejected last) {
        Map<String, String> running = new LinkedHashMap<>();
        applied.forEach((name, version) -> running.put(version.shownAs(), version.text()));
        running.put(file.shownAs(), file.text());
        RouteCheck.Result result = check.check(running);
        if (!result.ok()) {
            reject(file, result.problems(), last);
            return;
        }
        Applied before = applied.get(file.name());
        RouteCheck.FileRoutes routes = result.files().get(file.shownAs());
        Set<String> paths = new LinkedHashSet<>(routes.httpPaths());
        List<String> dropped = new ArrayList<>();
        if (before != null) {
            paths.addAll(before.routes().httpPaths());
            dropped.addAll(before.routes().routeIds());
            dropped.removeAll(routes.routeIds());
        }
        Set<String> ids;
        try (AutoCloseable held = gate.hold(paths)) {
            try {
                ids = PluginHelper.getRoutesLoader(camel).updateRoutes(List.of(resource(file.name(), file.text())));
                for (String id : dropped) {
                    camel.getRouteController().stopRoute(id);
                    camel.removeRoute(id);
                }
            } catch (Exception failed) {
                restore(before, routes);
                FailedToCreateRouteException route = ObjectHelper.getException(FailedToCreateRouteException.class, failed);
                int line = route == null ? 1 : routes.lineOf(route.getRouteId());
                reject(file, List.of(new RouteProblem(file.shownAs(), line, "Camel could not load it"
                        + (route == null ? "" : " (route " + route.getRouteId() + ")") + ": " + rootMessage(failed))), last);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception notClosed) {
            throw new IllegalStateException(notClosed);
        }
        applied.put(file.name(), new Applied(file.sha256(), file.text(), file.shownAs(), routes));
        count();
        generation++;
        rejected.remove(file.name());
        forgetRejection(file.name(), file.shownAs());
        applications.increment();
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("file", file.shownAs());
        done.put("routes", List.copyOf(ids));
        done.put("at", Instant.now().toString());
        lastApplied = done;
        LOG.info("Applied route file {}: routes {}{}", file.shownAs(), String.join(", ", ids),
                dropped.isEmpty() ? "" : "; removed routes " + String.join(", ", dropped));
    }

    /** Back to the version that ran, after Camel failed half-way through the new one. */
    private void restore(Applied before, RouteCheck.FileRoutes attempted) {
        try {
            if (before != null) {
                PluginHelper.getRoutesLoader(camel).updateRoutes(List.of(resource(before.shownAs(), before.text())));
            }
            for (String id : attempted.routeIds()) {
                if ((before == null || !before.routes().routeIds().contains(id)) && camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id);
                    camel.removeRoute(id);
                }
            }
        } catch (Exception e) {
            LOG.error("Could not go back to the running version of {}: {}", before != null ? before.shownAs() : "a new route file",
                    rootMessage(e));
        }
    }

    private void reject(RouteFolder.RouteFile file, List<RouteProblem> problems, Rejected last) {
        rejected.put(file.name(), new Rejected(file.sha256(), generation, problems));
        if (last != null && last.sha256().equals(file.sha256()) && last.problems().equals(problems)) {
            return; // checked again after another file was applied: the same verdict is not news
        }
        rejections.increment();
        Map<String, Object> refused = new LinkedHashMap<>();
        refused.put("file", file.shownAs());
        refused.put("problems", problems.stream().map(RouteProblem::toString).toList());
        refused.put("at", Instant.now().toString());
        lastRejected = refused;
        LOG.warn("Route file {} not applied, its routes run as before: {}", file.shownAs(),
                problems.stream().map(RouteProblem::toString).collect(Collectors.joining("; ")));
    }

    private void forgetRejection(String name, String shownAs) {
        rejected.remove(name);
        Map<String, Object> refused = lastRejected;
        if (refused != null && shownAs.equals(refused.get("file"))) {
            lastRejected = null;
        }
    }

    private Resource resource(String name, String text) {
        return ResourceHelper.fromString("file:" + folder.resolve(name), text);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).replaceAll("\\s+", " ").strip();
    }

    /** The SHA-256 of the version of {@code name} that runs, null when none. */
    synchronized String runningSha256(String name) {
        Applied running = applied.get(name);
        return running == null ? null : running.sha256();
    }

    /** Read without waiting for a scan (a swap may wait for requests to finish). */
    public Status status() {
        int[] counts = runningCounts;
        return new Status(folder.toString(), reload, interval.toMillis(), counts[0], counts[1], lastApplied, lastRejected);
    }

    private void count() {
        runningCounts = new int[] {applied.size(), applied.values().stream().mapToInt(version -> version.routes().routeIds().size()).sum()};
    }
}
