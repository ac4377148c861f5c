package dev.streamer.core.internal;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each span of the ring's byte stream was captured, so that the sender can tell how long the
 * audio it writes waited in streamer (the sender-added latency).
 *
 * <p>The capture thread {@link #mark marks} the stream position just past each span it appended to
 * the ring, with the time its source read returned; the sender asks for the {@link #arrivalOf
 * arrival} of the first byte of each chunk. Marks go into a preallocated circle of {@value #SIZE}
 * entries (one per source read of 5 to 12 ms: 20 to 49 s, more than any ring holds), so neither
 * side allocates or locks; a mark overwritten before the sender looked at it reads as unknown,
 * never as a wrong time.
 */
public final class ArrivalClock {
    public static final int SIZE = 4096;
    private static final int MASK = SIZE - 1;
    /** Returned when the arrival is not known (never marked, or overwritten). */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private final long[] ends = new long[SIZE];
    private final long[] times = new long[SIZE];
    private final AtomicLong marks = new AtomicLong();
    private long cursor; // consumer only: the oldest mark that may still cover a later lookup

    /** Record that the stream up to {@code endPosition} (exclusive) arrived at {@code nanos}. Producer only. */
    public void mark(long endPosition, long nanos) {
        long n = marks.getPlain();
        int slot = (int) (n & MASK);
        ends[slot] = endPosition;
        times[slot] = nanos;
        marks.setRelease(n + 1);
    }

    /**
     * Return when the byte at stream {@code position} arrived, or {@link #UNKNOWN}. Consumer only,
     * with positions that never go back.
     */
    public long arrivalOf(long position) {
        long published = marks.getAcquire();
        // the slot of mark n is rewritten while marks == n + SIZE - 1 .. n + SIZE: look at younger ones only
        long oldest = published - SIZE + 1;
        if (cursor < oldest) {
            // marks were lost: a span starts where the one before it ends, so the oldest kept mark
            // only says where the next one starts; a position before that is too old to place
            long floor = ends[(int) (oldest & MASK)];
            VarHandle.acquireFence();
            if (marks.getAcquire() - oldest >= SIZE) {
                return UNKNOWN; // overwritten while read; the next look-up starts further on
            }
            cursor = oldest + 1;
            if (position < floor) {
                return UNKNOWN;
            }
        }
        while (cursor < published) {
            int slot = (int) (cursor & MASK);
            long end = ends[slot];
            long time = times[slot];
            // the reads above must happen before the check below (a seqlock's read side)
            VarHandle.acquireFence();
            if (marks.getAcquire() - cursor >= SIZE) {
                return UNKNOWN; // overwritten while read: too old to know
            }
            if (end > position) {
                return time;
            }
            cursor++;
        }
        return UNKNOWN;
    }
}
