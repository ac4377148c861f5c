package dev.streamer.source.javasound;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.SilentDeviceWatch;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;

/**
 * Captures from one Java Sound {@link TargetDataLine}.
 *
 * <p>Reads never block inside Java Sound: {@code TargetDataLine.read} waits until the whole request
 * is there, ignores interrupts and only returns early on {@code stop()}. So {@link #read} waits by
 * polling {@code available()} (parking for about the time the missing frames take) and then reads
 * at most one period that is already buffered. That bounds every call, lets {@link #close} end it
 * within a millisecond or so, and keeps the loop free of allocation.
 */
final class JavaSoundSource implements Source {

    /** Opens the line (not started) that a source reads; a test replaces the device with a simulation. */
    @FunctionalInterface
    interface LineOpener {
        Opened open(PcmFormat preferred, int periodFrames) throws SourceException;
    }

    /** An opened, not yet started line and what it delivers. */
    record Opened(TargetDataLine line, String deviceName, PcmFormat format, int requestedBufferBytes) {
    }

    private static final long MILLIS = 1_000_000L;
    private static final long MIN_WAIT_NANOS = 20 * MILLIS;
    private static final long MIN_PARK_NANOS = MILLIS / 4;
    private static final int MAX_OPEN_ATTEMPTS = 3;

    private final JavaSoundSettings settings;
    private final System.Logger logger;
    private final LongSupplier clock;
    private final LineOpener opener;
    private final Object stateLock = new Object();

    private volatile boolean closed;
    private volatile TargetDataLine line;
    private volatile OverrunMeter meter;
    private volatile Thread reader;
    private String deviceName;
    private PcmFormat format;

    // capture-thread state, set in open
    private int frameSize;
    private int periodFrames;
    private long maxWaitNanos;
    private long deliveredFrames;
    private SilentDeviceWatch silence;

    JavaSoundSource(JavaSoundSettings settings, PluginContext context) {
        this(settings, context, null);
    }

    JavaSoundSource(JavaSoundSettings settings, PluginContext context, LineOpener opener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.logger = context.logger();
        this.clock = context.nanoClock();
        this.opener = opener != null ? opener : this::openDevice;
    }

    @Override
    public PcmFormat open(PcmFormat preferred, int periodFrames) throws SourceException {
        Objects.requireNonNull(preferred, "preferred");
        if (periodFrames < 1) {
            throw new IllegalArgumentException("periodFrames " + periodFrames + " is not positive");
        }
        synchronized (stateLock) {
            if (closed) {
                throw new SourceException("The javasound source was closed before it was opened.");
            }
            if (line != null) {
                throw new IllegalStateException("already open: " + describe());
            }
            Opened opened = opener.open(preferred, periodFrames);
            TargetDataLine l = opened.line();
            PcmFormat f = opened.format();
            try {
                int granted = l.getBufferSize();
                this.deviceName = opened.deviceName();
                this.format = f;
                this.frameSize = f.frameSize();
                int grantedFrames = granted / frameSize;
                // at most half the device buffer per read, so that a read a little late does not overrun it
                int readFrames = Math.max(1, Math.min(periodFrames, grantedFrames / 2));
                this.periodFrames = readFrames;
                this.maxWaitNanos = Math.max(2 * f.nanosFor(f.bytes(readFrames)), MIN_WAIT_NANOS);
                this.meter = new OverrunMeter(f.sampleRate(), readFrames, grantedFrames);
                logger.log(Level.INFO, () -> "javasound: capturing from " + opened.deviceName() + " at " + f
                        + (f.equals(preferred) ? "" : " (the engine converts it to " + preferred + ")")
                        + "; device buffer " + granted + " bytes (" + millis(f, granted) + " ms) granted for "
                        + opened.requestedBufferBytes() + " requested; reads of " + readFrames + " frames ("
                        + millis(f, f.bytes(readFrames)) + " ms)");
                l.start();
                long now = clock.getAsLong();
                meter.start(now);
                silence = new SilentDeviceWatch(logger, "Capture device \"" + opened.deviceName() + "\"",
                        "it was unplugged, suspended or taken by another program", now);
                line = l;
            } catch (RuntimeException e) {
                l.close();
                throw new SourceException("Could not start capturing from " + opened.deviceName() + ": " + e.getMessage(), e);
            }
            return f;
        }
    }

