package dev.streamer.core.internal;

/**
 * Tells a standing backlog from a transient one.
 *
 * <p>The sender reports the audio waiting in the ring before each chunk it takes. The lowest value
 * over a window of about two seconds is the backlog that did not go away: right after a stall the
 * ring holds a lot, but if the link takes it faster than real time the minimum falls again within
 * the window and nothing is dropped. When the minimum of a whole window stays above the latency
 * target, the receiver cannot absorb the burst (it consumes in real time, as snapserver does), and
 * the oldest audio must be dropped down to the target. Sender thread only; allocates nothing.
 */
public final class StandingBacklog {
    private final long windowNanos;
    private final int targetBytes;
    private long windowStart;
    private int windowMin = Integer.MAX_VALUE;
    private boolean started;

    public StandingBacklog(long windowNanos, int targetBytes) {
        this.windowNanos = windowNanos;
        this.targetBytes = targetBytes;
    }

    /**
     * Report {@code availableBytes} waiting at {@code nowNanos}.
     *
     * @return whether a window just ended whose minimum stayed above the target: drop the oldest
     *     audio down to the target now
     */
    public boolean observe(long nowNanos, int availableBytes) {
        if (!started) {
            started = true;
            windowStart = nowNanos;
        }
        if (availableBytes < windowMin) {
            windowMin = availableBytes;
        }
        if (nowNanos - windowStart < windowNanos) {
            return false;
        }
        boolean standing = windowMin > targetBytes;
        windowStart = nowNanos;
        windowMin = Integer.MAX_VALUE;
        return standing;
    }

    /** Start over, e.g. on a new connection. */
    public void reset() {
        started = false;
        windowMin = Integer.MAX_VALUE;
    }
}
