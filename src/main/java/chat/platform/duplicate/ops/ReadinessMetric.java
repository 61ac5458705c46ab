package chat.platform.duplicate.ops;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Gauge {@code application.readiness} (Prometheus: {@code application_readiness}): 1 while the
 * readiness probe's health group ({@code /actuator/health/readiness}: readinessState and db) is
 * UP, else 0; read at each scrape. Alert DuplicateMessageNoReadyInstance fires when no pod says 1.
 */
@Component("readinessMetric")
public class ReadinessMetric implements MeterBinder {

    static final String METER = "application.readiness";

    private final Supplier<Status> readiness;

    @Autowired
    public ReadinessMetric(ObjectProvider<HealthEndpoint> health) {
        this(() -> {
            HealthComponent group = health.getObject().healthForPath("readiness");
            return group == null ? Status.UNKNOWN : group.getStatus();
        });
    }

    ReadinessMetric(Supplier<Status> readiness) {
        this.readiness = readiness;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(METER, this, ReadinessMetric::value)
                .description("1 while the readiness probe's health group is UP, else 0")
                .register(registry);
    }

    double value() {
        try {
            return Status.UP.equals(readiness.get()) ? 1 : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
