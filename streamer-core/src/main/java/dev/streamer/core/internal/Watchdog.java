package dev.streamer.core.internal;

import java.time.Duration;

/**
 * Tells a sender thread that has stopped running from one that is merely disconnected.
 *
 * <p>The sender beats on every pass of its loops: after each chunk, and at least every 100 ms
 * while it waits for audio, for a connection or for the next reconnect attempt. So a sender that
 * waits or backs off keeps beating; only a thread that is stuck stops. It is declared stuck when
 * it has not beaten for
 * <ul>
 *   <li>{@code 2 x heartbeat} while it is inside a link write: the transport bounds a write by
 *       its own write timeout, so a write that outlasts two heartbeats means a broken transport;
 *   <li>{@value #IDLE_LIMIT_SECONDS} s (or {@code 2 x heartbeat} if shorter) anywhere else, where
 *       it should never be silent for more than a fraction of a second.
 * </ul>
 * Used by the status thread only.
 */
public final class Watchdog {
    static final int IDLE_LIMIT_SECONDS = 5;

    /** What changed. */
    public enum Verdict {
        /** Beating. */
        ALIVE,
        /** Just found stuck: report loudly. */
        STUCK,
        /** Still stuck: already reported. */
        STILL_STUCK,
        /** Beating again after being stuck. */
        RECOVERED
    }

    private final long inWriteLimitNanos;
    private final long idleLimitNanos;
    private boolean stuck;

    public Watchdog(Duration heartbeat) {
        this.inWriteLimitNanos = 2 * heartbeat.toNanos();
        this.idleLimitNanos = Math.min(inWriteLimitNanos, Duration.ofSeconds(IDLE_LIMIT_SECONDS).toNanos());
    }

    /**
     * @param lastBeatNanos when the sender last beat
     * @param inWrite whether it is inside a link write now
     */
    public Verdict check(long nowNanos, long lastBeatNanos, boolean inWrite) {
        boolean silent = nowNanos - lastBeatNanos > (inWrite ? inWriteLimitNanos : idleLimitNanos);
        if (silent) {
            if (stuck) {
                return Verdict.STILL_STUCK;
            }
            stuck = true;
            return Verdict.STUCK;
        }
        if (stuck) {
            stuck = false;
            return Verdict.RECOVERED;
        }
        return Verdict.ALIVE;
    }

    public boolean stuck() {
        return stuck;
    }

    /** Return the silence after which the sender counts as stuck. */
    public Duration limit(boolean inWrite) {
        return Duration.ofNanos(inWrite ? inWriteLimitNanos : idleLimitNanos);
    }
}
