package dev.streamer.core.internal;

/**
 * Decides, chunk by chunk, whether to send under a silence policy: keep sending, or pause once every
 * chunk has stayed below a peak level for a while and resume at the first chunk above it. Sender
 * thread only; the silent time is published for the status. Allocates nothing.
 */
public final class SilenceGate {
    private static final long NONE = Long.MIN_VALUE;

    /** What to do with a chunk. */
    public enum Action {
        /** Send it. */
        SEND,
        /** Send it: it is the first sound after a pause. */
        RESUME,
        /** Do not send it: the input has now been silent long enough. */
        PAUSE,
        /** Do not send it: still paused. */
        SKIP
    }

    private final boolean pauses;
    private final long afterNanos;
    private final double thresholdDbfs;
    private volatile long silentSince = NONE;
    private volatile boolean paused;

    /**
     * @param pauses whether to pause at all (else every chunk is sent, and only the silence is measured)
     * @param afterNanos how long the input must stay below the threshold before pausing
     * @param thresholdDbfs the peak level below which a chunk is silent
     */
    public SilenceGate(boolean pauses, long afterNanos, double thresholdDbfs) {
        this.pauses = pauses;
        this.afterNanos = afterNanos;
        this.thresholdDbfs = thresholdDbfs;
    }

    /** Decide about a chunk whose peak level is {@code peakDbfs}, taken at {@code nowNanos}. */
    public Action onChunk(long nowNanos, double peakDbfs) {
        if (peakDbfs >= thresholdDbfs) {
            silentSince = NONE;
            if (paused) {
                paused = false;
                return Action.RESUME;
            }
            return Action.SEND;
        }
        if (silentSince == NONE) {
            silentSince = nowNanos;
        }
        if (!pauses) {
            return Action.SEND;
        }
        if (paused) {
            return Action.SKIP;
        }
        if (nowNanos - silentSince >= afterNanos) {
            paused = true;
            return Action.PAUSE;
        }
        return Action.SEND;
    }

    /** Start over (a new connection): not paused, no silence seen yet. */
    public void reset() {
        silentSince = NONE;
        paused = false;
    }

    public boolean paused() {
        return paused;
    }

    /** Return how long the input has been silent at {@code nowNanos}, 0 if it is not. */
    public long silentNanos(long nowNanos) {
        long since = silentSince;
        return since == NONE ? 0 : Math.max(0, nowNanos - since);
    }
}
