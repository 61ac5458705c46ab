package chat.platform.duplicate.bridge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * The circuit breaker in front of the messenger bridge (Resilience4j, {@code BRIDGE_CIRCUIT_*}):
 * the routes' {@code circuitBreaker} steps use its breaker (bean {@code bridgeCircuitBreaker}),
 * so the duplicate flow and the recovery route share one state. One duplicate with all its
 * redelivered attempts is one call; a send whose last attempt failed is a failure, a permanent
 * refusal is not. While it is open no attempt reaches the bridge.
 * <p>
 * A bean because the settings are milliseconds, the breaker is shared by two routes, and its
 * state changes are logged (one {@code WARN} each) and published as metrics
 * ({@code resilience4j_circuitbreaker_*}, name {@code bridge}).
 */
@Component("bridgeCircuit")
public class BridgeCircuit {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeCircuit.class);

    private final BridgeRequests requests;
    private final CircuitBreaker breaker;
    private final Duration openDuration;
    private final Clock clock;
    private volatile Instant openedAt;

    @Autowired
    public BridgeCircuit(BridgeRequests requests, @Value("${bridge.circuit.enabled:true}") boolean enabled,
            @Value("${bridge.circuit.failure-rate:50}") float failureRate,
            @Value("${bridge.circuit.min-calls:10}") int minimumCalls,
            @Value("${bridge.circuit.window:20}") int window,
            @Value("${bridge.circuit.open-ms:30000}") long openMs,
            MeterRegistry meters) {
        this(requests, enabled, failureRate, minimumCalls, window, openMs, meters, Clock.systemUTC());
    }

    BridgeCircuit(BridgeRequests requests, boolean enabled, float failureRate, int minimumCalls, int window, long openMs,
            MeterRegistry meters, Clock clock) {
        this.requests = requests;
        this.openDuration = Duration.ofMillis(openMs);
        this.clock = clock;
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRate)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(window)
                .minimumNumberOfCalls(minimumCalls)
                .waitDurationInOpenState(openDuration)
                // half-open as soon as the wait is over, also without a call (health and metrics show it)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        this.breaker = registry.circuitBreaker("bridge");
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt = clock.instant();
            }
            CircuitBreaker.Metrics metrics = breaker.getMetrics();
            LOG.warn("Bridge circuit {} -> {} ({} of the last {} sends failed)", event.getStateTransition().getFromState(),
                    event.getStateTransition().getToState(), metrics.getNumberOfFailedCalls(), metrics.getNumberOfBufferedCalls());
        });
        if (!enabled) {
            breaker.transitionToDisabledState();
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    /** The breaker the routes' circuitBreaker steps use (bean {@code bridgeCircuitBreaker}). */
    @Bean("bridgeCircuitBreaker")
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** CLOSED, OPEN, HALF_OPEN or DISABLED. */
    public String state() {
        return breaker.getState().name();
    }

    /** Whether a send may go to the bridge now: the recovery route claims nothing while the circuit is open. */
    public boolean allowsSends() {
        CircuitBreaker.State state = breaker.getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    /**
     * Whether a send failed because the circuit did not let it through (no attempt was made).
     * Camel's circuitBreaker step gives its fallback no exception then, only for a failed send.
     */
    public boolean isOpenRejection(Throwable failure) {
        return failure == null || ObjectHelper.getException(CallNotPermittedException.class, failure) != null;
    }

    /**
     * What is stored as the error of a send the circuit did not let through, or of a send whose
     * last attempt failed (the bridge's reply or the I/O error, as {@link BridgeRequests#failure}).
     */
    public String failure(Throwable failure) {
        if (!isOpenRejection(failure)) {
            return requests.failure(failure);
        }
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        Instant opened = openedAt;
        Instant retry = (opened != null ? opened : clock.instant()).plus(openDuration).truncatedTo(ChronoUnit.MILLIS);
        return "bridge circuit open: " + metrics.getNumberOfFailedCalls() + " of the last " + metrics.getNumberOfBufferedCalls()
                + " sends failed; not sent, the circuit lets a trial send through from " + DateTimeFormatter.ISO_INSTANT.format(retry);
    }
}
