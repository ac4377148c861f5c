package dev.streamer.core.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The time spent inside each of the last {@value #SIZE} link writes.
 *
 * <p>The sender thread {@link #record records} into a preallocated array (no allocation, no lock);
 * another thread computes {@link #stats} over a preallocated copy, sorted there.
 */
public final class WriteLatencyWindow {
    public static final int SIZE = 100;

    private final AtomicLongArray nanos = new AtomicLongArray(SIZE);
    private final AtomicLong recorded = new AtomicLong();
    private final long[] scratch = new long[SIZE]; // guarded by this

    /**
     * Mean, 95th percentile (nearest rank: the value at rank ceil(0.95 n)) and maximum of the last
     * {@code samples} writes, in milliseconds; all 0 when none was recorded.
     */
    public record Stats(int samples, double meanMillis, double p95Millis, double maxMillis) {
        public static final Stats NONE = new Stats(0, 0, 0, 0);
    }

    /** Record one write that took {@code durationNanos}. Sender thread only. */
    public void record(long durationNanos) {
        long count = recorded.getPlain();
        nanos.setRelease((int) (count % SIZE), durationNanos);
        recorded.setRelease(count + 1);
    }

    /** Return how many writes were recorded in all. */
    public long recorded() {
        return recorded.getAcquire();
    }

    /** Compute the statistics of the last {@value #SIZE} writes (fewer at first). */
    public synchronized Stats stats() {
        int n = (int) Math.min(SIZE, recorded.getAcquire());
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
        int rank = (int) Math.ceil(0.95 * n); // 1-based nearest rank
        return new Stats(n, sum / (double) n / 1e6, scratch[rank - 1] / 1e6, scratch[n - 1] / 1e6);
    }
}
