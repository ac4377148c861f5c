package dev.streamer.transport.tcp;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps {@code close()} from releasing a socket while the sender is inside {@code write()}, with one
 * compare-and-set per chunk instead of a lock on the audio path.
 *
 * <p>One thread writes; any thread may close. The closer first tells the writer to stop (a flag and a
 * selector wake-up, so the writer leaves within microseconds), then {@link #close} waits for it to
 * leave. Whoever is inside (the writer between {@link #enter} and {@link #leave}, or the closer after
 * {@link #close} returned true) owns the link's state; the atomic's ordering publishes it to the next.
 */
final class WriteGate {
    private static final int OPEN = 0;
    private static final int WRITING = 1;
    private static final int CLOSED = 2;
    private static final long PAUSE_NANOS = 20_000;

    private final AtomicInteger state = new AtomicInteger(OPEN);

    /** Enter a write; return false once the gate is closed. */
    boolean enter() {
        return state.compareAndSet(OPEN, WRITING);
    }

    /** Leave a write entered with {@link #enter}. */
    void leave() {
        state.set(OPEN);
    }

    /**
     * Close the gate once no write is inside.
     *
     * @return true for the call that closed it (it then owns the link), false if it was already closed
     */
    boolean close() {
        while (true) {
            if (state.compareAndSet(OPEN, CLOSED)) {
                return true;
            }
            if (state.get() == CLOSED) {
                return false;
            }
            LockSupport.parkNanos(PAUSE_NANOS); // the writer was told to stop and is on its way out
        }
    }
}
