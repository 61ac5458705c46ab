package chat.platform.duplicate.routefiles;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code scan} when a folder may have changed: on any event in the folder (a file written,
 * created, deleted or renamed; in a Kubernetes ConfigMap volume that is {@code ..data} renamed
 * over, never a {@code *.camel.yaml} name), {@code settle} after the last one, and every
 * {@code interval} as a safety net for changes no event reports (a file edited through a link,
 * a network file system). The scan decides by content what changed; it runs on one thread, one at
 * a time.
 */
final class FolderWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatch.class);

    private final Path folder;
    private final Duration interval;
    private final Duration settle;
    private final Runnable scan;
    private final ScheduledExecutorService scans = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "route-files-reload");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean scanAfterEvent = new AtomicBoolean();
    private WatchService watcher;

    FolderWatch(Path folder, Duration interval, Duration settle, Runnable scan) {
        this.folder = folder;
        this.interval = interval;
        this.settle = settle;
        this.scan = scan;
    }

    /** Starts the interval checks and, where the file system reports changes, the watch. */
    void start() {
        scans.scheduleWithFixedDelay(this::runScan, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        try {
            watcher = folder.getFileSystem().newWatchService();
            // the folder itself, not its real path: in a ConfigMap volume the links live here
            folder.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            // e.g. the system's limit of inotify watches reached
            LOG.warn("The route folder {} cannot be watched ({}); it is checked every {} ms", folder, e.toString(), interval.toMillis());
            return;
        }
        Thread events = new Thread(this::watch, "route-files-watch");
        events.setDaemon(true);
        events.start();
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents();
                if (scanAfterEvent.compareAndSet(false, true)) {
                    scans.schedule(() -> {
                        scanAfterEvent.set(false);
                        runScan();
                    }, settle.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (!key.reset()) {
                    LOG.warn("The route folder {} can no longer be watched; it is still checked every {} ms", folder, interval.toMillis());
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException | RejectedExecutionException stopped) {
            // closed
        } catch (RuntimeException e) {
            LOG.warn("Watching the route folder {} stopped ({}); it is still checked every {} ms", folder, e.toString(), interval.toMillis());
        }
    }

    private void runScan() {
        try {
            scan.run();
        } catch (RuntimeException e) {
            LOG.warn("Checking the route folder {} failed: {}", folder, e.toString());
        }
    }

    /** Stops watching; a scan that is running finishes first (at most 30 s). */
    @Override
    public void close() {
        scans.shutdown();
        try {
            if (watcher != null) {
                watcher.close();
            }
            scans.awaitTermination(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.debug("closing the watch service", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
