package dev.streamer.core.internal;

import static dev.streamer.core.internal.Watchdog.Verdict.ALIVE;
import static dev.streamer.core.internal.Watchdog.Verdict.RECOVERED;
import static dev.streamer.core.internal.Watchdog.Verdict.STILL_STUCK;
import static dev.streamer.core.internal.Watchdog.Verdict.STUCK;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A sender that waits, connects or backs off keeps beating; only a stopped thread is stuck. */
class WatchdogTests {
    private static final long S = 1_000_000_000L;

    @Test
    void aDisconnectedSenderThatKeepsBeatingIsNeverStuck() {
        Watchdog watchdog = new Watchdog(Duration.ofSeconds(30));
        // backing off for minutes, beating every 20 ms
        for (long ms = 0; ms < 300_000; ms += 20) {
            long now = ms * 1_000_000;
            assertThat(watchdog.check(now, now - 20_000_000, false)).isEqualTo(ALIVE);
        }
        assertThat(watchdog.stuck()).isFalse();
    }

    @Test
    void outsideAWriteFiveSecondsOfSilenceIsStuckAndIsReportedOnce() {
        Watchdog watchdog = new Watchdog(Duration.ofSeconds(30));
        long lastBeat = 100 * S;
        assertThat(watchdog.check(lastBeat + 5 * S, lastBeat, false)).isEqualTo(ALIVE);
        assertThat(watchdog.check(lastBeat + 5 * S + 1, lastBeat, false)).isEqualTo(STUCK);
        assertThat(watchdog.stuck()).isTrue();
        assertThat(watchdog.check(lastBeat + 60 * S, lastBeat, false)).isEqualTo(STILL_STUCK);
        assertThat(watchdog.check(lastBeat + 61 * S, lastBeat + 61 * S, false)).isEqualTo(RECOVERED);
        assertThat(watchdog.stuck()).isFalse();
        assertThat(watchdog.check(lastBeat + 62 * S, lastBeat + 62 * S, false)).isEqualTo(ALIVE);
    }

    @Test
    void insideAWriteTheTransportsTimeoutGetsTwoHeartbeats() {
        Watchdog watchdog = new Watchdog(Duration.ofSeconds(30));
        long writeStart = 0;
        assertThat(watchdog.check(59 * S, writeStart, true)).isEqualTo(ALIVE);
        assertThat(watchdog.check(60 * S + 1, writeStart, true)).isEqualTo(STUCK);
        assertThat(watchdog.limit(true)).isEqualTo(Duration.ofSeconds(60));
        assertThat(watchdog.limit(false)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aShortHeartbeatShortensBothLimits() {
        Watchdog watchdog = new Watchdog(Duration.ofSeconds(1));
        assertThat(watchdog.limit(true)).isEqualTo(Duration.ofSeconds(2));
        assertThat(watchdog.limit(false)).isEqualTo(Duration.ofSeconds(2));
        assertThat(watchdog.check(2 * S + 1, 0, false)).isEqualTo(STUCK);
    }
}
