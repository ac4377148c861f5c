package dev.streamer.source.pulse;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.SilentDeviceWatch;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import dev.streamer.source.pulse.PulseConnection.SourceEntry;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Records one PulseAudio source through libpulse's asynchronous API.
 *
 * <p><b>Reading.</b> The capture thread runs libpulse's mainloop itself: {@link #read} copies a
 * whole read (one period, or less if the caller asks less) if that much is queued (the rest of a
 * fragment is copied aside for the next read: see {@link #carryRest}), else sleeps until about
 * that much is recorded and polls the server's socket for the rest, at most {@code maxWaitNanos}
 * (two periods, at least 20 ms), then takes whatever whole frames are there, possibly none (0). A
 * period thus costs one or two wake-ups of one thread, where a threaded mainloop would wake its own
 * thread for every block the server sends, and that thread would wake the reader. Whole periods let the engine send each chunk as soon
 * as it is read; parts would wait in its ring for the rest. Nothing is allocated: the native buffers
 * and the carry are made at open, and fragments are copied from their absolute address.
 *
 * <p><b>Closing safely.</b> Freeing the stream, context or mainloop while the capture thread is
 * inside libpulse would crash the JVM, so one atomic state decides who tears down:
 * {@code NEW -> BUSY} (opening) {@code -> OPEN <-> BUSY} (a read inside libpulse) and
 * {@code -> WAKING -> CLOSING -> CLOSED}. {@link #close} on a {@code NEW} or {@code OPEN} source
 * takes it to {@code CLOSED} and tears down itself; on a {@code BUSY} one it marks {@code WAKING},
 * interrupts the reader's poll ({@code pa_mainloop_wakeup}), marks {@code CLOSING} and waits
 * (bounded) while the reader or opener, leaving libpulse, sees the mark, tears down and returns -1
 * or fails. The one leaving waits out {@code WAKING}, so the mainloop is never freed under the
 * wake-up. Whoever tears down does it exactly once.
 */
final class PulseSource implements Source {

    private static final int NEW = 0;
    private static final int OPEN = 1;
    private static final int BUSY = 2;
    private static final int WAKING = 3;
    private static final int CLOSING = 4;
    private static final int CLOSED = 5;

    private static final long MILLIS = 1_000_000L;
    private static final long MIN_WAIT_NANOS = 20 * MILLIS;
    /** Less than this missing from a period: poll for it instead of sleeping first (see capture). */
    private static final long NAP_MIN_NANOS = MILLIS;
    private static final long CLOSE_WAIT_MILLIS = 3_000;
    /** The least audio kept queued before the oldest is dropped as stale: about Java Sound's device buffer. */
    private static final int STALE_MILLIS = 30;
    /** PulseAudio's largest memory block (a pool slot): the most a fragment can leave for the next read. */
    private static final int CARRY_BYTES = 64 * 1024;
    /** Rate and channel limits of PulseAudio 16's pa_sample_spec (PA_RATE_MAX, PA_CHANNELS_MAX), for messages. */
    private static final String PULSE_LIMITS = "PulseAudio 16 records at most 384000 Hz and 32 channels";

    private static final MethodHandle ON_OVERFLOW = PulseConnection.target(MethodHandles.lookup(), PulseSource.class, "onOverflow");

    private final PulseSettings settings;
    private final System.Logger logger;
    private final LongSupplier clock;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final AtomicBoolean releasing = new AtomicBoolean();
    private final CountDownLatch released = new CountDownLatch(1);

    // set while opening, published to the reader by the state's BUSY -> OPEN
    private volatile PulseConnection connection; // volatile: close() may wake it while it opens
    private MemorySegment stream = MemorySegment.NULL;
    private long peekData; // addresses of two size_t that pa_stream_peek fills
    private long peekLength;
    private PcmFormat format;
    private String sourceName;
    private String sourceDescription;
    private int frameSize;
    private int readFrames;
    private int fragmentFrames;
    private long maxWaitNanos;
    private long staleBytes;

    private volatile Thread reader; // the capture thread, which close() unparks
    private volatile long wakeUps; // written by the capture thread only
    private volatile long overflows; // written by the capture thread only (callbacks run in its poll)
    private volatile long holeFrames; // written by the capture thread only
    private volatile long staleFrames; // written by the capture thread only

    // capture-thread state
    private long fragmentAddress;
    private long fragmentLeft;
    private byte[] carry; // what a read left of its last fragment, the oldest audio not yet delivered
    private int carryStart;
    private int carryLeft;
    private long deliveredFrames;
    private SilentDeviceWatch silence;
    private long napLagNanos; // see learnNapLag
    private long maxNapLagNanos;

    PulseSource(PulseSettings settings, PluginContext context) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.logger = context.logger();
        this.clock = context.nanoClock();
    }

    @Override
    public PcmFormat open(PcmFormat preferred, int periodFrames) throws SourceException {
        Objects.requireNonNull(preferred, "preferred");
        if (periodFrames < 1) {
            throw new IllegalArgumentException("periodFrames " + periodFrames + " is not positive");
        }
        if (!state.compareAndSet(NEW, BUSY)) {
            if (state.get() >= WAKING) {
                throw new SourceException("The pulse source was closed before it was opened.");
            }
            throw new IllegalStateException("already open: " + describe());
        }
        PcmFormat f = deliverable(preferred);
        try {
            connection = PulseConnection.open(settings.server(), settings.connectTimeoutMillis(), clock, this::closeRequested);
            List<SourceEntry> sources = connection.sources(this::closeRequested);
            String target = settings.wantsDefaultDevice() ? null : select(sources, settings.device());
            // Half a period: with fragments of a whole one, reads came in pairs (3 ms of send jitter on
            // loopback, against 1 ms); a read sleeps through the first half anyway (see capture).
            int requestedFragment = settings.fragmentMillis() == 0 ? f.bytes(Math.max(1, periodFrames / 2))
                    : Math.max(f.frameSize(), f.bytesForMillis(settings.fragmentMillis()));
            connectStream(f, target, requestedFragment, sources);
            int granted = LibPulse.grantedFragmentBytes(stream);
            this.format = f;
            this.frameSize = f.frameSize();
            this.readFrames = periodFrames;
            this.fragmentFrames = Math.max(1, (granted > 0 ? granted : requestedFragment) / frameSize);
            // queued audio beyond this is stale: dropped, like a device buffer's overrun (see dropStale)
            this.staleBytes = Math.max(3L * Math.max(f.bytes(periodFrames), granted), f.bytesForMillis(STALE_MILLIS));
            this.maxWaitNanos = Math.max(2 * f.nanosFor(f.bytes(Math.max(readFrames, fragmentFrames))), MIN_WAIT_NANOS);
            this.maxNapLagNanos = f.nanosFor(f.bytes(periodFrames)) / 4;
            this.carry = new byte[Math.max(CARRY_BYTES, 4 * Math.max(f.bytes(periodFrames), granted))];
            this.sourceDescription = sources.stream().filter(s -> s.name().equals(sourceName)).map(SourceEntry::description)
                    .findFirst().orElse("");
            this.silence = new SilentDeviceWatch(logger, "PulseAudio source \"" + sourceName + "\"",
                    "it was suspended or the server stalled", clock.getAsLong());
            logger.log(Level.INFO, () -> "pulse: recording from " + sourceName
                    + (sourceDescription.isEmpty() ? "" : " (" + sourceDescription + ")") + " at " + f
                    + (f.equals(preferred) ? "" : " (the engine converts it to " + preferred + ")") + " through libpulse "
                    + LibPulse.libraryVersion() + "; fragments of " + granted + " bytes (" + millis(f, granted) + " ms) granted for "
                    + requestedFragment + " requested; reads of up to " + periodFrames + " frames (" + millis(f, f.bytes(periodFrames))
                    + " ms)");
        } catch (SourceException | RuntimeException | Error e) {
            tearDown(); // a close() waiting meanwhile is released by release()
            throw e;
        }
        if (!leave()) {
            throw new SourceException("The pulse source was closed while it was opening.");
        }
        return f;
    }

    /** The preferred format if PulseAudio can record it exactly, else signed 16-bit at the same rate and channels. */
    static PcmFormat deliverable(PcmFormat preferred) {
        return LibPulse.sampleFormat(preferred) >= 0 ? preferred : PcmFormat.wire(preferred.sampleRate(), 16, preferred.channels());
    }

    private boolean closeRequested() {
        int current = state.get();
        return current == WAKING || current == CLOSING;
    }

    /** Create the record stream and wait until it runs; fails with the list of sources if the one asked for is not there. */
    private void connectStream(PcmFormat f, String target, int fragmentBytes, List<SourceEntry> sources) throws SourceException {
        Arena arena = connection.arena;
        MemorySegment spec = arena.allocate(LibPulse.SAMPLE_SPEC_BYTES, 4);
        spec.set(JAVA_INT, 0, LibPulse.sampleFormat(f));
        spec.set(JAVA_INT, 4, f.sampleRate());
        spec.set(JAVA_BYTE, 8, (byte) f.channels());
        MemorySegment map = arena.allocate(LibPulse.CHANNEL_MAP_BYTES, 4);
        LibPulse.channelMapInit(map, f.channels());
        MemorySegment attr = arena.allocate(LibPulse.BUFFER_ATTR_BYTES, 4);
        for (long at = 0; at < LibPulse.BUFFER_ATTR_FRAGSIZE; at += 4) {
            attr.set(JAVA_INT, at, -1); // maxlength, tlength, prebuf, minreq: the server's defaults ((uint32_t) -1)
        }
        attr.set(JAVA_INT, LibPulse.BUFFER_ATTR_FRAGSIZE, fragmentBytes);
        peekData = arena.allocate(JAVA_LONG).address();
        peekLength = arena.allocate(JAVA_LONG).address();
        MemorySegment onOverflow = LibPulse.upcall(ON_OVERFLOW.bindTo(this), arena);
        String what = target == null ? "the default source" : "source \"" + target + "\"";
        stream = LibPulse.streamNew(connection.context(), arena.allocateFrom("capture"), spec, map);
        if (stream.address() == 0) {
            throw new SourceException("PulseAudio cannot record " + f + ": " + connection.error() + ". " + PULSE_LIMITS + ".");
        }
        LibPulse.setOverflowCallback(stream, onOverflow);
        MemorySegment device = target == null ? MemorySegment.NULL : arena.allocateFrom(target);
        if (LibPulse.streamConnectRecord(stream, device, attr, LibPulse.STREAM_ADJUST_LATENCY) < 0) {
            throw new SourceException("PulseAudio refused to record from " + what + ": " + connection.error() + ".");
        }
        for (;;) {
            int streamState = LibPulse.streamState(stream);
            int error = connection.errno();
            if (streamState == LibPulse.STREAM_READY) {
                sourceName = Objects.requireNonNullElse(LibPulse.streamDeviceName(stream), target == null ? "default" : target);
                return;
            }
            if (streamState == LibPulse.STREAM_FAILED || streamState == LibPulse.STREAM_TERMINATED) {
                if (error == LibPulse.ERR_NOENTITY) {
                    throw new SourceException((target == null ? "PulseAudio at " + connection.where() + " has no default source."
                            : "PulseAudio has no source \"" + target + "\" (any more).") + " Sources: " + names(sources) + ".");
                }
                throw new SourceException("PulseAudio could not record from " + what + ": " + LibPulse.strerror(error) + ".");
            }
            connection.pause(this::closeRequested, () -> "PulseAudio did not start recording from " + what + " within "
                    + connection.timeoutMillis() + " ms.");
        }
    }

    /**
     * Return the name of the one source that {@code device} selects: an exact name wins, then a
     * case-insensitive one, otherwise the single name that contains it, ignoring case.
     *
     * @throws SourceException if no source or several match; the message lists them
     */
    static String select(List<SourceEntry> sources, String device) throws SourceException {
        List<String> all = sources.stream().map(SourceEntry::name).toList();
        if (all.contains(device)) {
            return device;
        }
        for (String name : all) {
            if (name.equalsIgnoreCase(device)) {
                return name;
            }
        }
        String wanted = device.toLowerCase(Locale.ROOT);
        List<String> matches = all.stream().filter(name -> name.toLowerCase(Locale.ROOT).contains(wanted)).toList();
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.isEmpty()) {
            throw new SourceException("No PulseAudio source matches \"" + device + "\". Sources: " + names(sources)
                    + " (streamer devices --source pulse describes them).");
        }
        throw new SourceException("\"" + device + "\" matches " + matches.size() + " PulseAudio sources: "
                + matches.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", ")) + ". Give a longer part of the name.");
    }

    private static String names(List<SourceEntry> sources) {
        return sources.isEmpty() ? "none" : sources.stream().map(s -> "\"" + s.name() + "\"").collect(Collectors.joining(", "));
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws SourceException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        int current = state.get();
        if (current == NEW || current == BUSY) {
            throw new IllegalStateException(current == NEW ? "read before open" : "read while opening, or from two threads at once");
        }
        if (current != OPEN) {
            return -1;
        }
        int want = Math.min(length / frameSize, readFrames) * frameSize;
        if (want == 0) {
            throw new IllegalArgumentException("length " + length + " is less than one frame of " + frameSize + " bytes");
        }
        reader = Thread.currentThread();
        if (!state.compareAndSet(OPEN, BUSY)) {
            return -1; // closed meanwhile
        }
        int n;
        try {
            n = capture(buffer, offset, want);
        } catch (SourceException | RuntimeException e) {
            if (leave()) {
                throw e;
            }
            return -1;
        }
        if (!leave()) {
            return -1;
        }
        long now = clock.getAsLong();
        if (n > 0) {
            deliveredFrames += n / frameSize;
            silence.delivered(now);
        } else {
            silence.deliveredNothing(now);
        }
        return n;
    }

    /** Leave libpulse: back to OPEN, or, if close() asked meanwhile, tear down (close waits for it) and say so. */
    private boolean leave() {
        if (state.compareAndSet(BUSY, OPEN)) {
            return true;
        }
        tearDown();
        return false;
    }

    /** Tear down as the thread that was in libpulse: once a close() has woken it, never while it does. */
    private void tearDown() {
        for (;;) {
            int current = state.get();
            if (current == WAKING) {
                Thread.onSpinWait(); // close() is inside pa_mainloop_wakeup: a write to a pipe
            } else if (state.compareAndSet(current, CLOSED)) {
                break;
            }
        }
        release();
    }

    /**
     * Copy {@code want} bytes once that much is queued, running the mainloop (this thread polls the
     * server's socket) until it is, or until {@code maxWaitNanos} passed: then whatever whole frames
     * are queued. A period at once lets the engine send a chunk as soon as it is read; a part would
     * wait in the ring for the rest.
     *
     * <p>While more than a millisecond of the period is missing, the thread first sleeps for as long
     * as that audio takes to be recorded plus the delivery lag it learned ({@link #learnNapLag}),
     * then takes in everything that arrived meanwhile: a server sends a sink's monitor in blocks of
     * its own (about 2 ms while a player asks 10 ms of latency), and polling would wake the thread
     * for every one of them, five times per period.
     *
     * @return the bytes copied, or -1 if close() asked meanwhile
     */
    private int capture(byte[] buffer, int offset, int want) throws SourceException {
        long deadline = clock.getAsLong() + maxWaitNanos;
        boolean late = false;
        long napEnd = 0; // when this read's nap ended; 0 before it
        boolean polled = false; // whether it then had to poll for the rest
        for (;;) {
            long queued = LibPulse.readableSize(stream.address());
            if (queued < 0) {
                throw streamFailure();
            }
            long available = queued + carryLeft;
            if (available >= want || late) {
                if (napEnd != 0 && available >= want) {
                    learnNapLag(polled, clock.getAsLong() - napEnd);
                }
                return take(buffer, offset, want, available);
            }
            if (state.get() != BUSY) {
                return -1;
            }
            long left = deadline - clock.getAsLong();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                late = true; // one more look, taking whatever part of a period is there
                continue;
            }
            long missing = format.nanosFor(want - available);
            long wait = left;
            if (napEnd == 0 && missing >= NAP_MIN_NANOS) {
                LockSupport.parkNanos(this, Math.min(missing + napLagNanos, left)); // close() unparks
                napEnd = clock.getAsLong();
                wait = 0; // then take in what arrived, without waiting
            } else if (napEnd != 0) {
                polled = true;
            }
            if (connection.iterate(wait) < 0) {
                throw streamFailure();
            }
            wakeUps++;
        }
    }

    /**
     * Learn how much longer than the recording itself the server takes to deliver a period: it
     * sends in blocks of its own, so the end of a period arrives with the block that holds it, up to
     * a block later. A read whose nap was too short had to poll for the rest: the lag grows by half
     * of what it waited more. One that found the period complete may have slept too long: the lag
     * shrinks by a sixteenth. It settles where most reads wake once, at most a quarter period
     * ({@link #maxNapLagNanos}) late.
     */
    private void learnNapLag(boolean polled, long waitedAfterNap) {
        if (polled) {
            napLagNanos = Math.min(maxNapLagNanos, napLagNanos + waitedAfterNap / 2);
        } else {
            napLagNanos -= napLagNanos / 16;
        }
    }

    /** Copy up to {@code want} of the {@code available} bytes (the carry, then the queue), dropping stale audio first. */
    private int take(byte[] buffer, int offset, int want, long available) throws SourceException {
        if (available > staleBytes || deliveredFrames == 0 && available > want) {
            dropStale(available - want);
        }
        int copied = Math.min(carryLeft, want);
        System.arraycopy(carry, carryStart, buffer, offset, copied);
        carryStart += copied;
        carryLeft -= copied;
        while (copied < want && (fragmentLeft > 0 || nextFragment())) {
            int n = (int) Math.min(fragmentLeft, want - copied);
            MemorySegment.copy(LibPulse.ALL, JAVA_BYTE, fragmentAddress, buffer, offset + copied, n);
            copied += n;
            fragmentAddress += n;
            fragmentLeft -= n;
            if (fragmentLeft == 0) {
                drop();
            }
        }
        if (fragmentLeft > 0) {
            carryRest();
        }
        return copied;
    }

    /**
     * Copy what is left of the peeked fragment into the (empty) carry and drop the fragment. A read
     * never leaves a fragment peeked: a peek holds the fragment's shared memory, and when the
     * connection dies libpulse, inside the mainloop call that finds out, waits for every holder to let
     * go of that memory before it frees it; the holder being the thread in that very call, it waited
     * for ever (seen when the server was killed: the capture thread stuck in a futex wait, the stream
     * silent with no error).
     */
    private void carryRest() throws SourceException {
        if (fragmentLeft > carry.length) {
            carry = new byte[(int) fragmentLeft]; // a block beyond PulseAudio's slot size: grown once
        }
        MemorySegment.copy(LibPulse.ALL, JAVA_BYTE, fragmentAddress, carry, 0, (int) fragmentLeft);
        carryStart = 0;
        carryLeft = (int) fragmentLeft;
        drop();
    }

    /**
     * Peek the next fragment with audio into {@code fragmentAddress} and {@code fragmentLeft},
     * dropping holes (audio the server skipped: lost) on the way.
     *
     * @return false if nothing is queued
     */
    private boolean nextFragment() throws SourceException {
        while (true) {
            if (LibPulse.peek(stream.address(), peekData, peekLength) < 0) {
                throw streamFailure();
            }
            long address = LibPulse.pointerAt(peekData);
            long bytes = LibPulse.pointerAt(peekLength);
            if (bytes == 0) {
                return false; // nothing queued after all (data NULL, length 0): nothing to drop
            }
            if (address == 0) {
                holeFrames += bytes / frameSize;
                drop();
                continue;
            }
            fragmentAddress = address;
            fragmentLeft = bytes - bytes % frameSize; // fragments hold whole frames; never copy a torn one
            if (fragmentLeft > 0) {
                return true;
            }
            drop();
        }
    }

    /**
     * Drop the oldest whole fragments (the carry first), at most {@code excess} bytes: PulseAudio
     * keeps what a late reader did not take (seconds of it) and hands it over a period at a time, so
     * a backlog once formed (a slow start, a pause of the capture thread) would add its length to the
     * latency for the rest of the stream. Java Sound's device buffer bounds this by overrunning;
     * this is the same. Before the first read delivered anything, all but the newest period is
     * dropped: what was recorded while the engine was starting is pre-roll, not a loss, and the
     * stream starts fresh.
     *
     * @return the bytes dropped, counted in {@link #overrunFrames()} once audio has been delivered
     */
    private long dropStale(long excess) throws SourceException {
        long dropped = 0;
        if (carryLeft > 0 && carryLeft <= excess) { // the oldest audio first
            dropped = carryLeft;
            carryLeft = 0;
        }
        while (carryLeft == 0 && (fragmentLeft > 0 || nextFragment()) && fragmentLeft <= excess - dropped) {
            dropped += fragmentLeft;
            drop();
        }
        if (deliveredFrames > 0) {
            staleFrames += dropped / frameSize;
        }
        return dropped;
    }

    private void drop() throws SourceException {
        fragmentLeft = 0;
        if (LibPulse.drop(stream.address()) < 0) {
            throw streamFailure();
        }
    }

    /** Describe why the stream stopped. */
    private SourceException streamFailure() {
        boolean connected = LibPulse.contextState(connection.context()) == LibPulse.CONTEXT_READY;
        return new SourceException("PulseAudio stopped recording from " + sourceName + ": " + connection.error()
                + (connected ? " (the server ended the stream: the source was removed?)" : " (the connection to the server ended: was it restarted?)"));
    }

    /**
     * Called by libpulse, in the capture thread's poll, when the server reports an overflow. Before
     * the first audio was delivered nothing polled the server since open (the engine was starting):
     * what the server could not keep then is pre-roll, like what {@link #dropStale} drops then.
     */
    private void onOverflow(long stream, long userdata, long unused, long unused2) {
        if (deliveredFrames > 0) {
            overflows++; // one writer: the capture thread
        }
    }

    /**
     * Return the frames lost since open: holes in the stream (audio the server skipped) and stale
     * audio dropped by {@link #dropStale} count exactly, each overflow the server reports counts as
     * one fragment (an estimate).
     */
    @Override
    public long overrunFrames() {
        return holeFrames + staleFrames + overflows * fragmentFrames;
    }

    @Override
    public String describe() {
        int current = state.get();
        boolean closed = current >= WAKING;
        if (sourceName != null && format != null) {
            return "pulse: " + sourceName + (sourceDescription.isEmpty() ? "" : " (" + sourceDescription + ")") + " " + format
                    + (closed ? " (closed)" : "");
        }
        String what = settings.wantsDefaultDevice() ? "the default source" : "source \"" + settings.device() + "\"";
        return "pulse: " + what + (closed ? " (closed)" : " (not open)");
    }

    @Override
    public void close() {
        for (;;) {
            int current = state.get();
            switch (current) {
                case NEW, OPEN -> {
                    if (state.compareAndSet(current, CLOSED)) {
                        release(); // nobody is in libpulse: a later read finds CLOSED and returns -1
                        return;
                    }
                }
                case BUSY -> {
                    if (state.compareAndSet(BUSY, WAKING)) {
                        PulseConnection c = connection;
                        if (c != null) {
                            c.wakeup(); // end the reader's poll now; an opener polls at most 20 ms at a time
                        }
                        LockSupport.unpark(reader); // or its sleep
                        state.set(CLOSING);
                        awaitRelease(); // the reader or opener tears down as it leaves libpulse
                        return;
                    }
                }
                default -> {
                    awaitRelease(); // another close, or the reader, is tearing down
                    return;
                }
            }
        }
    }

    private void awaitRelease() {
        try {
            if (!released.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                logger.log(Level.WARNING, "pulse: " + describe() + " was not released within " + CLOSE_WAIT_MILLIS
                        + " ms; it is released when libpulse returns");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Free the stream, the context, the mainloop and the native memory; once, by whoever the state chose. */
    private void release() {
        if (!releasing.compareAndSet(false, true)) {
            return;
        }
        try {
            PulseConnection c = connection;
            if (c != null) {
                c.close(this::releaseStream);
                logger.log(Level.DEBUG, () -> "pulse: closed " + sourceName + " after " + deliveredFrames + " frames, "
                        + overrunFrames() + " lost, " + wakeUps + " wake-ups");
            }
        } catch (RuntimeException e) {
            logger.log(Level.WARNING, "pulse: closing " + describe() + ": " + e);
        } finally {
            released.countDown();
        }
    }

    /** Runs before the context is disconnected. */
    private void releaseStream() {
        if (stream.address() == 0) {
            return;
        }
        MemorySegment s = stream;
        stream = MemorySegment.NULL;
        LibPulse.setOverflowCallback(s, MemorySegment.NULL);
        LibPulse.streamDisconnect(s); // an error here (the stream had failed) changes nothing
        LibPulse.streamUnref(s);
    }

    private static String millis(PcmFormat f, int bytes) {
        return String.format(Locale.ROOT, "%.1f", f.nanosFor(bytes) / 1e6);
    }
}
