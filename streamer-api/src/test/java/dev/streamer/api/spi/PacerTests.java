package dev.streamer.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PacerTests {

    private static final long MS = 1_000_000L;
    private static final long START = 123_456_789L;

    /** A clock that moves only when the pacer waits, by exactly what it asks (testkit's FakeClock depends on this module). */
    private long now = START;
    private long parks;
    private long longestPark;
    private final Pacer pacer = new Pacer(() -> now, (blocker, nanos) -> {
        now += nanos;
        parks++;
        longestPark = Math.max(longestPark, nanos);
    });

    @Test
    void aReadReturnsWhenItsLastFrameIsDueInWaitsOfAtMost20Ms() {
        pacer.start(48_000);
        assertThat(pacer.awaitFrames(480)).isTrue();
        assertThat(now - START).isEqualTo(10 * MS);
        assertThat(parks).isEqualTo(1);

        assertThat(pacer.awaitFrames(48_480)).isTrue();
        assertThat(now - START).as("one second more").isEqualTo(1_010 * MS);
        assertThat(parks).as("1 s in waits of 20 ms").isEqualTo(1 + 50);
        assertThat(longestPark).isEqualTo(20 * MS);
    }

    @Test
    void anHourOfOddSizedReadsEndsOnTheExactNanosecond() {
        pacer.start(44_100);
        long frames = 0;
        for (int i = 0; i < 1_587_600; i++) {
            frames += 100; // 2.2675736... ms: a deadline counted from the previous one would gain 0.73 ns a read
            assertThat(pacer.awaitFrames(frames)).isTrue();
        }
        assertThat(frames).isEqualTo(44_100L * 3_600);
        assertThat(now - START).isEqualTo(3_600_000 * MS);
        assertThat(parks).as("one wait a read").isEqualTo(1_587_600);

        pacer.awaitFrames(frames + 1);
        assertThat(now - START).as("frame n is due at n / rate, rounded down: 22675.7 ns after the hour")
                .isEqualTo(3_600_000 * MS + 22_675);
    }

    @Test
    void aLateCallerGetsWhatIsDueWithoutWaitingAndThePaceDoesNotDrift() {
        pacer.start(48_000);
        now += 25 * MS; // the caller was 25 ms late
        assertThat(pacer.awaitFrames(480)).isTrue();
        assertThat(pacer.awaitFrames(960)).isTrue();
        assertThat(parks).as("20 ms were due already").isZero();
        assertThat(pacer.awaitFrames(1_440)).isTrue();
        assertThat(now - START).as("the third 10 ms read is due at 30 ms from the start, not from the late call").isEqualTo(30 * MS);
    }

    @Test
    void deadlinesAHundredYearsOutDoNotOverflow() {
        pacer.start(384_000);
        long seconds = 100L * 365 * 86_400;
        assertThat(pacer.dueNanos(384_000L * seconds + 192_000)).isEqualTo(START + seconds * 1_000 * MS + 500 * MS);
    }

    @Test
    void afterStopEveryWaitReturnsFalseAtOnce() {
        pacer.start(48_000);
        pacer.stop();
        pacer.stop();
        assertThat(pacer.awaitFrames(48_000)).isFalse();
        assertThat(pacer.awaitFrames(0)).as("even for frames already due").isFalse();
        assertThat(parks).isZero();
    }

    @Test
    void stopWakesAWaitingThreadAtOnce() throws Exception {
        // A parker that would sleep 10 s per wait: only stop()'s unpark can end the wait in time.
        Pacer real = new Pacer(System::nanoTime, (blocker, nanos) -> LockSupport.parkNanos(blocker, 10_000 * MS));
        real.start(48_000);
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> result.complete(real.awaitFrames(48_000L * 3_600)));
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        real.stop();
        assertThat(result.get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void badUseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> pacer.start(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRate 0");
        assertThatThrownBy(() -> pacer.awaitFrames(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("before start");
    }
}
