package dev.streamer.core;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import dev.streamer.api.spi.Transport;
import dev.streamer.api.spi.TransportException;
import dev.streamer.core.internal.ByteRing;
import dev.streamer.core.internal.PcmConverter;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Streams audio from one source to one transport.
 *
 * <p>Data flows one way: the capture thread reads the source, converts to the wire format and
 * appends to a {@link ByteRing}; the sender thread takes whole chunks from the ring and writes them
 * to the transport's link, and owns the connection: it enforces the latency target, counts every
 * failure by kind, and reconnects with {@link ReconnectPolicy backoff}, discarding stale audio
 * while disconnected. Neither thread allocates or locks per chunk. A third, idle-most-of-the-time
 * thread publishes {@link StreamStatus} snapshots.
 *
 * <p>{@link #stop()} completes in well under a second from any state: it releases the sender's
 * waits, closes the source (which unblocks a capture read) and the link (which aborts a blocked
 * write), then joins the threads.
 */
public final class Engine {
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long STOP_JOIN_NANOS = TimeUnit.MILLISECONDS.toNanos(800);

    private final EngineConfig config;
    private final Source source;
    private final Transport transport;
    private final EngineListener listener;
    private final LongSupplier nanoClock;
    private final ReconnectBackoff backoff;
    private final Duration statusInterval;
    private final PcmFormat wire;
    private final int chunkBytes;
    private final int latencyBytes;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    // Released once the final state is set, after the threads were joined.
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean sourceEnded;
    private volatile String failure = "";
    private volatile StreamState state = StreamState.STARTING;
    private volatile Link currentLink;
    private volatile String peer = "";
    private volatile String sourceDescription = "";
    private volatile String lastError = "";

    private ByteRing ring;
    private PcmConverter converter;
    private PcmFormat sourceFormat;
    private Thread captureThread;
    private Thread senderThread;
    private Thread statusThread;
    private long startNanos;

    // Counters: written by one engine thread each, read by the status thread.
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong ringOverflowBytes = new AtomicLong();
    private final AtomicLong latencyDropBytes = new AtomicLong();
    private final AtomicLong staleDrainBytes = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLongArray errors = new AtomicLongArray(TransportException.Kind.values().length);

    private Engine(Builder builder) {
        this.config = builder.config;
        this.source = builder.source;
        this.transport = builder.transport;
        this.listener = builder.listener;
        this.nanoClock = builder.nanoClock;
        this.backoff = new ReconnectBackoff(config.reconnect(), builder.random);
        this.statusInterval = builder.statusInterval;
        this.wire = config.wireFormat();
        this.chunkBytes = config.chunkBytes();
        this.latencyBytes = Math.max(chunkBytes, wire.bytesForMillis(config.latencyTargetMillis()));
    }

    /** Return a builder for an engine that streams {@code source} to {@code transport}. */
    public static Builder builder(EngineConfig config, Source source, Transport transport) {
        return new Builder(config, source, transport);
    }

    /**
     * Open the source and start streaming.
     *
     * @throws SourceException if the source cannot be opened or delivers a rate other than the
     *     wire rate; nothing is left open then
     */
    public void start() throws SourceException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("an engine starts once");
        }
        startNanos = nanoClock.getAsLong();
        int periodFrames = Math.max(1, Math.min(config.chunkFrames(), wire.sampleRate() / 200)); // 5 ms reads
        try {
            sourceFormat = source.open(wire, periodFrames);
            converter = PcmConverter.between(sourceFormat, wire);
        } catch (SourceException | RuntimeException e) {
            source.close();
            transport.close();
            setState(StreamState.FAILED, e.getMessage());
            if (e instanceof IllegalArgumentException mismatch) {
                throw new SourceException(mismatch.getMessage(), mismatch);
            }
            throw e;
        }
        sourceDescription = source.describe();
        ring = new ByteRing(wire.bytesForMillis(config.ringMillis()), wire.frameSize());
        byte[] captureBuffer = new byte[sourceFormat.bytes(periodFrames)];
        byte[] wireBuffer = new byte[converter.outputBytes(captureBuffer.length)];
        LOG.log(Level.INFO, () -> "capturing " + sourceDescription + "; sending " + wire + " to " + transport.target()
                + " in chunks of " + config.chunkFrames() + " frames; ring " + config.ringMillis() + " ms, latency target "
                + config.latencyTargetMillis() + " ms");
        running = true;
        captureThread = Thread.ofPlatform().name("streamer-capture").daemon()
                .unstarted(() -> captureLoop(captureBuffer, wireBuffer));
        senderThread = Thread.ofPlatform().name("streamer-sender").daemon().unstarted(this::sendLoop);
        statusThread = Thread.ofPlatform().name("streamer-status").daemon().unstarted(this::statusLoop);
        captureThread.start();
        senderThread.start();
        statusThread.start();
    }

    /** Stop streaming and release everything; bounded, idempotent, callable from any thread. */
    public void stop() {
        if (!started.get() || !stopRequested.compareAndSet(false, true)) {
            return;
        }
        shutDownThreads();
        long deadline = System.nanoTime() + STOP_JOIN_NANOS;
        join(captureThread, deadline);
        join(senderThread, deadline);
        join(statusThread, deadline);
        finish();
    }

    /**
     * Wait until the engine has stopped: on request, or by itself when the source ended or failed.
     *
     * @return whether it stopped within {@code timeout}
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : new Thread[] {captureThread, senderThread, statusThread}) {
            if (thread == null) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        if (captureThread == null) {
            return true; // never started, or start() failed: nothing runs
        }
        // the threads have ended; the final state is set just after, by whoever called stop()
        return terminated.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Return the current state. */
    public StreamState state() {
        return state;
    }

    /** Return the failure that stopped the engine, empty if none. */
    public String failure() {
        return failure;
    }

    /** Return a snapshot of the engine now. */
    public StreamStatus status() {
        return snapshot(0);
    }

    private void captureLoop(byte[] captureBuffer, byte[] wireBuffer) {
        try {
            while (running) {
                int read = source.read(captureBuffer, 0, captureBuffer.length);
                if (read < 0) {
                    if (running) {
                        sourceEnded = true;
                        LOG.log(Level.INFO, "the source ended: {0}", sourceDescription);
                    }
                    return;
                }
                if (read == 0) {
                    continue;
                }
                int produced;
                int written;
                if (converter.isIdentity()) {
                    produced = read;
                    written = ring.write(captureBuffer, 0, read);
                } else {
                    produced = converter.convert(captureBuffer, 0, read, wireBuffer, 0);
                    written = ring.write(wireBuffer, 0, produced);
                }
                if (written < produced) {
                    ringOverflowBytes.addAndGet(produced - written);
                }
            }
        } catch (SourceException | RuntimeException e) {
            if (running) {
                failure = "capture failed: " + e.getMessage();
                LOG.log(Level.ERROR, failure, e);
                Thread.ofVirtual().start(this::stop);
            }
        }
    }

    private void sendLoop() {
        ByteBuffer chunk = ByteBuffer.allocateDirect(chunkBytes);
        while (running && !drained()) {
            setState(StreamState.CONNECTING, transport.target());
            Link link;
            try {
                link = connect();
            } catch (TransportException e) {
                countFailure(e);
                waitBeforeReconnect();
                continue;
            }
            if (link == null) {
                break; // stopped while connecting
            }
            currentLink = link;
            if (!running) {
                break; // stop() ran just now; the link is closed after the loop
            }
            backoff.connected(nanoClock.getAsLong());
            connects.incrementAndGet();
            peer = link.peer();
            // Audio that piled up while connecting is already old: keep at most the latency target.
            staleDrainBytes.addAndGet(ring.discardDownTo(latencyBytes));
            setState(StreamState.STREAMING, "connected to " + link.peer());
            try {
                pump(link, chunk);
            } catch (TransportException e) {
                if (running) {
                    countFailure(e);
                }
            } finally {
                currentLink = null;
                peer = "";
                link.close();
            }
            if (running && !drained()) {
                waitBeforeReconnect();
            }
        }
        Link left = currentLink;
        if (left != null) {
            currentLink = null;
            left.close();
        }
        if (drained() && running) {
            // The source ended and everything was sent: stop the engine from outside this thread.
            Thread.ofVirtual().start(this::stop);
        }
    }

    /**
     * Open a link on a helper thread while this thread keeps discarding stale audio: a connect can
     * take the connect timeout for every address of the host, longer than the ring holds.
     *
     * @return the link, or null if the engine stopped meanwhile
     */
    private Link connect() throws TransportException {
        CompletableFuture<Link> pending = new CompletableFuture<>();
        Thread.ofVirtual().name("streamer-connect").start(() -> {
            try {
                pending.complete(transport.open(wire));
            } catch (Throwable e) {
                pending.completeExceptionally(e);
            }
        });
        while (true) {
            staleDrainBytes.addAndGet(ring.discardDownTo(latencyBytes));
            if (!running) {
                pending.thenAccept(Link::close); // stop() closed the transport, which aborts the open
                return null;
            }
            try {
                return pending.get(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // still connecting
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TransportException failure) {
                    throw failure;
                }
                throw new TransportException(TransportException.Kind.OTHER, String.valueOf(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.thenAccept(Link::close);
                return null;
            }
        }
    }

    /** Write chunks until the link fails, the engine stops or the source ended and all was sent. */
    private void pump(Link link, ByteBuffer chunk) throws TransportException {
        while (running) {
            if (!ring.awaitAvailable(chunkBytes, IDLE_POLL_NANOS * 5)) {
                if (sourceEnded) {
                    // the capture thread has stopped writing: send what is left, a chunk at most per write
                    for (int rest = ring.available(); rest > 0; rest = ring.available()) {
                        send(link, chunk, Math.min(rest, chunkBytes));
                    }
                    return;
                }
                continue;
            }
            if (ring.available() > latencyBytes) {
                latencyDropBytes.addAndGet(ring.discardDownTo(latencyBytes));
            }
            send(link, chunk, chunkBytes);
        }
    }

    private void send(Link link, ByteBuffer chunk, int length) throws TransportException {
        chunk.clear();
        ring.read(chunk, length);
        chunk.flip();
        link.write(chunk);
        bytesSent.addAndGet(length);
    }

    private boolean drained() {
        return sourceEnded && ring.available() == 0;
    }

    /** Wait out the backoff, discarding audio older than the latency target all the while. */
    private void waitBeforeReconnect() {
        long wait = backoff.failed(nanoClock.getAsLong());
        setState(StreamState.RECONNECTING, String.format("%s; next attempt in %.1f s", lastError, wait / 1e9));
        long deadline = nanoClock.getAsLong() + wait;
        while (running) {
            staleDrainBytes.addAndGet(ring.discardDownTo(latencyBytes));
            long left = deadline - nanoClock.getAsLong();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, Math.min(left, IDLE_POLL_NANOS));
        }
    }

    private void countFailure(TransportException e) {
        errors.incrementAndGet(e.kind().ordinal());
        String message = e.kind().label() + ": " + e.getMessage();
        // A receiver that stays down fails the same way on every attempt: say it once, then count.
        LOG.log(message.equals(lastError) ? Level.DEBUG : Level.WARNING, message);
        lastError = message;
    }

    private void statusLoop() {
        long lastBytes = 0;
        long lastNanos = nanoClock.getAsLong();
        long interval = statusInterval.toNanos();
        while (running) {
            LockSupport.parkNanos(this, interval);
            if (!running) {
                break;
            }
            long now = nanoClock.getAsLong();
            long bytes = bytesSent.get();
            double kbps = now > lastNanos ? (bytes - lastBytes) * 8e6 / (now - lastNanos) : 0;
            lastBytes = bytes;
            lastNanos = now;
            listener.status(snapshot(kbps));
        }
    }

    private StreamStatus snapshot(double bitrateKbps) {
        Map<TransportException.Kind, Long> byKind = new EnumMap<>(TransportException.Kind.class);
        for (TransportException.Kind kind : TransportException.Kind.values()) {
            long count = errors.get(kind.ordinal());
            if (count > 0) {
                byKind.put(kind, count);
            }
        }
        ByteRing r = ring;
        long deviceOverrunMillis = sourceFormat == null ? 0 : source.overrunFrames() * 1000 / sourceFormat.sampleRate();
        return new StreamStatus(state, transport.target(), peer, sourceDescription,
                Duration.ofNanos(started.get() ? nanoClock.getAsLong() - startNanos : 0),
                bytesSent.get(), bitrateKbps, r == null ? 0 : millis(r.available()), config.ringMillis(),
                deviceOverrunMillis, millis(ringOverflowBytes.get()), millis(latencyDropBytes.get()),
                millis(staleDrainBytes.get()), connects.get(), byKind, lastError);
    }

    private long millis(long bytes) {
        return wire.nanosFor(bytes) / 1_000_000;
    }

    private void shutDownThreads() {
        running = false;
        if (ring != null) {
            ring.releaseConsumer();
        }
        if (senderThread != null) {
            LockSupport.unpark(senderThread);
        }
        if (statusThread != null) {
            LockSupport.unpark(statusThread);
        }
        source.close();
        Link link = currentLink;
        if (link != null) {
            link.close();
        }
        transport.close();
    }

    private void finish() {
        try {
            boolean failed = !failure.isEmpty();
            setState(failed ? StreamState.FAILED : StreamState.STOPPED,
                    failed ? failure : sourceEnded ? "the source ended" : "stopped");
            listener.status(snapshot(0));
        } finally {
            terminated.countDown();
        }
    }

    private static void join(Thread thread, long deadlineNanos) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                LOG.log(Level.WARNING, "thread {0} did not stop in time", thread.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void setState(StreamState next, String detail) {
        if (next == state && next != StreamState.RECONNECTING) {
            return;
        }
        state = next;
        LOG.log(next == StreamState.FAILED ? Level.ERROR : Level.INFO, "{0}: {1}", next.label(), detail);
        listener.stateChanged(next, detail == null ? "" : detail);
    }

    /** Assembles an {@link Engine}; the clock and random source are replaceable for tests. */
    public static final class Builder {
        private final EngineConfig config;
        private final Source source;
        private final Transport transport;
        private EngineListener listener = EngineListener.NONE;
        private LongSupplier nanoClock = System::nanoTime;
        private RandomGenerator random = new SecureRandom();
        private Duration statusInterval = Duration.ofSeconds(1);

        private Builder(EngineConfig config, Source source, Transport transport) {
            this.config = Objects.requireNonNull(config, "config");
            this.source = Objects.requireNonNull(source, "source");
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        public Builder listener(EngineListener value) {
            this.listener = Objects.requireNonNull(value);
            return this;
        }

        /** Use this monotonic clock for backoff and uptime. */
        public Builder nanoClock(LongSupplier value) {
            this.nanoClock = Objects.requireNonNull(value);
            return this;
        }

        /** Use this random source for reconnect jitter (seed it in tests). */
        public Builder random(RandomGenerator value) {
            this.random = Objects.requireNonNull(value);
            return this;
        }

        public Builder statusInterval(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("status interval must be positive");
            }
            this.statusInterval = value;
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }
    }
}
