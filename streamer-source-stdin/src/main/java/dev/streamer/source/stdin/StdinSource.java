package dev.streamer.source.stdin;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Reads raw PCM from standard input.
 *
 * <p>A read of standard input has no timeout in Java, and closing {@code System.in} does not wake a
 * thread blocked in it: on Linux the JDK only points file descriptor 0 at {@code /dev/null}, the
 * blocked {@code read(2)} goes on (verified with a pipe and a FIFO). So a dedicated thread,
 * {@code streamer-stdin}, pumps standard input into a ring allocated at open, and {@link #read}
 * takes whole frames from that ring, waiting at most about two periods, like the {@code javasound}
 * source. A partial frame stays in the ring for the next read. Standard input is read through a
 * {@link java.nio.channels.FileChannel}, which is interruptible: {@link #close} closes it, which
 * wakes the pump at once (the JDK signals the blocked thread), so nothing is left behind.
 *
 * <p>When the engine does not keep up, the ring fills, the pump stops reading and the producer
 * blocks on the pipe: nothing is lost here. At end of input, the whole frames in the ring are
 * delivered, then {@code read} returns -1.
 */
final class StdinSource implements Source {

    private static final long MILLIS = 1_000_000L;
    private static final long MIN_WAIT_NANOS = 20 * MILLIS;
    private static final int MIN_RING_BYTES = 1 << 16;
    private static final Duration PUMP_STOP = Duration.ofMillis(500);

    private final StdinSettings settings;
    private final System.Logger logger;
    private final LongSupplier clock;
    private final InputStream injected; // null: the process's standard input
    private final Object stateLock = new Object();

    private volatile boolean closed;
    private volatile InputStream in;
    private volatile Thread pump;      // reads `in` into the ring
    private volatile Thread consumer;  // the capture thread, woken when bytes arrive
    private volatile long written;     // bytes the pump has put in the ring since open
    private volatile long consumed;    // bytes read() has taken from it
    private volatile boolean ended;    // the pump saw end of input, or failed
    private volatile IOException failure;

    // Set by open(), before the pump starts.
    private byte[] ring;
    private PcmFormat format;
    private int frameSize;
    private long maxWaitNanos;
    private boolean partialReported;

    StdinSource(StdinSettings settings, PluginContext context) {
        this(settings, context, null);
    }

    /** A source that reads {@code input} instead of standard input (tests). */
    StdinSource(StdinSettings settings, PluginContext context, InputStream input) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.logger = context.logger();
        this.clock = context.nanoClock();
        this.injected = input;
    }

    /** Start pumping standard input; return the format of the settings, whatever the wire format is. */
    @Override
    public PcmFormat open(PcmFormat preferred, int periodFrames) throws SourceException {
        Objects.requireNonNull(preferred, "preferred");
        if (periodFrames < 1) {
            throw new IllegalArgumentException("periodFrames " + periodFrames + " is not positive");
        }
        synchronized (stateLock) {
            if (closed) {
                throw new SourceException("The stdin source was closed before it was opened.");
            }
            if (ring != null) {
                throw new IllegalStateException("already open: " + describe());
            }
            PcmFormat f = settings.format();
            this.format = f;
            this.frameSize = f.frameSize();
            this.maxWaitNanos = Math.max(2 * f.nanosFor(f.bytes(periodFrames)), MIN_WAIT_NANOS);
            this.ring = new byte[Math.max(MIN_RING_BYTES, f.bytesForMillis(250))];
            this.in = injected != null ? injected : standardInput();
            logger.log(Level.INFO, () -> "stdin: reading raw " + f + " from standard input"
                    + (f.equals(preferred) ? "" : "; the engine converts it to " + preferred));
            pump = Thread.ofPlatform().name("streamer-stdin").daemon().start(this::pump);
            return f;
        }
    }

    /** Standard input as an interruptible channel: closing it wakes a read blocked in it. */
    private static InputStream standardInput() {
        return Channels.newInputStream(new FileInputStream(FileDescriptor.in).getChannel());
    }

    /** The pump thread: fill the ring from the input until it ends, fails or the source closes. */
    private void pump() {
        byte[] r = ring;
        int capacity = r.length;
        try {
            while (!closed) {
                long w = written;
                int free = (int) (capacity - (w - consumed));
                if (free == 0) {
                    LockSupport.parkNanos(this, MIN_WAIT_NANOS); // read() wakes us when it takes bytes
                    continue;
                }
                int at = (int) (w % capacity);
                int n = in.read(r, at, Math.min(free, capacity - at));
                if (n < 0) {
                    break;
                }
                written = w + n; // publishes the bytes to read()
                wake(consumer);
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                failure = e instanceof IOException io ? io : new IOException(e);
            }
        } finally {
            ended = true;
            wake(consumer);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws SourceException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (closed) {
            return -1;
        }
        if (ring == null) {
            throw new IllegalStateException("read before open");
        }
        if (length < frameSize) {
            throw new IllegalArgumentException("length " + length + " is less than one frame of " + frameSize + " bytes");
        }
        consumer = Thread.currentThread();
        long deadline = clock.getAsLong() + maxWaitNanos;
        long available;
        while ((available = written - consumed) < frameSize) {
            if (closed) {
                return -1;
            }
            if (ended) {
                if (written - consumed >= frameSize) {
                    continue; // the last bytes came in just before the end
                }
                return end();
            }
            long left = deadline - clock.getAsLong();
            if (left <= 0) {
                return 0; // no whole frame arrived in time
            }
            LockSupport.parkNanos(this, left);
        }
        if (closed) {
            return -1;
        }
        int n = (int) Math.min(available, length) / frameSize * frameSize;
        int capacity = ring.length;
        int at = (int) (consumed % capacity);
        int first = Math.min(n, capacity - at);
        System.arraycopy(ring, at, buffer, offset, first);
        System.arraycopy(ring, 0, buffer, offset + first, n - first);
        consumed += n; // frees the space for the pump
        wake(pump);
        return n;
    }

    /** The input has ended: report a failure, or a partial frame left over, then the end. */
    private int end() throws SourceException {
        IOException e = failure;
        if (e != null) {
            throw new SourceException("stdin: reading standard input failed: " + e.getMessage(), e);
        }
        long partial = written - consumed;
        if (partial > 0 && !partialReported) {
            partialReported = true;
            logger.log(Level.WARNING, () -> "stdin: the input ended inside a frame; its last " + partial + " bytes are dropped."
                    + " Check that the settings (" + format + ") match what the producer writes");
        }
        return -1;
    }

    @Override
    public String describe() {
        return "stdin: raw " + settings.format() + (closed ? " (closed)" : "");
    }

    /** Idempotent: wakes a waiting read (which returns -1) and closes the input, which ends the pump. */
    @Override
    public void close() {
        InputStream input;
        Thread p;
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            input = in;
            p = pump;
        }
        wake(consumer);
        if (input != null) {
            try {
                input.close();
            } catch (IOException e) {
                logger.log(Level.DEBUG, () -> "stdin: closing standard input: " + e);
            }
        }
        if (p != null) {
            wake(p);
            try {
                if (!p.join(PUMP_STOP)) {
                    logger.log(Level.WARNING, "stdin: the thread reading standard input is still blocked after close;"
                            + " it ends with the process");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void wake(Thread thread) {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
