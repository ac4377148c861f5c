package dev.streamer.core.internal;

import java.util.Locale;

/**
 * Moves the ring's effective capacity within a range: quickly up when trouble appears,
 * slowly down after a stable period. Called about once a second from the status thread with what
 * happened since the previous call; the clock is injected, so it is tested without waiting.
 *
 * <p>Trouble is, in this order of precedence for the reason given: a write that stalled (took
 * longer than the stall threshold, or is still blocked that long), audio dropped (ring overflow or
 * standing-backlog drop), or network jitter above the jitter band. An underrun (the sender starved
 * for audio) is not trouble: the source delivered late or not at all, and a larger ring holds no
 * audio that never came. On trouble the capacity grows by half (at least
 * {@value #MIN_GROWTH_MILLIS} ms), at most once per grow interval. After {@code stableAfter}
 * without trouble and without a change, it shrinks by a tenth, never below the range's minimum nor
 * below twice the audio held.
 */
public final class AdaptiveController {
    private static final long NEVER = Long.MIN_VALUE;
    /** The smallest growth step. */
    public static final int MIN_GROWTH_MILLIS = 1000;

    /** A change of capacity and why. */
    public record Change(int fromMillis, int toMillis, String reason) {
        public boolean grew() {
            return toMillis > fromMillis;
        }
    }

    private final int minMillis;
    private final int maxMillis;
    private final double jitterBandMillis;
    private final long stableNanos;
    private final long growIntervalNanos;
    private int capacityMillis;
    private long lastTrouble;
    private long lastChange;
    private long lastGrowth = NEVER;
    private int changes;
    private String lastReason = "";

    /**
     * @param minMillis smallest capacity
     * @param maxMillis largest capacity
     * @param jitterBandMillis network jitter above which the capacity grows
     * @param stableNanos time without trouble before each shrink step
     * @param growIntervalNanos shortest time between two growth steps
     * @param initialMillis the capacity now
     */
    public AdaptiveController(int minMillis, int maxMillis, double jitterBandMillis, long stableNanos, long growIntervalNanos,
                              int initialMillis, long nowNanos) {
        if (initialMillis < minMillis || initialMillis > maxMillis) {
            throw new IllegalArgumentException("initial capacity " + initialMillis + " ms is outside " + minMillis + ".." + maxMillis
                    + " ms");
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.jitterBandMillis = jitterBandMillis;
        this.stableNanos = stableNanos;
        this.growIntervalNanos = growIntervalNanos;
        this.capacityMillis = initialMillis;
        this.lastTrouble = nowNanos;
        this.lastChange = nowNanos;
    }

    /**
     * Look at what happened since the last call and maybe change the capacity.
     *
     * @param stalledMillis the longest write stall seen (0 if none), including one still going on
     * @param droppedMillis audio dropped since the last call (ring overflow, standing backlog)
     * @param jitterMillis the current network jitter estimate
     * @param bufferedMillis audio in the ring now
     * @return the change made, or null
     */
    public Change tick(long nowNanos, long stalledMillis, long droppedMillis, double jitterMillis, long bufferedMillis) {
        String trouble = null;
        if (stalledMillis > 0) {
            trouble = "a write stalled for " + stalledMillis + " ms";
        } else if (droppedMillis > 0) {
            trouble = droppedMillis + " ms of audio dropped";
        } else if (jitterMillis > jitterBandMillis) {
            trouble = String.format(Locale.ROOT, "network jitter %.1f ms above the %s ms band", jitterMillis,
                    formatBand(jitterBandMillis));
        }
        if (trouble != null) {
            lastTrouble = nowNanos;
            if (capacityMillis < maxMillis && (lastGrowth == NEVER || nowNanos - lastGrowth >= growIntervalNanos)) {
                int grown = Math.min(maxMillis, capacityMillis + Math.max(MIN_GROWTH_MILLIS, capacityMillis / 2));
                lastGrowth = nowNanos;
                return change(nowNanos, grown, trouble);
            }
            return null;
        }
        if (capacityMillis > minMillis && nowNanos - lastTrouble >= stableNanos && nowNanos - lastChange >= stableNanos) {
            int shrunk = Math.max(minMillis, capacityMillis - capacityMillis / 10);
            shrunk = (int) Math.max(shrunk, Math.min(capacityMillis, 2 * bufferedMillis));
            if (shrunk < capacityMillis) {
                return change(nowNanos, shrunk, "stable for " + (nowNanos - Math.max(lastTrouble, lastChange)) / 1_000_000_000L + " s");
            }
        }
        return null;
    }

    /** Not streaming (connecting, reconnecting, paused): nothing to judge; the stable period starts again. */
    public void hold(long nowNanos) {
        lastTrouble = Math.max(lastTrouble, nowNanos);
    }

    private Change change(long nowNanos, int to, String reason) {
        Change change = new Change(capacityMillis, to, reason);
        capacityMillis = to;
        lastChange = nowNanos;
        changes++;
        lastReason = reason;
        return change;
    }

    private static String formatBand(double band) {
        return band == Math.rint(band) ? Long.toString((long) band) : Double.toString(band);
    }

    public int capacityMillis() {
        return capacityMillis;
    }

    /** Return how many times the capacity changed. */
    public int changes() {
        return changes;
    }

    /** Return the reason of the last change, empty if none. */
    public String lastReason() {
        return lastReason;
    }
}
