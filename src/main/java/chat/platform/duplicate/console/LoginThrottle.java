package chat.platform.duplicate.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrong passwords per user name: after {@code maxFailures} in a row, that name may not try again
 * for {@code lockFor} (each try in that time is refused without checking the password); a
 * right password clears the count. Counted for every name tried, known or not, so that the
 * replies do not tell which names exist. Names are compared ignoring case, as the logins are.
 * <p>
 * At most {@link #MAX_NAMES} names are remembered: beyond that, names whose lock has run out
 * are forgotten first, so that a flood of made-up names cannot fill the memory.
 */
public class LoginThrottle {

    static final int MAX_NAMES = 10_000;

    private final int maxFailures;
    private final Duration lockFor;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, Instant lockedUntil) {
    }

    public LoginThrottle(int maxFailures, Duration lockFor, Clock clock) {
        if (maxFailures < 1 || lockFor.isNegative() || lockFor.isZero()) {
            throw new IllegalArgumentException("maxFailures must be at least 1 and lockFor positive");
        }
        this.maxFailures = maxFailures;
        this.lockFor = lockFor;
        this.clock = clock;
    }

    /** How long {@code username} must still wait before its next try; zero when it may try now. */
    public Duration lockedFor(String username) {
        Failures state = failures.get(key(username));
        if (state == null || state.lockedUntil() == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), state.lockedUntil());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** A wrong password for {@code username}; returns true when the name is locked now. */
    public boolean failed(String username) {
        if (failures.size() >= MAX_NAMES) {
            forgetUnlocked();
        }
        Instant now = clock.instant();
        Failures after = failures.merge(key(username), new Failures(1, maxFailures == 1 ? now.plus(lockFor) : null),
                (before, one) -> {
                    int count = before.count() + 1;
                    return new Failures(count, count >= maxFailures ? now.plus(lockFor) : null);
                });
        return after.lockedUntil() != null;
    }

    /** The right password: the count of {@code username} starts again. */
    public void succeeded(String username) {
        failures.remove(key(username));
    }

    private void forgetUnlocked() {
        Instant now = clock.instant();
        failures.values().removeIf(state -> state.lockedUntil() == null || !state.lockedUntil().isAfter(now));
    }

    int rememberedNames() {
        return failures.size();
    }

    private static String key(String username) {
        return username == null ? "" : username.toLowerCase(Locale.ROOT);
    }
}
