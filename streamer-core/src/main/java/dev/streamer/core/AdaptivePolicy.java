package dev.streamer.core;

import java.time.Duration;

/**
 * How the adaptive controller moves the ring's effective capacity.
 *
 * <p>It grows quickly: by half its size, at least {@value #MIN_GROWTH_MILLIS} ms, at most once per
 * {@code growInterval}, when a write stalls, audio is dropped or the network jitter exceeds
 * {@code jitterBandMillis}. It shrinks slowly: by a tenth after {@code stableAfter} without any of
 * these, and again after each further {@code stableAfter}. It always stays within
 * {@code minMillis..maxMillis}; {@code minMillis == maxMillis} turns it off.
 *
 * @param minMillis smallest effective capacity
 * @param maxMillis largest effective capacity; the ring's memory is allocated at this size
 * @param jitterBandMillis network jitter above which the ring grows
 * @param stableAfter how long without trouble before each shrink step (default 30 s)
 * @param growInterval the shortest time between two growth steps (default 3 s)
 */
public record AdaptivePolicy(int minMillis, int maxMillis, double jitterBandMillis, Duration stableAfter, Duration growInterval) {

    /** Smallest growth step. */
    public static final int MIN_GROWTH_MILLIS = dev.streamer.core.internal.AdaptiveController.MIN_GROWTH_MILLIS;
    /** Default time without trouble before a shrink step. */
    public static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(30);
    /** Default shortest time between two growth steps. */
    public static final Duration DEFAULT_GROW_INTERVAL = Duration.ofSeconds(3);

    public AdaptivePolicy {
        if (minMillis < 100 || maxMillis > 60_000 || minMillis > maxMillis) {
            throw new IllegalArgumentException("adaptive range " + minMillis + ".." + maxMillis
                    + " ms is not a range within 100..60000 ms");
        }
        if (!(jitterBandMillis > 0)) {
            throw new IllegalArgumentException("adaptive jitter band must be positive, got " + jitterBandMillis + " ms");
        }
        if (stableAfter.compareTo(Duration.ofSeconds(1)) < 0 || stableAfter.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("adaptive stable period " + stableAfter.toSeconds() + " s is outside 1..3600 s");
        }
        if (growInterval.isNegative()) {
            throw new IllegalArgumentException("adaptive grow interval must not be negative");
        }
    }

    /** The preset's range and jitter band, with the default timings. */
    public static AdaptivePolicy of(NetworkPreset preset) {
        return new AdaptivePolicy(preset.adaptiveMinMillis(), preset.adaptiveMaxMillis(), preset.jitterBandMillis(),
                DEFAULT_STABLE_AFTER, DEFAULT_GROW_INTERVAL);
    }

    /** A fixed capacity: the controller never moves it. */
    public static AdaptivePolicy fixed(int ringMillis) {
        return new AdaptivePolicy(ringMillis, ringMillis, NetworkPreset.DEFAULT.jitterBandMillis(), DEFAULT_STABLE_AFTER,
                DEFAULT_GROW_INTERVAL);
    }

    /** Return whether the controller can move the capacity at all. */
    public boolean enabled() {
        return minMillis < maxMillis;
    }

    public AdaptivePolicy withStableAfter(Duration value) {
        return new AdaptivePolicy(minMillis, maxMillis, jitterBandMillis, value, growInterval);
    }
}
