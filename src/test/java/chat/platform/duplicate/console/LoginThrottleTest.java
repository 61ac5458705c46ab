package chat.platform.duplicate.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    final TestClock clock = new TestClock();
    final LoginThrottle throttle = new LoginThrottle(5, Duration.ofSeconds(60), clock);

    @Test
    void fourWrongPasswordsDoNotLockTheFifthDoes() {
        for (int i = 1; i <= 4; i++) {
            assertThat(throttle.failed("ops")).as("failure " + i).isFalse();
            assertThat(throttle.lockedFor("ops")).isZero();
        }
        assertThat(throttle.failed("ops")).isTrue();
        assertThat(throttle.lockedFor("ops")).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theLockRunsOutAndTheNextWrongPasswordLocksAgainAtOnce() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("ops");
        }
        clock.advance(Duration.ofSeconds(59));
        assertThat(throttle.lockedFor("ops")).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("ops")).isZero();

        assertThat(throttle.failed("ops")).isTrue();
        assertThat(throttle.lockedFor("ops")).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aRightPasswordClearsTheCount() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("ops");
        }
        throttle.succeeded("ops");
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.failed("ops")).isFalse();
        }
    }

    @Test
    void namesAreCountedApartIgnoringCase() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("OPS");
        }
        assertThat(throttle.lockedFor("ops")).isPositive();
        assertThat(throttle.lockedFor("viewer")).isZero();
        assertThat(throttle.lockedFor(null)).isZero();
    }

    @Test
    void aFloodOfMadeUpNamesIsForgottenButLockedNamesAreKept() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("ops");
        }
        for (int i = 0; i < LoginThrottle.MAX_NAMES + 10; i++) {
            throttle.failed("made-up-" + i);
        }
        assertThat(throttle.rememberedNames()).isLessThanOrEqualTo(LoginThrottle.MAX_NAMES);
        assertThat(throttle.lockedFor("ops")).isPositive();
    }

    @Test
    void oneFailureMayBeEnough() {
        LoginThrottle strict = new LoginThrottle(1, Duration.ofSeconds(5), clock);
        assertThat(strict.failed("ops")).isTrue();
        assertThat(strict.lockedFor("ops")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new LoginThrottle(0, Duration.ofSeconds(5), clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle(5, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
