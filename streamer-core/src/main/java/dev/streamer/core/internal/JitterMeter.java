package dev.streamer.core.internal;

/**
 * Send-schedule jitter: how far the interval between two writes strays from the chunk duration.
 *
 * <p>The source is the clock: while streaming in real time each write should start one chunk
 * duration after the previous one. For each pair of consecutive writes that were both on schedule
 * (the sender was not catching up a backlog), the deviation {@code D = |Δt - chunk|} updates an
 * exponentially weighted mean with gain 1/16, as RFC 3550 does for interarrival jitter:
 * {@code J += (D - J) / 16}, starting at 0. Writes made while catching up a backlog come faster by
 * design and are not measured, nor is the interval that ends at the first write after them.
 *
 * <p>Written by the ring's consumer only, one thread at a time ({@link #onWrite}, {@link #interrupt}); {@link #jitterMillis}
 * may be read from any thread. Allocates nothing.
 */
public final class JitterMeter {
    private static final long NONE = Long.MIN_VALUE;

    private final long chunkNanos;
    private long previousStart = NONE;
    private volatile double jitterNanos;
    private volatile long samples;

    public JitterMeter(long chunkNanos) {
        if (chunkNanos <= 0) {
            throw new IllegalArgumentException("chunk duration must be positive");
        }
        this.chunkNanos = chunkNanos;
    }

    /**
     * Record a write that starts at {@code startNanos}.
     *
     * @param onSchedule whether the sender was streaming in real time (not catching up a backlog)
     */
    public void onWrite(long startNanos, boolean onSchedule) {
        if (onSchedule && previousStart != NONE) {
            long deviation = Math.abs(startNanos - previousStart - chunkNanos);
            double j = jitterNanos;
            jitterNanos = j + (deviation - j) / 16.0;
            samples = samples + 1;
        }
        previousStart = onSchedule ? startNanos : NONE;
    }

    /** Forget the previous write: the next interval is not measured (paused, reconnected, audio dropped). */
    public void interrupt() {
        previousStart = NONE;
    }

    /** Return the smoothed jitter in milliseconds. */
    public double jitterMillis() {
        return jitterNanos / 1e6;
    }

    /** Return how many intervals were measured. */
    public long samples() {
        return samples;
    }
}
