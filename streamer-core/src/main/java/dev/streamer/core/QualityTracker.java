package dev.streamer.core;

/**
 * Keeps the recent history the {@link QualityScore} needs (audio lost, TCP retransmissions and link
 * failures over the last minute) and logs nothing itself: it reports when the quality degrades below
 * {@value QualityScore#FAIR} and when it recovers to {@value QualityScore#GOOD}, with hysteresis so
 * that a score hovering around one bound does not flap. Status thread only; preallocated.
 */
final class QualityTracker {
    private static final int SLOTS = 64;

    /** A rating and whether it crossed a bound. */
    public record Rating(int score, String label, double jitterMillis, long lostMillis, long retransmits, long failures,
                         double fill, Transition transition) {
    }

    /** A change worth logging. */
    public enum Transition { NONE, DEGRADED, RECOVERED }

    private final long windowNanos;
    private final long[] times = new long[SLOTS];
    private final long[] lost = new long[SLOTS];
    private final long[] failures = new long[SLOTS];
    private final long[] retransmits = new long[SLOTS];
    private int next;
    private int size;
    private boolean degraded;

    public QualityTracker(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Record the cumulative counters at {@code nowNanos}; call at every rating interval, connected or not. */
    public void sample(long nowNanos, long cumulativeLostMillis, long cumulativeFailures, long cumulativeRetransmits) {
        times[next] = nowNanos;
        lost[next] = cumulativeLostMillis;
        failures[next] = cumulativeFailures;
        retransmits[next] = cumulativeRetransmits;
        next = (next + 1) % SLOTS;
        size = Math.min(SLOTS, size + 1);
    }

    /** Rate the link now; {@link #sample} first. */
    public Rating rate(long nowNanos, double jitterMillis, double fill) {
        if (size == 0) {
            throw new IllegalStateException("no sample yet");
        }
        int newest = (next - 1 + SLOTS) % SLOTS;
        int oldest = newest;
        for (int i = 1; i < size; i++) {
            int slot = (newest - i + SLOTS) % SLOTS;
            if (nowNanos - times[slot] > windowNanos) {
                break;
            }
            oldest = slot;
        }
        long lostRecently = lost[newest] - lost[oldest];
        long failuresRecently = failures[newest] - failures[oldest];
        long retransmitsRecently = retransmits[newest] - retransmits[oldest];
        int score = QualityScore.score(jitterMillis, lostRecently, retransmitsRecently, failuresRecently, fill);
        Transition transition = Transition.NONE;
        if (!degraded && score < QualityScore.FAIR) {
            degraded = true;
            transition = Transition.DEGRADED;
        } else if (degraded && score >= QualityScore.GOOD) {
            degraded = false;
            transition = Transition.RECOVERED;
        }
        return new Rating(score, QualityScore.label(score), jitterMillis, lostRecently, retransmitsRecently, failuresRecently, fill,
                transition);
    }

    public boolean degraded() {
        return degraded;
    }
}
