package dev.streamer.core.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The last {@code size} durations of a per-chunk step: the time spent inside each link write
 * ({@value #SIZE} of them), or the sender-added latency of each chunk.
 *
 * <p>The sender thread {@link #record records} into a preallocated array (no allocation, no lock);
 * another thread computes {@link #stats} over a preallocated copy, sorted there.
 */
public final class WriteLatencyWindow {
    public static final int SIZE = 100;

    private final int size;
    private final AtomicLongArray nanos;
    private final AtomicLong recorded = new AtomicLong();
    private final long[] scratch; // guarded by this

    public WriteLatencyWindow() {
        this(SIZE);
    }

    public WriteLatencyWindow(int size) {
        this.size = size;
        this.nanos = new AtomicLongArray(size);
        this.scratch = new long[size];
    }

    /**
     * Mean, percentiles (nearest rank: the 95th is the value at rank ceil(0.95 n)) and maximum of
     * the last {@code samples} durations, in milliseconds; all 0 when none was recorded.
     */
    public record Stats(int samples, double meanMillis, double p50Millis, double p95Millis, double p99Millis,
                        double maxMillis) {
        public static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0);
    }

    /** Record one duration. Sender thread only. */
    public void record(long durationNanos) {
        long count = recorded.getPlain();
        nanos.setRelease((int) (count % size), durationNanos);
        recorded.setRelease(count + 1);
    }

    /** Return how many writes were recorded in all. */
    public long recorded() {
        return recorded.getAcquire();
    }

    /** Compute the statistics of the last {@code size} durations (fewer at first). */
    public synchronized Stats stats() {
        int n = (int) Math.min(size, recorded.getAcquire());
        if (n == 0) {
            return Stats.NONE;
        }
        for (int i = 0; i < n; i++) {
            scratch[i] = nanos.getAcquire(i);
        }
        Arrays.sort(scratch, 0, n);
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += scratch[i];
        }
        return new Stats(n, sum / (double) n / 1e6, rankMillis(0.50, n), rankMillis(0.95, n), rankMillis(0.99, n),
                scratch[n - 1] / 1e6);
    }

    private double rankMillis(double quantile, int n) {
        int rank = Math.max(1, (int) Math.ceil(quantile * n)); // 1-based nearest rank
        return scratch[rank - 1] / 1e6;
    }
}
