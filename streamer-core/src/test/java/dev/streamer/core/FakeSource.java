package dev.streamer.core;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A source for engine tests: delivers a known pattern in a chosen format, paced in real time like
 * a device or as fast as it is read, and can deliver nothing, block, fail or end.
 */
final class FakeSource implements Source {

    /** Writes frame {@code index} of the stream at {@code at}. */
    interface Pattern {
        void frame(long index, byte[] buffer, int at);
    }

    enum Mode {
        /** Deliver the pattern. */
        DATA,
        /** Deliver nothing: each read waits about a period and returns 0. */
        SILENT,
        /** Block in read until closed. */
        BLOCK
    }

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final PcmFormat format;
    private final Pattern pattern;
    private final boolean paced;
    private final long totalFrames;

    volatile Mode mode = Mode.DATA;
    /** Thrown by read once {@link #produced} reaches {@link #failAfterFrames}. */
    volatile SourceException failure;
    volatile long failAfterFrames;
    /** Thrown by open. */
    volatile SourceException openFailure;
    /** What {@link #overrunFrames} reports: frames the "device" lost. */
    volatile long overrunFrames;

    final AtomicLong produced = new AtomicLong();
    final AtomicInteger closeCalls = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    volatile boolean closed;
    volatile boolean blockedInRead;
    volatile PcmFormat preferred;
    volatile int periodFrames;
    private long startNanos = -1;
    private volatile Thread reader;

    /**
     * @param format what {@link #open} returns and {@link #read} delivers
     * @param paced deliver at the format's rate in real time, or as fast as read
     * @param totalFrames frames before the source ends (read returns -1), or -1 for endless
     */
    FakeSource(PcmFormat format, Pattern pattern, boolean paced, long totalFrames) {
        this.format = format;
        this.pattern = pattern;
        this.paced = paced;
        this.totalFrames = totalFrames;
    }

    /** A paced, endless source whose frame n carries n as a little-endian int (4-byte frames). */
    static FakeSource counting(PcmFormat format) {
        return new FakeSource(format, FakeSource::counter, true, -1);
    }

    /** Frame n carries n, little-endian, truncated to the frame size. */
    static void counter(long index, byte[] buffer, int at, int frameSize) {
        for (int i = 0; i < frameSize; i++) {
            buffer[at + i] = (byte) (index >>> (8 * i));
        }
    }

    static void counter(long index, byte[] buffer, int at) {
        counter(index, buffer, at, 4);
    }

    @Override
    public PcmFormat open(PcmFormat preferred, int periodFrames) throws SourceException {
        this.preferred = preferred;
        this.periodFrames = periodFrames;
        SourceException f = openFailure;
        if (f != null) {
            throw f;
        }
        return format;
    }

    @Override
    public long overrunFrames() {
        return overrunFrames;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws SourceException {
        reads.incrementAndGet();
        reader = Thread.currentThread();
        int frameSize = format.frameSize();
        while (true) {
            if (closed) {
                return -1;
            }
            SourceException f = failure;
            if (f != null && produced.get() >= failAfterFrames) {
                throw f;
            }
            switch (mode) {
                case SILENT -> {
                    LockSupport.parkNanos(PERIOD_NANOS);
                    return closed ? -1 : 0;
                }
                case BLOCK -> {
                    blockedInRead = true;
                    while (!closed && mode == Mode.BLOCK) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                    }
                    blockedInRead = false;
                    continue;
                }
                case DATA -> {
                    // fall through to deliver
                }
            }
            long done = produced.get();
            long frames = length / frameSize;
            if (totalFrames >= 0) {
                frames = Math.min(frames, totalFrames - done);
                if (frames <= 0) {
                    return -1;
                }
            }
            if (f != null) {
                frames = Math.min(frames, failAfterFrames - done);
            }
            if (paced) {
                long now = System.nanoTime();
                if (startNanos < 0) {
                    startNanos = now;
                }
                long due = (now - startNanos) * format.sampleRate() / 1_000_000_000L - done;
                if (due < frames) {
                    // like a device: block until the whole period is there, a few ms at most per wait
                    long missing = (frames - Math.max(0, due)) * 1_000_000_000L / format.sampleRate() + 1;
                    LockSupport.parkNanos(Math.min(missing, PERIOD_NANOS));
                    continue;
                }
            }
            for (int i = 0; i < frames; i++) {
                pattern.frame(done + i, buffer, offset + i * frameSize);
            }
            produced.set(done + frames);
            return (int) frames * frameSize;
        }
    }

    /** Milliseconds of audio delivered so far. */
    long producedMillis() {
        return produced.get() * 1000 / format.sampleRate();
    }

    @Override
    public String describe() {
        return "fake source " + format;
    }

    @Override
    public void close() {
        closed = true;
        closeCalls.incrementAndGet();
        Thread blocked = reader;
        if (blocked != null) {
            LockSupport.unpark(blocked);
        }
    }
}
