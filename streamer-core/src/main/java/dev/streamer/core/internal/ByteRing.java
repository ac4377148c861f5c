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
 * standing backlog below its latency target long before the ring fills, so this only happens when
 * the sender is stuck (a write blocked up to its timeout).
 *
 * <p>The byte array is allocated once, at the largest capacity the ring may ever need. The
 * <em>effective</em> capacity ({@link #limit()}) is what the producer respects; the adaptive
 * controller moves it with {@link #setLimit} between two writes, from any thread, without
 * allocating or copying: positions are taken modulo the array length, whatever the limit.
 */
public final class ByteRing {
    private final byte[] data;
    private final int capacity;
    private final int frameSize;
    private final AtomicLong writePosition = new AtomicLong();
    private final AtomicLong readPosition = new AtomicLong();
    // Effective capacity in bytes, whole frames, 1 frame .. capacity; read by the producer on every write.
    private volatile int limit;
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
        this.limit = capacity;
    }

    /** Return the size of the preallocated array: the largest effective capacity possible. */
    public int capacity() {
        return capacity;
    }

    /** Return the effective capacity: the most the producer may hold before it drops the newest audio. */
    public int limit() {
        return limit;
    }

    /**
     * Set the effective capacity, rounded down to whole frames and clamped to one frame ..
     * {@link #capacity()}. Allocates nothing. Audio already held beyond a lowered limit stays; the
     * producer writes again once the consumer has read below it.
     *
     * @return the limit now in force
     */
    public int setLimit(int bytes) {
        int clamped = Math.max(frameSize, Math.min(capacity, bytes));
        clamped -= clamped % frameSize;
        limit = clamped;
        return clamped;
    }

    /** Return the stream position just past the last byte written: bytes ever written. Producer only. */
    public long writePosition() {
        return writePosition.getPlain();
    }

    /** Return the stream position of the next byte to read: bytes ever read or skipped. Consumer only. */
    public long readPosition() {
        return readPosition.getPlain();
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
        int free = limit - (int) (write - readPosition.getAcquire());
        int count = Math.max(0, Math.min(length, free));
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
        int dropped = excess(keepBytes);
        skip(dropped);
        return dropped;
    }

    /**
     * Return how many bytes {@link #discardDownTo discardDownTo(keepBytes)} would drop now, whole
     * frames. Consumer only: the answer can only grow until the consumer reads or skips, so a
     * caller can count the audio it is about to drop before it drops it.
     */
    public int excess(int keepBytes) {
        int excess = available() - Math.max(0, keepBytes);
        return excess <= 0 ? 0 : excess + (frameSize - excess % frameSize) % frameSize;
    }

    /** Drop the oldest {@code bytes} (whole frames, at most what is available). Consumer only. */
    public void skip(int bytes) {
        if (bytes <= 0) {
            return;
        }
        long read = readPosition.getPlain();
        if (bytes > (int) (writePosition.getAcquire() - read) || bytes % frameSize != 0) {
            throw new IllegalArgumentException("cannot skip " + bytes + " bytes of " + available() + " in frames of " + frameSize);
        }
        readPosition.setRelease(read + bytes);
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
