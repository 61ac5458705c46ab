package chat.platform.duplicate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

class ReadinessMetricTest {

    private final AtomicReference<Status> status = new AtomicReference<>(Status.UP);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void isOneWhileTheReadinessGroupIsUpAndZeroOtherwise() {
        new ReadinessMetric(status::get).bindTo(registry);

        assertThat(gauge()).isEqualTo(1.0);
        status.set(Status.DOWN);
        assertThat(gauge()).isEqualTo(0.0);
        status.set(Status.OUT_OF_SERVICE);
        assertThat(gauge()).isEqualTo(0.0);
        status.set(Status.UP);
        assertThat(gauge()).isEqualTo(1.0);
    }

    @Test
    void aFailingHealthCheckCountsAsNotReady() {
        new ReadinessMetric(() -> {
            throw new IllegalStateException("no health endpoint yet");
        }).bindTo(registry);

        assertThat(gauge()).isEqualTo(0.0);
    }

    private double gauge() {
        return registry.get(ReadinessMetric.METER).gauge().value();
    }
}
