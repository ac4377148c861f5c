package dev.streamer.testkit;

import dev.streamer.api.spi.Pacer;
import java.util.function.LongSupplier;

/**
 * A monotonic clock that moves only when a source waits on it ({@link Pacer}): its {@link #parkNanos}
 * advances time by exactly what was asked, so pacing is tested to the nanosecond without sleeping.
 */
public final class FakeClock implements LongSupplier, Pacer.Parker {
    private volatile long now;
    private volatile long parks;

    public FakeClock(long start) {
        this.now = start;
    }

    @Override
    public long getAsLong() {
        return now;
    }

    @Override
    public void parkNanos(Object blocker, long nanos) {
        now += nanos;
        parks++;
    }

    /** Let time pass without the source waiting: the capture thread was late. */
    public void advance(long nanos) {
        now += nanos;
    }

    /** How many times a source waited. */
    public long parks() {
        return parks;
    }
}
