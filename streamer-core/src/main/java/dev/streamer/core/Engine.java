package dev.streamer.core;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import dev.streamer.api.spi.LinkHealth;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import dev.streamer.api.spi.Transport;
import dev.streamer.api.spi.TransportException;
import dev.streamer.core.internal.AdaptiveController;
import dev.streamer.core.internal.ArrivalClock;
import dev.streamer.core.internal.ByteRing;
import dev.streamer.core.internal.JitterMeter;
import dev.streamer.core.internal.LevelMeter;
import dev.streamer.core.internal.LossReport;
import dev.streamer.core.internal.PcmConverter;
import dev.streamer.core.internal.SilenceGate;
import dev.streamer.core.internal.StandingBacklog;
import dev.streamer.core.internal.ThreadPriorities;
import dev.streamer.core.internal.Watchdog;
import dev.streamer.core.internal.WriteLatencyWindow;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * appends to a {@link ByteRing}; whole chunks are taken from the ring and written to the transport's
 * link, which drops a standing backlog beyond the latency target, applies the silence policy and
 * measures jitter, write latency, stalls and underruns. The sender thread owns the connection: it
 * counts every failure by kind and reconnects with {@link ReconnectPolicy backoff}, discarding stale
 * audio while disconnected. On a link that {@linkplain Link#writesWithoutWaiting writes without
 * waiting} the capture thread sends each chunk itself as soon as it is read, and the sender steps in
 * only when the receiver falls behind (see {@link #sendNow}): one wake-up per chunk instead of two.
 * Neither thread allocates or locks per chunk. A third, idle-most-of-the-time
 * status thread runs the adaptive controller, reads the link's health from the OS, rates the
 * quality, watches that the sender still beats, and publishes {@link StreamStatus} snapshots.
 *
 * <p>{@link #stop()} completes in well under a second from any state: it releases the sender's
 * waits, closes the source (which unblocks a capture read) and the link (which aborts a blocked
 * write), then joins the threads.
 */
public final class Engine {
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The longest the sender waits for audio in one go: it beats at least this often. */
    private static final long AUDIO_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Chunks a per-chunk loop handles per call of its body method (see captureLoop). */
    private static final int LOOP_BATCH = 16;
    /** The longest source read, in milliseconds (see {@link #readFrames}). */
    static final int MAX_READ_MILLIS = 12;
    private static final long STOP_JOIN_NANOS = TimeUnit.MILLISECONDS.toNanos(800);
    /** The window over which the lowest backlog must stay above the latency target before it is dropped. */
    static final long STANDING_WINDOW_MILLIS = 2000;
    /** A write that takes longer than this (or two chunks, if longer) is a stall. */
    static final long STALL_MILLIS = 100;
    /** Recent history of the quality score. */
    private static final long QUALITY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Audio a source lost is logged at once, then at most this often. */
    private static final long LOSS_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Time constant of the exponential mean of the RTT variance. */
    private static final double RTT_VARIANCE_SMOOTHING_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final EngineConfig config;
    private final Source source;
    private final Transport transport;
    private final EngineListener listener;
    private final LongSupplier nanoClock;
    private final System.Logger log;
    private final ReconnectBackoff backoff;
    private final Duration statusInterval;
    private final Duration qualityInterval;
    private final PcmFormat wire;
    private final int chunkBytes;
    private final int latencyBytes;
    /** What a drop keeps: the latency target in whole chunks (see {@link #drop}). */
    private final int keepBytes;
    private final long chunkNanos;
    private final long stallNanos;
    private final long underrunAfterNanos;
    private long underrunFrom; // ring consumer only: when waiting for audio starts to count as underrun
    private final long heartbeatNanos;

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
    // The ring's consumer, its chunk buffer and backlog watch: the sender thread, or the capture thread
    // sending a chunk to the direct link. Whoever holds the consumer flag owns them (see sendNow).
    private final AtomicBoolean consumer = new AtomicBoolean(true);
    private volatile Link directLink; // the link the capture thread may send to, null while only the sender does
    private volatile TransportException directFailure; // the capture thread's failed write, for the sender to act on
    // Pauses and resumes the capture thread met, for the sender to announce: logging and the listener
    // write to output that may stop being read, which must never hold up capture.
    private final Queue<Transition> transitions = new ConcurrentLinkedQueue<>();
    private ByteBuffer chunk;
    private StandingBacklog standing;
    private boolean partial; // the chunk was only partly written without waiting: the sender writes the rest
    private long partialStartNanos;
    private long partialArrivedNanos;
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
    private final AtomicLong pausedBytes = new AtomicLong();
    private final AtomicLong underrunNanos = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private final AtomicLong stallNanosTotal = new AtomicLong();
    /** The longest write since the status thread last looked; it resets it. */
    private final AtomicLong longestWriteNanos = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLongArray errors = new AtomicLongArray(TransportException.Kind.values().length);

    // Sender-thread measurements, published for the status thread.
    private final JitterMeter jitter;
    private final WriteLatencyWindow writeLatency = new WriteLatencyWindow();
    /** Capture read to the end of the link write, per chunk, from the chunk's oldest byte; about 44 s at 512 frames. */
    private final WriteLatencyWindow senderLatency = new WriteLatencyWindow(4096);
    private final ArrivalClock arrivals = new ArrivalClock();
    private final LevelMeter level;
    private final SilenceGate silence;
    private volatile long lastBeatNanos;
    /** When the write in progress started (a part written without waiting stays in progress); 0 when none is. */
    private volatile long writeStartedNanos;
    private long nextHeartbeatNanos; // sender thread only

    // Status-thread state, published for snapshots.
    private volatile int capacityMillis;
    private volatile int resizes;
    private volatile String lastResize = "";
    private volatile LinkHealth lastHealth = LinkHealth.UNKNOWN;
    private volatile StreamStatus.Quality lastQuality = StreamStatus.Quality.NONE;
    private volatile boolean senderStuck;
    private volatile String captureScheduling;
    private volatile String senderScheduling;
    private volatile String priorityApplied;

    private Engine(Builder builder) {
        this.config = builder.config;
        this.source = builder.source;
        this.transport = builder.transport;
        this.listener = builder.listener;
        this.nanoClock = builder.nanoClock;
        this.log = builder.logger;
        this.backoff = new ReconnectBackoff(config.reconnect(), builder.random);
        this.statusInterval = builder.statusInterval;
        this.qualityInterval = builder.qualityInterval;
        this.wire = config.wireFormat();
        this.chunkBytes = config.chunkBytes();
        this.latencyBytes = Math.max(chunkBytes, wire.bytesForMillis(config.latencyTargetMillis()));
        this.keepBytes = latencyBytes - latencyBytes % chunkBytes;
        this.chunkNanos = config.chunkNanos();
        this.stallNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS), 2 * chunkNanos);
        this.underrunAfterNanos = 2 * chunkNanos;
        this.heartbeatNanos = config.heartbeat().toNanos();
        this.jitter = new JitterMeter(chunkNanos);
        this.level = new LevelMeter(wire);
        SilencePolicy silencePolicy = config.silence();
        this.silence = new SilenceGate(silencePolicy.mode() == SilencePolicy.Mode.PAUSE, silencePolicy.after().toNanos(),
                silencePolicy.thresholdDbfs());
        this.capacityMillis = config.ringMillis();
        this.priorityApplied = config.threadPriority().label();
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
        int periodFrames = readFrames(config.chunkFrames(), wire.sampleRate());
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
        // Allocated once at the largest capacity the controller may choose; it only moves the limit.
        ring = new ByteRing(wire.bytesForMillis(config.adaptive().maxMillis()), wire.frameSize());
        ring.setLimit(wire.bytesForMillis(config.ringMillis()));
        byte[] captureBuffer = new byte[sourceFormat.bytes(periodFrames)];
        chunk = ByteBuffer.allocateDirect(chunkBytes).order(ByteOrder.LITTLE_ENDIAN); // the wire's: the level meter reads samples whole
        standing = new StandingBacklog(TimeUnit.MILLISECONDS.toNanos(STANDING_WINDOW_MILLIS), latencyBytes);
        byte[] wireBuffer = new byte[converter.outputBytes(captureBuffer.length)];
        AdaptivePolicy adaptive = config.adaptive();
        log.log(Level.INFO, () -> "capturing " + sourceDescription + "; sending " + wire + " to " + transport.target()
                + " in chunks of " + config.chunkFrames() + " frames (" + String.format(Locale.ROOT, "%.1f", chunkNanos / 1e6)
                + " ms); preset " + config.preset().label() + ": ring " + config.ringMillis() + " ms"
                + (adaptive.enabled() ? " (adaptive " + adaptive.minMillis() + ".." + adaptive.maxMillis() + " ms)" : " (fixed)")
                + ", latency target " + config.latencyTargetMillis() + " ms; silence: " + config.silence().mode().label()
                + (config.silence().mode() == SilencePolicy.Mode.PAUSE ? " after " + config.silence().after().toSeconds()
                        + " s below " + formatDb(config.silence().thresholdDbfs()) + " dBFS" : ""));
        running = true;
        long now = System.nanoTime();
        lastBeatNanos = now;
        nextHeartbeatNanos = now + heartbeatNanos;
        int priority = config.threadPriority() == ThreadPriority.HIGH ? Thread.MAX_PRIORITY : Thread.NORM_PRIORITY;
        captureThread = Thread.ofPlatform().name("streamer-capture").daemon().priority(priority)
                .unstarted(() -> captureLoop(captureBuffer, wireBuffer));
        senderThread = Thread.ofPlatform().name("streamer-sender").daemon().priority(priority).unstarted(this::sendLoop);
        statusThread = Thread.ofPlatform().name("streamer-status").daemon().unstarted(this::statusLoop);
        captureThread.start();
        senderThread.start();
        statusThread.start();
    }

    /**
     * The frames of one source read: the chunk, or an equal part of it, of at most
     * {@value #MAX_READ_MILLIS} ms. A chunk is complete as soon as the read that ends it returns, so
     * it is sent at once (reads of 5 ms made a 512-frame chunk wait for a third read, and
     * cost twice the wake-ups); a read stays well under half a device buffer of 30 ms.
     */
    static int readFrames(int chunkFrames, int sampleRate) {
        int most = Math.max(1, (int) ((long) sampleRate * MAX_READ_MILLIS / 1000));
        int parts = (chunkFrames + most - 1) / most;
        return (chunkFrames + parts - 1) / parts;
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
            if (!thread.join(Duration.ofNanos(Math.max(0, left)))) { // a zero wait still reports an ended thread
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

    // Each per-chunk loop below only calls a method that handles LOOP_BATCH chunks: the JIT compiles a
    // method after a few hundred calls, but a loop entered once only after 60,000 iterations
    // (on-stack replacement), minutes of audio in the interpreter. With a chunk's work in the loop's
    // body that cost 25 % more CPU; with a call per chunk there, 3 %.

    private void captureLoop(byte[] captureBuffer, byte[] wireBuffer) {
        captureScheduling = Objects.requireNonNullElse(ThreadPriorities.describeCurrentThread(), "");
        try {
            while (captureReads(captureBuffer, wireBuffer)) {
                // LOOP_BATCH reads at a time
            }
        } catch (SourceException | RuntimeException e) {
            if (running) {
                failure = "capture failed: " + e.getMessage();
                log.log(Level.ERROR, failure, e);
                Thread.ofVirtual().start(this::stop);
            }
        }
    }

    /** Up to {@link #LOOP_BATCH} reads: false once the engine stops or the source ended. */
    private boolean captureReads(byte[] captureBuffer, byte[] wireBuffer) throws SourceException {
        for (int i = 0; i < LOOP_BATCH; i++) {
            if (!running || !capture(captureBuffer, wireBuffer)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Read once from the source into the ring, converting on the way if needed.
     *
     * @return false if the source ended
     */
    private boolean capture(byte[] captureBuffer, byte[] wireBuffer) throws SourceException {
        int read = source.read(captureBuffer, 0, captureBuffer.length);
        long arrived = System.nanoTime();
        if (read < 0) {
            if (running) {
                sourceEnded = true;
                log.log(Level.INFO, "the source ended: {0}", sourceDescription);
            }
            return false;
        }
        if (read == 0) {
            return true;
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
        if (written > 0) {
            arrivals.mark(ring.writePosition(), arrived);
        }
        if (written < produced) {
            ringOverflowBytes.addAndGet(produced - written);
        }
        Link link = directLink;
        if (link != null && ring.available() >= chunkBytes && !sendNow(link)) {
            LockSupport.unpark(senderThread);
        }
        return true;
    }

    /**
     * Send the whole chunks in the ring to the link from the capture thread, without waiting for the
     * receiver, if the sender is not at work on the ring. Whoever holds {@link #consumer} consumes the
     * ring; the sender holds it whenever there is no direct link, and takes it back (waiting for this
     * thread to leave) before it gives up the link.
     *
     * @return false if the sender must take over: it was busy, the kernel took only part of a chunk
     *     (the rest waits in {@link #chunk}), or the write failed ({@link #directFailure})
     */
    private boolean sendNow(Link link) {
        if (!consumer.compareAndSet(false, true)) {
            return false;
        }
        try {
            if (directLink != link || partial) {
                return false;
            }
            while (ring.available() >= chunkBytes) {
                if (!sendChunk(link, System.nanoTime(), false)) {
                    return false;
                }
            }
            return true;
        } catch (TransportException e) {
            directFailure = e;
            return false;
        } finally {
            consumer.set(false);
        }
    }

    private void sendLoop() {
        senderScheduling = Objects.requireNonNullElse(ThreadPriorities.describeCurrentThread(), "");
        while (running && !drained()) {
            beat(System.nanoTime());
            setState(StreamState.CONNECTING, transport.target());
            Link link;
            try {
                link = connect();
            } catch (TransportException e) {
                countFailure(e);
                if (!waitBeforeReconnect()) {
                    break;
                }
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
            drop(staleDrainBytes);
            standing.reset();
            silence.reset();
            jitter.interrupt();
            setState(StreamState.STREAMING, link.streamingDetail());
            try {
                pump(link);
            } catch (TransportException e) {
                if (running) {
                    countFailure(e);
                }
            } finally {
                currentLink = null;
                peer = "";
                link.close();
            }
            if (running && !drained() && !waitBeforeReconnect()) {
                break;
            }
        }
        Link left = currentLink;
        if (left != null) {
            currentLink = null;
            left.close();
        }
        if (sourceEnded && running) {
            // The source ended and everything was sent, or could not be sent while fresh: stop the engine from outside this thread.
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
            beat(System.nanoTime());
            drop(staleDrainBytes);
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

    /**
     * Write chunks until the link fails, the engine stops or the source ended and all was sent.
     * Allocates nothing, except on a change of state (pause, resume).
     */
    private void pump(Link link) throws TransportException {
        // underrun time is counted from two chunk durations after the sender started waiting for audio
        underrunFrom = System.nanoTime() + underrunAfterNanos;
        if (!link.writesWithoutWaiting()) {
            while (pumpChunks(link)) {
                // LOOP_BATCH chunks at a time
            }
            return;
        }
        directFailure = null; // a failure the capture thread met on an earlier link
        directLink = link;
        consumer.set(false); // the capture thread may send from now on
        try {
            while (running && helpCapture(link)) {
                // until the link fails or the source ended
            }
        } finally {
            directLink = null;
            while (!consumer.compareAndSet(false, true)) {
                Thread.onSpinWait(); // the capture thread is inside a write that does not wait
            }
            announceTransitions(); // before the sender reports what ended the link
            if (partial) {
                partial = false; // the link is going: the rest of that chunk goes with it
                writeStartedNanos = 0;
            }
        }
    }

    /**
     * With a direct link: wait until the capture thread asks for help or {@link #AUDIO_WAIT_NANOS}
     * passed, then do what it could not: rethrow its failure, finish a chunk it wrote part of, send
     * the backlog with writes that wait, or note the underrun.
     *
     * @return false once the source ended and everything was sent
     */
    private boolean helpCapture(Link link) throws TransportException {
        LockSupport.parkNanos(this, AUDIO_WAIT_NANOS); // the capture thread unparks it
        announceTransitions();
        TransportException failed = directFailure;
        if (failed != null) {
            directFailure = null;
            throw failed;
        }
        if (!consumer.compareAndSet(false, true)) {
            return true; // the capture thread is sending; it asks if it needs help
        }
        try {
            if (partial) {
                partial = false;
                try {
                    link.write(chunk);
                } finally {
                    writeStartedNanos = 0;
                }
                wrote(partialStartNanos, partialArrivedNanos);
            }
            if (ring.available() < chunkBytes) {
                return pumpOnce(link, false);
            }
            while (running && ring.available() >= chunkBytes) {
                pumpOnce(link, true);
            }
            return true;
        } finally {
            consumer.set(false);
        }
    }

    /** Up to {@link #LOOP_BATCH} chunks or waits for one: false once the engine stops or the source ended and everything was sent. */
    private boolean pumpChunks(Link link) throws TransportException {
        for (int i = 0; i < LOOP_BATCH; i++) {
            if (!running || !pumpOnce(link, ring.awaitAvailable(chunkBytes, AUDIO_WAIT_NANOS))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Send a chunk if one is ready, or note the underrun; at the end of the source, send what is left.
     *
     * @return false once the source ended and everything was sent
     */
    private boolean pumpOnce(Link link, boolean chunkReady) throws TransportException {
        long now = System.nanoTime();
        beat(now);
        if (chunkReady) {
            sendChunk(link, now, true);
            return true;
        }
        if (sourceEnded) {
            // the capture thread has stopped writing: send what is left, a chunk at most per write
            for (int rest = ring.available(); rest > 0; rest = ring.available()) {
                chunk.clear();
                ring.read(chunk, Math.min(rest, chunkBytes));
                chunk.flip();
                send(link, ArrivalClock.UNKNOWN, false, true);
            }
            return false;
        }
        if (running) {
            countUnderrun(now);
        }
        return true;
    }

    /** Count the time since {@link #underrunFrom} as underrun, unless the silence policy paused sending. */
    private void countUnderrun(long now) {
        if (!silence.paused() && now > underrunFrom) {
            underrunNanos.addAndGet(now - underrunFrom);
            underrunFrom = now;
        }
    }

    /**
     * Take the next chunk from the ring and send it under the silence policy, dropping a standing
     * backlog first. The ring consumer only; at least a chunk must be in the ring.
     *
     * @param mayWait whether the write may wait for the receiver (the sender) or not (the capture thread)
     * @return false if the chunk was written only in part: the rest is left in {@link #chunk}
     */
    private boolean sendChunk(Link link, long now, boolean mayWait) throws TransportException {
        countUnderrun(now);
        int available = ring.available();
        if (standing.observe(now, available)) {
            // The lowest backlog of a whole window stayed above the target: the receiver cannot take it.
            drop(latencyDropBytes);
            jitter.interrupt();
            available = ring.available();
        }
        boolean catchingUp = available >= 2 * chunkBytes;
        long arrived = arrivals.arrivalOf(ring.readPosition());
        chunk.clear();
        ring.read(chunk, chunkBytes);
        chunk.flip();
        double peakDbfs = level.measure(chunk, chunkBytes);
        boolean whole = true;
        switch (silence.onChunk(now, peakDbfs)) {
            case SEND -> whole = send(link, arrived, !catchingUp, mayWait);
            case RESUME -> {
                changeState(StreamState.STREAMING, String.format(Locale.ROOT, "sound returned (%.0f dBFS)", peakDbfs), mayWait);
                whole = send(link, arrived, false, mayWait);
            }
            case PAUSE -> {
                pausedBytes.addAndGet(chunkBytes);
                jitter.interrupt();
                SilencePolicy policy = config.silence();
                changeState(StreamState.PAUSED, "input below " + formatDb(policy.thresholdDbfs()) + " dBFS for "
                        + policy.after().toSeconds() + " s; not sending until sound returns (the connection stays open)", mayWait);
            }
            case SKIP -> pausedBytes.addAndGet(chunkBytes);
        }
        underrunFrom = System.nanoTime() + underrunAfterNanos;
        return whole;
    }

    /** Change the state now on the sender thread; from the capture thread, leave it to the sender and wake it. */
    private void changeState(StreamState next, String detail, boolean onSender) {
        if (onSender) {
            setState(next, detail);
        } else {
            transitions.add(new Transition(next, detail));
            LockSupport.unpark(senderThread);
        }
    }

    /** Announce the changes the capture thread left; the sender only. */
    private void announceTransitions() {
        for (Transition next; (next = transitions.poll()) != null; ) {
            setState(next.state(), next.detail());
        }
    }

    private record Transition(StreamState state, String detail) {
    }

    /**
     * Write {@link #chunk} (position to limit) to the link, timing the write.
     *
     * @param arrivedNanos when the chunk's oldest byte was read, or {@link ArrivalClock#UNKNOWN}
     * @param mayWait whether to wait for the receiver, or write only what the kernel takes at once
     * @return false if only part was written: {@link #partial} is set for the sender
     */
    private boolean send(Link link, long arrivedNanos, boolean onSchedule, boolean mayWait) throws TransportException {
        long start = System.nanoTime();
        jitter.onWrite(start, onSchedule);
        writeStartedNanos = start == 0 ? 1 : start;
        try {
            if (mayWait) {
                link.write(chunk);
            } else {
                link.writeNow(chunk);
            }
        } catch (TransportException | RuntimeException e) {
            writeStartedNanos = 0;
            throw e;
        }
        if (chunk.hasRemaining()) {
            partial = true; // still in progress (writeStartedNanos) until the sender has written the rest
            partialStartNanos = start;
            partialArrivedNanos = arrivedNanos;
            return false;
        }
        writeStartedNanos = 0;
        wrote(start, arrivedNanos);
        return true;
    }

    /** Account for the chunk in {@link #chunk}, whose write started at {@code startNanos} and has just ended. */
    private void wrote(long startNanos, long arrivedNanos) {
        long end = System.nanoTime();
        long took = end - startNanos;
        writeLatency.record(took);
        if (took > longestWriteNanos.getPlain()) {
            longestWriteNanos.set(took);
        }
        if (took > stallNanos) {
            stalls.incrementAndGet();
            stallNanosTotal.addAndGet(took);
        }
        bytesSent.addAndGet(chunk.limit());
        lastBeatNanos = end;
        if (arrivedNanos != ArrivalClock.UNKNOWN) {
            senderLatency.record(end - arrivedNanos);
        }
    }

    /** The sender is alive: note it for the watchdog, and log the heartbeat when it is due. */
    private void beat(long now) {
        lastBeatNanos = now;
        if (now - nextHeartbeatNanos >= 0) {
            nextHeartbeatNanos = now + heartbeatNanos;
            logHeartbeat();
        }
    }

    private void logHeartbeat() {
        ByteRing r = ring;
        long buffered = r == null ? 0 : millis(r.available());
        int capacity = capacityMillis;
        log.log(Level.INFO, () -> String.format(Locale.ROOT,
                "heartbeat: sender alive, %s; buffer %d of %d ms (health %.0f%%); sent %d bytes; lost %d ms"
                        + " (device overrun %d, ring overflow %d, latency drops %d); underrun %d ms; stale drained %d ms;"
                        + " stalls %d; connects %d; errors %d",
                state.label(), buffered, capacity, capacity == 0 ? 100.0 : 100.0 - 100.0 * buffered / capacity, bytesSent.get(),
                deviceOverrunMillis() + millis(ringOverflowBytes.get()) + millis(latencyDropBytes.get()),
                deviceOverrunMillis(), millis(ringOverflowBytes.get()), millis(latencyDropBytes.get()), underrunNanos.get() / 1_000_000,
                millis(staleDrainBytes.get()), stalls.get(), connects.get(), failures()));
    }

    /**
     * Drop the oldest audio beyond the latency target, counting it first: a snapshot taken meanwhile
     * may count it twice for a moment, but never misses it. What is kept is whole chunks, so chunks
     * keep starting where a source read started: a chunk then never waits for a second read.
     */
    private void drop(AtomicLong counter) {
        int excess = ring.excess(keepBytes);
        if (excess > 0) {
            counter.addAndGet(excess);
            ring.skip(excess);
        }
    }

    private boolean drained() {
        return sourceEnded && ring.available() == 0;
    }

    /**
     * Wait out the backoff, discarding audio older than the latency target all the while.
     *
     * @return whether to try again: not once the source has ended, since what is left in the ring
     *     would be stale by the time a link is up (and a receiver that is gone may stay gone)
     */
    private boolean waitBeforeReconnect() {
        if (sourceEnded) {
            return false;
        }
        long wait = backoff.failed(nanoClock.getAsLong());
        setState(StreamState.RECONNECTING, String.format("%s; next attempt in %.1f s", lastError, wait / 1e9));
        long deadline = nanoClock.getAsLong() + wait;
        while (running && !sourceEnded) {
            beat(System.nanoTime());
            drop(staleDrainBytes);
            long left = deadline - nanoClock.getAsLong();
            if (left <= 0) {
                return true;
            }
            LockSupport.parkNanos(this, Math.min(left, IDLE_POLL_NANOS));
        }
        return false;
    }

    private void countFailure(TransportException e) {
        errors.incrementAndGet(e.kind().ordinal());
        String message = e.kind().label() + ": " + e.getMessage();
        // A receiver that stays down fails the same way on every attempt: say it once, then count.
        log.log(message.equals(lastError) ? Level.DEBUG : Level.WARNING, message);
        lastError = message;
    }

    private long failures() {
        long sum = 0;
        for (int i = 0; i < errors.length(); i++) {
            sum += errors.get(i);
        }
        return sum;
    }

    // ---- status thread -------------------------------------------------------------------------

    private void statusLoop() {
        StatusWork work = new StatusWork(System.nanoTime());
        long lastBytes = 0;
        long lastNanos = nanoClock.getAsLong();
        long interval = statusInterval.toNanos();
        while (running) {
            LockSupport.parkNanos(this, interval);
            if (!running) {
                break;
            }
            work.tick(System.nanoTime());
            long now = nanoClock.getAsLong();
            long bytes = bytesSent.get();
            double kbps = now > lastNanos ? (bytes - lastBytes) * 8e6 / (now - lastNanos) : 0;
            lastBytes = bytes;
            lastNanos = now;
            listener.status(snapshot(kbps));
        }
    }

    /** What the status thread does between two snapshots; its state is its own. */
    private final class StatusWork {
        private final AdaptiveController controller;
        private final QualityTracker quality = new QualityTracker(QUALITY_WINDOW_NANOS);
        private final Watchdog watchdog = new Watchdog(config.heartbeat());
        private long nextQuality;
        private long lastOverflow;
        private long lastLatencyDrop;
        private double highestFill;
        /** The RTT variance averaged over about the last 5 s (an exponential mean), -1 when unknown. */
        private double rttVarianceMicros = -1;
        private long lastTick;
        /** Retransmissions of earlier links plus those of the current one, for the recent-history window. */
        private long retransmitsBefore;
        private long retransmitsOfLink;
        private Link retransmitsLink;
        private boolean priorityLogged;
        private final LossReport sourceLoss = new LossReport(LOSS_LOG_INTERVAL_NANOS);

        StatusWork(long now) {
            AdaptivePolicy adaptive = config.adaptive();
            controller = new AdaptiveController(adaptive.minMillis(), adaptive.maxMillis(), adaptive.jitterBandMillis(),
                    adaptive.stableAfter().toNanos(), adaptive.growInterval().toNanos(), config.ringMillis(), now);
            nextQuality = now + qualityInterval.toNanos();
            lastTick = now;
            quality.sample(now, 0, 0, 0);
        }

        void tick(long now) {
            Link link = currentLink;
            LinkHealth health = LinkHealth.UNKNOWN;
            if (link != null) {
                try {
                    health = link.health();
                } catch (RuntimeException e) {
                    log.log(Level.DEBUG, "link health unavailable: {0}", e.toString());
                }
            }
            lastHealth = health;
            smooth(now, link, health);
            logPriorityOnce();
            watch(now);
            logSourceLoss(now);

            long overflow = ringOverflowBytes.get();
            long latencyDrop = latencyDropBytes.get();
            long overflowMillis = millis(overflow - lastOverflow);
            long dropMillis = millis(latencyDrop - lastLatencyDrop);
            if (overflowMillis > 0) {
                log.log(Level.WARNING, String.format(Locale.ROOT,
                        "ring full (%d ms): dropped the newest %d ms of audio while the link was stuck", capacityMillis, overflowMillis));
            }
            if (dropMillis > 0) {
                log.log(Level.INFO, String.format(Locale.ROOT, "dropped the oldest %d ms of audio: a backlog stayed above the"
                        + " %d ms latency target for %d ms (the receiver takes audio no faster than real time)",
                        dropMillis, config.latencyTargetMillis(), STANDING_WINDOW_MILLIS));
            }
            long started = writeStartedNanos;
            long blocked = started == 0 ? 0 : now - started;
            long longest = Math.max(longestWriteNanos.getAndSet(0), blocked);
            long stalledMillis = longest > stallNanos ? longest / 1_000_000 : 0;
            long buffered = millis(ring.available());
            highestFill = Math.max(highestFill, buffered / (double) capacityMillis);

            if (state == StreamState.STREAMING) {
                AdaptiveController.Change change = controller.tick(now, stalledMillis, overflowMillis + dropMillis,
                        networkJitterMillis(), buffered);
                if (change != null) {
                    ring.setLimit(wire.bytesForMillis(change.toMillis()));
                    capacityMillis = change.toMillis();
                    resizes = controller.changes();
                    lastResize = change.reason();
                    log.log(Level.INFO, String.format(Locale.ROOT, "adaptive ring: %d ms -> %d ms (%s; range %d..%d ms)",
                            change.fromMillis(), change.toMillis(), change.reason(), config.adaptive().minMillis(),
                            config.adaptive().maxMillis()));
                }
            } else {
                controller.hold(now);
            }
            lastOverflow = overflow;
            lastLatencyDrop = latencyDrop;

            if (now - nextQuality >= 0) {
                nextQuality = now + qualityInterval.toNanos();
                rate(now, health);
            }
        }

        /** Average the RTT variance over about 5 s, and count the retransmissions across links. */
        private void smooth(long now, Link link, LinkHealth health) {
            double dt = Math.max(0, now - lastTick);
            lastTick = now;
            long variance = health.rttVarianceMicros();
            if (variance < 0) {
                if (link == null) {
                    rttVarianceMicros = -1; // disconnected: the next link starts afresh
                }
            } else if (rttVarianceMicros < 0) {
                rttVarianceMicros = variance;
            } else {
                rttVarianceMicros += (variance - rttVarianceMicros) * (1 - Math.exp(-dt / RTT_VARIANCE_SMOOTHING_NANOS));
            }
            if (link != retransmitsLink) {
                retransmitsBefore += retransmitsOfLink;
                retransmitsOfLink = 0;
                retransmitsLink = link;
            }
            if (health.retransmits() >= 0) {
                retransmitsOfLink = Math.max(retransmitsOfLink, health.retransmits());
            }
        }

        /**
         * The network jitter: the larger of the send jitter and the connection's RTT variance
         * (averaged over about 5 s) where the OS reports it.
         */
        private double networkJitterMillis() {
            double send = jitter.jitterMillis();
            return rttVarianceMicros >= 0 ? Math.max(send, rttVarianceMicros / 1000.0) : send;
        }

        /** Rate the link from the network jitter, the recent losses, retransmissions and failures, and the fill. */
        private void rate(long now, LinkHealth health) {
            long lost = deviceOverrunMillis() + millis(ringOverflowBytes.get()) + millis(latencyDropBytes.get());
            quality.sample(now, lost, failures(), retransmitsBefore + retransmitsOfLink);
            double fill = highestFill;
            highestFill = 0;
            if (state != StreamState.STREAMING && state != StreamState.PAUSED) {
                return; // not connected: nothing to rate; the failures count once connected again
            }
            QualityTracker.Rating rating = quality.rate(now, networkJitterMillis(), fill);
            lastQuality = new StreamStatus.Quality(rating.score(), rating.label(), uptime(), rating.jitterMillis(),
                    rating.lostMillis(), rating.retransmits(), rating.failures(), 100 * rating.fill());
            String why = String.format(Locale.ROOT, "network jitter %.1f ms; in the last minute %d ms of audio lost, %d TCP"
                    + " retransmissions, %d link failures; ring up to %.0f%% full", rating.jitterMillis(), rating.lostMillis(),
                    rating.retransmits(), rating.failures(), 100 * rating.fill());
            switch (rating.transition()) {
                case DEGRADED -> log.log(Level.WARNING, "link quality degraded to " + rating.score() + " (" + rating.label() + "): " + why);
                case RECOVERED -> log.log(Level.INFO, "link quality recovered to " + rating.score() + " (" + rating.label() + "): " + why);
                case NONE -> {
                }
            }
        }

        private void watch(long now) {
            long started = writeStartedNanos;
            boolean inWrite = started != 0;
            long beat = lastBeatNanos;
            switch (watchdog.check(now, beat, inWrite)) {
                case STUCK -> {
                    senderStuck = true;
                    StackTraceElement[] stack = senderThread.getStackTrace();
                    String where = Arrays.stream(stack).limit(6).map(String::valueOf).reduce((a, b) -> a + " <- " + b).orElse("?");
                    log.log(Level.ERROR, "WATCHDOG: the sender thread has not run for " + (now - beat) / 1_000_000 + " ms ("
                            + (inWrite ? "inside a link write for " + (now - started) / 1_000_000 + " ms" : "outside any write")
                            + ", state " + state.label() + "); it is stuck, not disconnected: a waiting or reconnecting sender"
                            + " keeps beating. It is at: " + where);
                }
                case RECOVERED -> {
                    senderStuck = false;
                    log.log(Level.INFO, "watchdog: the sender thread runs again");
                }
                case ALIVE, STILL_STUCK -> {
                }
            }
        }

        /**
         * Log the audio the source lost because it was not read in time (a device overrun, a sound
         * server's overflow). From this thread, not the capture thread, whose reads must never wait
         * for the log's output.
         */
        private void logSourceLoss(long now) {
            long lost = deviceOverrunMillis();
            long fresh = sourceLoss.due(lost, now);
            if (fresh > 0) {
                log.log(Level.WARNING, String.format(Locale.ROOT, "the source lost %d ms of audio that was not read in time"
                        + " (%d ms since the start): %s", fresh, lost, sourceDescription));
            }
        }

        /** Say once what the OS applied to the capture and sender threads, never what was merely asked. */
        private void logPriorityOnce() {
            if (priorityLogged) {
                return;
            }
            String capture = captureScheduling;
            String sender = senderScheduling;
            if ((capture == null && captureThread.isAlive()) || (sender == null && senderThread.isAlive())) {
                return; // not yet known
            }
            priorityLogged = true;
            boolean high = config.threadPriority() == ThreadPriority.HIGH;
            if (capture == null || sender == null || capture.isEmpty() || sender.isEmpty()) {
                priorityApplied = config.threadPriority().label() + " (Java priority " + (high ? 10 : 5)
                        + "); the OS does not say what it applied";
                log.log(high ? Level.INFO : Level.DEBUG, "thread priority " + priorityApplied);
                return;
            }
            boolean changed = !ThreadPriorities.isDefault(capture) || !ThreadPriorities.isDefault(sender);
            String applied = capture.equals(sender) ? capture : "capture " + capture + ", sender " + sender;
            priorityApplied = config.threadPriority().label() + ": OS applied " + applied;
            if (high && !changed) {
                log.log(Level.INFO, "thread priority high: Java priority 10 set on streamer-capture and streamer-sender, but the"
                        + " OS applied none of it (" + applied + "): HotSpot on Linux ignores Java thread priorities unless the JVM"
                        + " runs as root with -XX:ThreadPriorityPolicy=1 (set in STREAMER_JAVA_OPTIONS). To raise them for real,"
                        + " start streamer with chrt -r 10 streamer ... (real-time) or nice -n -10 streamer ... (needs CAP_SYS_NICE)");
            } else if (high || changed) {
                log.log(Level.INFO, "thread priority " + config.threadPriority().label() + ": the OS runs streamer-capture and"
                        + " streamer-sender at " + applied + (high ? "" : " (inherited from how streamer was started)"));
            } else {
                log.log(Level.DEBUG, "thread priority normal: " + applied);
            }
        }
    }

    private Duration uptime() {
        return Duration.ofNanos(started.get() ? nanoClock.getAsLong() - startNanos : 0);
    }

    private long deviceOverrunMillis() {
        return sourceFormat == null ? 0 : source.overrunFrames() * 1000 / sourceFormat.sampleRate();
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
        long now = System.nanoTime();
        AdaptivePolicy adaptive = config.adaptive();
        StreamStatus.Buffer buffer = new StreamStatus.Buffer(r == null ? 0 : millis(r.available()), capacityMillis,
                adaptive.minMillis(), adaptive.maxMillis(), config.latencyTargetMillis(), resizes, lastResize);
        StreamStatus.Losses losses = new StreamStatus.Losses(deviceOverrunMillis(), millis(ringOverflowBytes.get()),
                millis(latencyDropBytes.get()), millis(staleDrainBytes.get()), underrunNanos.get() / 1_000_000);
        WriteLatencyWindow.Stats writes = writeLatency.stats();
        WriteLatencyWindow.Stats waits = senderLatency.stats();
        StreamStatus.Timing timing = new StreamStatus.Timing(jitter.jitterMillis(), writes.meanMillis(), writes.p95Millis(),
                writes.maxMillis(), writes.samples(), stalls.get(), stallNanosTotal.get() / 1_000_000, waits.p50Millis(),
                waits.p99Millis(), waits.maxMillis());
        boolean connected = state == StreamState.STREAMING || state == StreamState.PAUSED;
        StreamStatus.Input input = new StreamStatus.Input(level.peakDbfs(), level.rmsDbfs(), config.silence().mode().label(),
                silence.paused(), silence.silentNanos(now) / 1_000_000, millis(pausedBytes.get()));
        long writeStarted = writeStartedNanos;
        StreamStatus.Sender sender = new StreamStatus.Sender(started.get() ? Math.max(0, now - lastBeatNanos) / 1_000_000 : 0,
                writeStarted == 0 ? 0 : Math.max(0, now - writeStarted) / 1_000_000, senderStuck, priorityApplied);
        return new StreamStatus(state, transport.target(), peer, sourceDescription, config.preset().label(), uptime(),
                bytesSent.get(), bitrateKbps, buffer, losses, timing, connected ? lastHealth : LinkHealth.UNKNOWN, lastQuality,
                input, sender, connects.get(), byKind, lastError);
    }

    private long millis(long bytes) {
        return wire.nanosFor(bytes) / 1_000_000;
    }

    private static String formatDb(double db) {
        return db == Math.rint(db) ? Long.toString((long) db) : String.format(Locale.ROOT, "%.1f", db);
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

    private void join(Thread thread, long deadlineNanos) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            long left = deadlineNanos - System.nanoTime();
            if (!thread.join(Duration.ofNanos(Math.max(0, left)))) { // a zero wait still reports an ended thread
                log.log(Level.WARNING, "thread {0} did not stop in time", thread.getName());
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
        log.log(next == StreamState.FAILED ? Level.ERROR : Level.INFO, "{0}: {1}", next.label(), detail);
        listener.stateChanged(next, detail == null ? "" : detail);
    }

    /** Assembles an {@link Engine}; the clock, random source and logger are replaceable for tests. */
    public static final class Builder {
        private final EngineConfig config;
        private final Source source;
        private final Transport transport;
        private EngineListener listener = EngineListener.NONE;
        private LongSupplier nanoClock = System::nanoTime;
        private System.Logger logger = System.getLogger(Engine.class.getName());
        // seeded from the clock's nanoseconds: enough to spread a hundred senders' retries, and free of
        // SecureRandom's provider set-up, which cost start-up 15-20 ms
        private RandomGenerator random = new SplittableRandom();
        private Duration statusInterval = Duration.ofSeconds(1);
        private Duration qualityInterval = Duration.ofSeconds(5);

        private Builder(EngineConfig config, Source source, Transport transport) {
            this.config = Objects.requireNonNull(config, "config");
            this.source = Objects.requireNonNull(source, "source");
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        public Builder listener(EngineListener value) {
            this.listener = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Use this monotonic clock for the reconnect backoff and the uptime. Audio timing (jitter,
         * write latency, underruns, the adaptive controller, heartbeat and watchdog) always uses
         * {@link System#nanoTime}: it measures the real audio clock.
         */
        public Builder nanoClock(LongSupplier value) {
            this.nanoClock = Objects.requireNonNull(value);
            return this;
        }

        /** Log through this logger (default: the platform's, named after this class). */
        public Builder logger(System.Logger value) {
            this.logger = Objects.requireNonNull(value);
            return this;
        }

        /** Use this random source for reconnect jitter (seed it in tests). */
        public Builder random(RandomGenerator value) {
            this.random = Objects.requireNonNull(value);
            return this;
        }

        /** Publish a status snapshot this often (default 1 s). */
        public Builder statusInterval(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("status interval must be positive");
            }
            this.statusInterval = value;
            return this;
        }

        /** Rate the link quality this often (default 5 s). */
        public Builder qualityInterval(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("quality interval must be positive");
            }
            this.qualityInterval = value;
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }
    }
}
