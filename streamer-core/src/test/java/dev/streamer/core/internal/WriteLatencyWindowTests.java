package dev.streamer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Mean, p95 (nearest rank) and max of the last 100 writes. */
class WriteLatencyWindowTests {
    private static final long MS = 1_000_000;

    @Test
    void emptyWindowIsAllZero() {
        assertThat(new WriteLatencyWindow().stats()).isEqualTo(WriteLatencyWindow.Stats.NONE);
    }

    @Test
    void meanP95AndMaxOfAHundredWrites() {
        WriteLatencyWindow window = new WriteLatencyWindow();
        // 1..100 ms, shuffled order does not matter
        for (int i = 100; i >= 1; i--) {
            window.record(i * MS);
        }
        WriteLatencyWindow.Stats stats = window.stats();
        assertThat(stats.samples()).isEqualTo(100);
        assertThat(stats.meanMillis()).isCloseTo(50.5, within(1e-9));
        assertThat(stats.p95Millis()).isCloseTo(95, within(1e-9)); // rank ceil(95) = 95
        assertThat(stats.p50Millis()).isCloseTo(50, within(1e-9));
        assertThat(stats.p99Millis()).isCloseTo(99, within(1e-9));
        assertThat(stats.maxMillis()).isCloseTo(100, within(1e-9));
    }

    @Test
    void aLargerWindowKeepsMore() {
        WriteLatencyWindow window = new WriteLatencyWindow(1000);
        for (int i = 1; i <= 1000; i++) {
            window.record(i * MS);
        }
        WriteLatencyWindow.Stats stats = window.stats();
        assertThat(stats.samples()).isEqualTo(1000);
        assertThat(stats.p50Millis()).isCloseTo(500, within(1e-9));
        assertThat(stats.p99Millis()).isCloseTo(990, within(1e-9));
    }

    @Test
    void onlyTheLastHundredCount() {
        WriteLatencyWindow window = new WriteLatencyWindow();
        for (int i = 0; i < 50; i++) {
            window.record(1_000 * MS); // old, pushed out
        }
        for (int i = 1; i <= 100; i++) {
            window.record(i % 10 == 0 ? 20 * MS : 2 * MS); // 90 writes of 2 ms, 10 of 20 ms
        }
        WriteLatencyWindow.Stats stats = window.stats();
        assertThat(stats.samples()).isEqualTo(100);
        assertThat(stats.meanMillis()).isCloseTo((90 * 2 + 10 * 20) / 100.0, within(1e-9));
        assertThat(stats.p95Millis()).isCloseTo(20, within(1e-9));
        assertThat(stats.maxMillis()).isCloseTo(20, within(1e-9));
        assertThat(window.recorded()).isEqualTo(150);
    }

    @Test
    void fewerThanAHundredUseNearestRank() {
        WriteLatencyWindow window = new WriteLatencyWindow();
        long[] values = {5, 1, 3, 2, 4, 9, 7, 8, 6, 10}; // ms
        for (long v : values) {
            window.record(v * MS);
        }
        WriteLatencyWindow.Stats stats = window.stats();
        assertThat(stats.samples()).isEqualTo(10);
        assertThat(stats.meanMillis()).isCloseTo(5.5, within(1e-9));
        assertThat(stats.p95Millis()).isCloseTo(10, within(1e-9)); // rank ceil(9.5) = 10
        assertThat(stats.maxMillis()).isCloseTo(10, within(1e-9));
    }
}
