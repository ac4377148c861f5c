package dev.streamer.source.signal;

import java.util.function.LongSupplier;

/**
 * A monotonic clock that moves only when a source waits on it: its {@link #parkNanos} advances
 * time by exactly what was asked, so pacing is tested to the nanosecond without sleeping.
 */
final class FakeClock implements LongSupplier, SignalSource.Parker {
    private volatile long now;
    private volatile long parks;

    FakeClock(long start) {
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
    void advance(long nanos) {
        now += nanos;
    }

    long parks() {
        return parks;
    }
}
