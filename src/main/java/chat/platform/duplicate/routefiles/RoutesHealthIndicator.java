package chat.platform.duplicate.routefiles;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code routes}: the route folder, whether edits are reloaded live, how many
 * files and routes run, the last file applied and, until a good version of it is applied, the last
 * file the route check rejected with its problems. Always {@code UP}: a rejected edit leaves the
 * routes that ran before running. In neither probe.
 */
@Component("routesHealthIndicator")
public class RoutesHealthIndicator implements HealthIndicator {

    private final RouteFiles routeFiles;

    public RoutesHealthIndicator(RouteFiles routeFiles) {
        this.routeFiles = routeFiles;
    }

    @Override
    public Health health() {
        RouteFiles.Status status = routeFiles.status();
        Health.Builder health = Health.up()
                .withDetail("folder", status.folder())
                .withDetail("reload", status.reload() ? "every change, checked every " + status.intervalMs() + " ms" : "off")
                .withDetail("files", status.files())
                .withDetail("routes", status.routes());
        if (status.lastApplied() != null) {
            health.withDetail("lastApplied", status.lastApplied());
        }
        if (status.lastRejected() != null) {
            health.withDetail("lastRejected", status.lastRejected());
        }
        return health.build();
    }
}
