package dev.streamer.api.spi;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces a source that could deliver audio faster than it plays (a file, a generator) like a
 * capture device: frame {@code n} is due at {@code start + n / rate} seconds on the plugin's
 * monotonic clock ({@link PluginContext#nanoClock()}), and {@link #awaitFrames} returns when it is.
 *
 * <p>Every deadline is computed from the start, never from the previous read, so rounding and late
 * wake-ups never add up to drift. A caller that comes late gets its frames at once and catches up,
 * as from a device's buffer.
 *
 * <p>Threading: {@link #start} and {@link #awaitFrames} run on the thread that opens and reads the
 * source (the engine starts its capture thread after {@link Source#open}); {@link #stop} may run on
 * any thread, typically from {@link Source#close}. Nothing is allocated after {@link #start}.
 */
public final class Pacer {

    /** How a paced read waits: production parks the thread; a test moves a fake clock instead of sleeping. */
    @FunctionalInterface
    public interface Parker {
        void parkNanos(Object blocker, long nanos);
    }

    /** A wait looks at {@link #stop} at least this often, even if a wake-up were lost. */
    static final long MAX_PARK_NANOS = 20_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier clock;
    private final Parker parker;
    private volatile boolean stopped;
    private volatile Thread waiter; // the thread in awaitFrames, for stop() to wake

    private int sampleRate;
    private long startNanos;

    /** A pacer that parks the waiting thread. */
    public Pacer(LongSupplier clock) {
        this(clock, LockSupport::parkNanos);
    }

    public Pacer(LongSupplier clock, Parker parker) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.parker = Objects.requireNonNull(parker, "parker");
    }

    /** Start now: frame 0 is due at once, frame {@code sampleRate} one second from now. */
    public void start(int sampleRate) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " is not positive");
        }
        this.sampleRate = sampleRate;
        this.startNanos = clock.getAsLong();
    }

    /**
     * Wait until the first {@code frames} frames since the start are due, in waits of at most 20 ms.
     *
     * @return true once they are due; false if {@link #stop} was called, before or during the wait
     */
    public boolean awaitFrames(long frames) {
        if (sampleRate == 0) {
            throw new IllegalStateException("awaitFrames before start");
        }
        waiter = Thread.currentThread();
        for (long wait = dueNanos(frames) - clock.getAsLong(); wait > 0; wait = dueNanos(frames) - clock.getAsLong()) {
            if (stopped) {
                return false;
            }
            parker.parkNanos(this, Math.min(wait, MAX_PARK_NANOS));
        }
        return !stopped;
    }

    /** Idempotent, from any thread: a waiting {@link #awaitFrames} returns false at once, and so does every later one. */
    public void stop() {
        stopped = true;
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** When {@code frames} frames since the start are due: whole seconds and the rest apart, so the product never overflows. */
    long dueNanos(long frames) {
        return startNanos + frames / sampleRate * NANOS_PER_SECOND + frames % sampleRate * NANOS_PER_SECOND / sampleRate;
    }
}
