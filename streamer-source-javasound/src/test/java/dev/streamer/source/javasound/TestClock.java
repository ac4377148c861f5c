package dev.streamer.source.javasound;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Monotonic time that a test can move forward at once, to simulate a stall without waiting for it. */
final class TestClock implements LongSupplier {

    private final AtomicLong offset = new AtomicLong();

    @Override
    public long getAsLong() {
        return System.nanoTime() + offset.get();
    }

    void advanceMillis(long millis) {
        offset.addAndGet(millis * 1_000_000L);
    }
}