    /** Pick the mixer, negotiate the format and open a line with a small buffer. */
    private Opened openDevice(PcmFormat preferred, int periodFrames) throws SourceException {
        List<CaptureDevices.Capture> captures = CaptureDevices.list();
        if (captures.isEmpty()) {
            throw new SourceException("No audio capture device found: Java Sound lists no mixer that can record."
                    + " On Linux it needs ALSA (libasound2) and a capture device or an ALSA \"default\" PCM.");
        }
        CaptureDevices.Capture capture;
        if (settings.wantsDefaultDevice()) {
            capture = captures.get(CaptureDevices.defaultIndex(
                    captures.stream().map(CaptureDevices.Capture::info).toList(), CaptureDevices.defaultSpec()));
        } else {
            capture = captures.get(CaptureDevices.select(
                    captures.stream().map(CaptureDevices.Capture::name).toList(), settings.device()));
        }
        List<PcmFormat> candidates = FormatNegotiation.candidates(preferred, capture.formats(), capture.name());
        List<String> failures = new ArrayList<>();
        Exception last = null;
        for (PcmFormat candidate : candidates.subList(0, Math.min(MAX_OPEN_ATTEMPTS, candidates.size()))) {
            AudioFormat audioFormat = FormatNegotiation.toAudioFormat(candidate);
            int bufferFrames = Math.max(candidate.sampleRate() * settings.bufferMillis() / 1000, 2 * periodFrames);
            int bufferBytes = candidate.bytes(bufferFrames);
            TargetDataLine l = null;
            try {
                l = (TargetDataLine) capture.mixer().getLine(new DataLine.Info(TargetDataLine.class, audioFormat));
                l.open(audioFormat, bufferBytes);
                return new Opened(l, capture.name(), candidate, bufferBytes);
            } catch (LineUnavailableException | IllegalArgumentException | SecurityException | ClassCastException e) {
                if (l != null) {
                    l.close();
                }
                failures.add(candidate + ": " + e.getMessage());
                last = e;
            }
        }
        throw new SourceException("Could not open capture device \"" + capture.name() + "\" (busy, or it refused the format): "
                + String.join("; ", failures), last);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws SourceException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        TargetDataLine l = line;
        if (closed) {
            return -1;
        }
        if (l == null) {
            throw new IllegalStateException("read before open");
        }
        int wantFrames = Math.min(length / frameSize, periodFrames);
        if (wantFrames == 0) {
            throw new IllegalArgumentException("length " + length + " is less than one frame of " + frameSize + " bytes");
        }
        int want = wantFrames * frameSize;
        reader = Thread.currentThread();
        try {
            int available = l.available();
            long now = clock.getAsLong();
            boolean drained = available < want;
            meter.update(deliveredFrames, available / frameSize, now, drained);
            long deadline = now + maxWaitNanos;
            while (available < want) {
                if (closed) {
                    return -1;
                }
                if (now - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                    want = available / frameSize * frameSize; // deliver what is there, possibly nothing
                    break;
                }
                long missingNanos = format.nanosFor(want - available);
                LockSupport.parkNanos(this, Math.min(Math.max(missingNanos, MIN_PARK_NANOS), deadline - now));
                available = l.available();
                now = clock.getAsLong();
            }
            int n = want == 0 ? 0 : l.read(buffer, offset, want);
            if (closed) {
                return -1;
            }
            if (n > 0) {
                deliveredFrames += n / frameSize;
                silence.delivered(now);
            } else {
                silence.deliveredNothing(now);
            }
            return n;
        } catch (RuntimeException e) {
            if (closed) {
                return -1;
            }
            throw new SourceException("Capture device \"" + deviceName + "\" failed: " + e, e);
        }
    }

    @Override
    public long overrunFrames() {
        OverrunMeter m = meter;
        return m == null ? 0 : m.overrunFrames();
    }

    @Override
    public String describe() {
        synchronized (stateLock) {
            if (line != null) {
                return deviceName + " " + format + (closed ? " (closed)" : "");
            }
            String what = settings.wantsDefaultDevice() ? "the default capture device" : "device \"" + settings.device() + "\"";
            return "javasound: " + what + (closed ? " (closed)" : " (not open)");
        }
    }

    @Override
    public void close() {
        TargetDataLine l;
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            l = line;
        }
        Thread r = reader;
        if (r != null) {
            LockSupport.unpark(r); // a read waiting for data sees the close at once
        }
        if (l == null) {
            return;
        }
        // stop() wakes a read blocked inside Java Sound, flush() drops what is buffered, close() frees the device
        for (Runnable step : List.<Runnable>of(l::stop, l::flush, l::close)) {
            try {
                step.run();
            } catch (RuntimeException e) {
                logger.log(Level.DEBUG, () -> "javasound: closing " + deviceName + ": " + e);
            }
        }
        logger.log(Level.DEBUG, () -> "javasound: closed " + deviceName + " after " + deliveredFrames + " frames, "
                + overrunFrames() + " discarded");
    }

    private static String millis(PcmFormat f, int bytes) {
        return String.format(Locale.ROOT, "%.1f", f.nanosFor(bytes) / 1e6);
    }
}
