package chat.platform.duplicate.routefiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a changed route file is noticed, on a ConfigMap volume built as kubelet builds it
 * ({@link ConfigMapFolder}) and on a plain folder. First why the service does not use Camel's own
 * watcher (camel.main.routes-reload-*): it does not see a ConfigMap update at all. Then
 * {@link FolderWatch} with {@link RouteFolder}: an update is noticed by its event, the file's
 * content is read through the links and only the changed file has a new hash; an edit through a
 * link, which reports no event in the folder, is noticed by the interval check.
 */
class FolderWatchTest {

    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path temp;

    @Test
    void camelsOwnFileWatcherDoesNotSeeAConfigMapUpdate() throws Exception {
        ConfigMapFolder configMap = ConfigMapFolder.create(temp.resolve("routes"), Map.of("flow.camel.yaml", "# one\n"));
        BlockingQueue<String> reloaded = new LinkedBlockingQueue<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            // what camel.main.routes-reload-enabled/-directory/-pattern set up
            RouteWatcherReloadStrategy watcher = new RouteWatcherReloadStrategy(configMap.mount().toString());
            watcher.setPattern("*.camel.yaml");
            watcher.setResourceReload((name, resource) -> reloaded.add(name));
            camel.addService(watcher);
            camel.start();

            configMap.update(Map.of("flow.camel.yaml", "# two\n"));
            // then a plain file written beside it: the watcher reports events in order
            Files.writeString(configMap.mount().resolve("control.camel.yaml"), "# control\n");

            assertThat(reloaded.poll(30, TimeUnit.SECONDS)).as("the watcher works: it sees a plain file").endsWith("control.camel.yaml");
            assertThat(reloaded).as("nothing of the ConfigMap update before it (a plain file may count twice: created, written)")
                    .allMatch(name -> name.endsWith("control.camel.yaml"));
            assertThat(Files.readString(configMap.mount().resolve("flow.camel.yaml"))).isEqualTo("# two\n");
        }
    }

    @Test
    void aConfigMapUpdateIsNoticedByItsEventAndOnlyTheChangedFileHasANewHash() throws Exception {
        Map<String, String> files = new LinkedHashMap<>(Map.of("a.camel.yaml", "# a\n", "b.camel.yaml", "# b\n"));
        ConfigMapFolder configMap = ConfigMapFolder.create(temp.resolve("routes"), files);
        Map<String, String> before = hashes(configMap.mount());
        BlockingQueue<Map<String, String>> scans = new LinkedBlockingQueue<>();
        try (FolderWatch watch = new FolderWatch(configMap.mount(), NEVER, Duration.ofMillis(50), () -> scans.add(hashes(configMap.mount())))) {
            watch.start();
            files.put("b.camel.yaml", "# b, edited\n");
            configMap.update(files);

            Map<String, String> after = awaitScanWhere(scans, hashes -> !hashes.get("b.camel.yaml").equals(before.get("b.camel.yaml")));
            assertThat(after.keySet()).as("only the visible keys, read through the links").containsExactly("a.camel.yaml", "b.camel.yaml");
            assertThat(after.get("a.camel.yaml")).as("the unchanged file").isEqualTo(before.get("a.camel.yaml"));
        }
    }

    @Test
    void anEditThroughALinkIsNoticedByTheIntervalCheck() throws Exception {
        ConfigMapFolder configMap = ConfigMapFolder.create(temp.resolve("routes"), Map.of("a.camel.yaml", "# a\n"));
        Map<String, String> before = hashes(configMap.mount());
        BlockingQueue<Map<String, String>> scans = new LinkedBlockingQueue<>();
        try (FolderWatch watch = new FolderWatch(configMap.mount(), Duration.ofMillis(200), Duration.ofMillis(50), () -> scans.add(hashes(configMap.mount())))) {
            watch.start();
            configMap.editInPlace("a.camel.yaml", "# a, edited in place\n");

            awaitScanWhere(scans, hashes -> !hashes.get("a.camel.yaml").equals(before.get("a.camel.yaml")));
        }
    }

    @Test
    void aPlainFolderEditIsNoticedByItsEvent() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("plain"));
        Files.writeString(folder.resolve("a.camel.yaml"), "# a\n");
        BlockingQueue<Map<String, String>> scans = new LinkedBlockingQueue<>();
        try (FolderWatch watch = new FolderWatch(folder, NEVER, Duration.ofMillis(50), () -> scans.add(hashes(folder)))) {
            watch.start();
            Files.writeString(folder.resolve("a.camel.yaml"), "# a, edited\n");

            awaitScanWhere(scans, hashes -> hashes.get("a.camel.yaml").equals(RouteFolder.sha256("# a, edited\n".getBytes())));
        }
    }

    private static Map<String, String> hashes(Path folder) {
        try {
            Map<String, String> hashes = new LinkedHashMap<>();
            List<RouteFolder.RouteFile> files = RouteFolder.read(folder);
            files.forEach(file -> hashes.put(file.name(), file.sha256()));
            return hashes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> awaitScanWhere(BlockingQueue<Map<String, String>> scans,
            java.util.function.Predicate<Map<String, String>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Map<String, String> scan = scans.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (scan != null && condition.test(scan)) {
                return scan;
            }
        }
        throw new AssertionError("no scan saw the change within 20 s");
    }
}
