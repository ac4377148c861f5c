package dev.streamer.core.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Lock-free single-producer/single-consumer ring of audio bytes, preallocated and frame-aligned.
 *
 * <p>The capture thread is the only producer ({@link #write}); the sender thread is the only
 * consumer ({@link #read}, {@link #discardDownTo}, {@link #awaitAvailable}). Positions grow
 * forever (a long of bytes lasts millions of years of audio) and are published with release/acquire
 * ordering, so the data copied before a position is published is visible to the other side.
 *
 * <p>When the ring is full the producer drops the newest audio and reports how much: the consumer
 * alone owns the read position, so the producer cannot drop the oldest. The consumer keeps the
 * backlog below its latency target long before the ring fills, so this only happens when the
 * sender is stuck (a write blocked up to its timeout).
 */
public final class ByteRing {
    private final byte[] data;
    private final int capacity;
    private final int frameSize;
    private final AtomicLong writePosition = new AtomicLong();
    private final AtomicLong readPosition = new AtomicLong();
    // The consumer thread while it is parked waiting for audio, otherwise null.
    private volatile Thread waitingConsumer;
    // Set once when the engine stops: every wait returns at once from then on.
    private volatile boolean consumerReleased;

    public ByteRing(int capacityBytes, int frameSize) {
        if (frameSize <= 0 || capacityBytes < frameSize) {
            throw new IllegalArgumentException("ring of " + capacityBytes + " bytes cannot hold a " + frameSize + "-byte frame");
        }
        this.frameSize = frameSize;
        this.capacity = capacityBytes - capacityBytes % frameSize;
        this.data = new byte[capacity];
    }

    public int capacity() {
        return capacity;
    }

    /** Return the bytes waiting to be read. Either side may call it; the answer may be stale at once. */
    public int available() {
        return (int) (writePosition.getAcquire() - readPosition.getAcquire());
    }

    /**
     * Append whole frames from {@code source}, as many as fit. Producer only.
     *
     * @return the bytes written; {@code length - result} bytes were dropped because the ring was full
     */
    public int write(byte[] source, int offset, int length) {
        long write = writePosition.getPlain();
        int free = capacity - (int) (write - readPosition.getAcquire());
        int count = Math.min(length, free);
        count -= count % frameSize;
        if (count > 0) {
            int start = (int) (write % capacity);
            int first = Math.min(count, capacity - start);
            System.arraycopy(source, offset, data, start, first);
            System.arraycopy(source, offset + first, data, 0, count - first);
            writePosition.setRelease(write + count);
        }
        Thread waiting = waitingConsumer;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
        return count;
    }

    /** Move exactly {@code length} bytes into {@code target}. Consumer only; {@code length} must be available. */
    public void read(ByteBuffer target, int length) {
        long read = readPosition.getPlain();
        if (length > (int) (writePosition.getAcquire() - read)) {
            throw new IllegalStateException("asked for " + length + " bytes, " + available() + " available");
        }
        int start = (int) (read % capacity);
        int first = Math.min(length, capacity - start);
        target.put(data, start, first);
        target.put(data, 0, length - first);
        readPosition.setRelease(read + length);
    }

    /**
     * Drop the oldest audio so that at most {@code keepBytes} (rounded down to frames) remain.
     * Consumer only.
     *
     * @return the bytes dropped
     */
    public int discardDownTo(int keepBytes) {
        long read = readPosition.getPlain();
        int excess = (int) (writePosition.getAcquire() - read) - Math.max(0, keepBytes);
        if (excess <= 0) {
            return 0;
        }
        int dropped = excess + (frameSize - excess % frameSize) % frameSize;
        readPosition.setRelease(read + dropped);
        return dropped;
    }

    /** Make every current and future {@link #awaitAvailable} return at once; used to stop the consumer. */
    public void releaseConsumer() {
        consumerReleased = true;
        Thread waiting = waitingConsumer;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    /**
     * Wait until at least {@code bytes} are available or {@code timeoutNanos} passed. Consumer only.
     *
     * @return whether the bytes are available; false after the timeout or {@link #releaseConsumer}
     */
    public boolean awaitAvailable(int bytes, long timeoutNanos) {
        if (available() >= bytes) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        waitingConsumer = Thread.currentThread();
        try {
            while (available() < bytes) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || consumerReleased) {
                    return false;
                }
                // The producer unparks after each write; the timeout bounds a lost wake-up.
                LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            waitingConsumer = null;
        }
    }
}
