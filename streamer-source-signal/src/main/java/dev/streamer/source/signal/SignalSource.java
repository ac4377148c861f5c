package dev.streamer.source.signal;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Pacer;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Generates the signal in the format the engine asks for, paced like a capture device.
 *
 * <p>Pacing ({@link Pacer}): a read of {@code k} frames waits until the last of them is due, so it
 * returns one period after the previous one, without drift; a caller that comes late gets its
 * frames at once and catches up, as with a device buffer.
 *
 * <p>Threading, as {@link Source} requires: {@link #open} runs before the capture thread starts
 * and sets everything {@link #read} uses; {@link #read} runs on that one thread; {@link #close}
 * may run on any thread, and wakes a waiting read, which then returns -1.
 */
final class SignalSource implements Source {

    private final SignalSettings settings;
    private final System.Logger logger;
    private final Pacer pacer;

    private volatile boolean closed;

    // Set by open(); afterwards used by the capture thread only.
    private PcmFormat format;
    private Generator generator;
    private SampleWriter writer;
    private int periodFrames;
    private long totalFrames; // Long.MAX_VALUE when endless
    private long delivered;   // frames returned since open

    SignalSource(SignalSettings settings, PluginContext context) {
        this(settings, context, LockSupport::parkNanos);
    }

    SignalSource(SignalSettings settings, PluginContext context, Pacer.Parker parker) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.logger = context.logger();
        this.pacer = new Pacer(context.nanoClock(), parker);
    }

    /** Generate exactly the preferred format: a generator can produce any rate and layout. */
    @Override
    public PcmFormat open(PcmFormat preferred, int periodFrames) throws SourceException {
        Objects.requireNonNull(preferred, "preferred");
        if (periodFrames < 1) {
            throw new IllegalArgumentException("periodFrames " + periodFrames + " is not positive");
        }
        if (closed) {
            throw new SourceException("The signal source was closed before it was opened.");
        }
        if (format != null) {
            throw new IllegalStateException("already open: " + describe());
        }
        int rate = preferred.sampleRate();
        Waveform waveform = settings.kind();
        if ((waveform == Waveform.SINE || waveform == Waveform.SWEEP) && settings.frequencyHz() > rate / 2.0) {
            throw new SourceException("signal: frequencyHz " + SignalSettings.number(settings.frequencyHz())
                    + " is above half the sample rate (" + SignalSettings.number(rate / 2.0) + " Hz at " + rate
                    + " Hz); choose a lower frequency or a higher --rate");
        }
        if (waveform == Waveform.SWEEP && settings.sweepToHz() > rate / 2.0) {
            logger.log(Level.INFO, () -> "signal: the sweep ends at " + SignalSettings.number(rate / 2.0)
                    + " Hz, half the sample rate, instead of " + SignalSettings.number(settings.sweepToHz()) + " Hz");
        }
        this.generator = new Generator(settings, rate);
        this.writer = new SampleWriter(preferred);
        this.periodFrames = periodFrames;
        this.totalFrames = settings.durationSeconds() == 0 ? Long.MAX_VALUE : Math.round(settings.durationSeconds() * rate);
        this.format = preferred;
        logger.log(Level.INFO, () -> "signal: generating " + signal() + " as " + preferred + " in reads of " + periodFrames + " frames");
        pacer.start(rate);
        return preferred;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (closed) {
            return -1;
        }
        if (format == null) {
            throw new IllegalStateException("read before open");
        }
        int frameSize = format.frameSize();
        if (length < frameSize) {
            throw new IllegalArgumentException("length " + length + " is less than one frame of " + frameSize + " bytes");
        }
        long left = totalFrames - delivered;
        if (left <= 0) {
            return -1; // durationSeconds of audio delivered: the end, as at the end of a file
        }
        int frames = (int) Math.min(Math.min(length / frameSize, periodFrames), left);
        long end = delivered + frames;
        if (!pacer.awaitFrames(end)) {
            return -1; // closed meanwhile
        }

        int at = offset;
        for (int i = 0; i < frames; i++) {
            at = writer.writeFrame(generator.next(), buffer, at);
        }
        delivered = end;
        return at - offset;
    }

    @Override
    public String describe() {
        PcmFormat f = format;
        return "signal: " + signal() + (f == null ? "" : ", " + f) + (closed ? " (closed)" : "");
    }

    /** Return what is generated, e.g. {@code sine 440 Hz at -12 dBFS}. */
    private String signal() {
        String what = switch (settings.kind()) {
            case SINE -> "sine " + SignalSettings.number(settings.frequencyHz()) + " Hz";
            case SWEEP -> "sweep " + SignalSettings.number(settings.frequencyHz()) + " to "
                    + SignalSettings.number(settings.sweepToHz()) + " Hz in " + SignalSettings.number(settings.sweepSeconds()) + " s";
            case WHITE, PINK -> settings.waveform() + " noise (seed " + settings.seed() + ")";
            case SILENCE -> "silence";
            case CLICKS -> "clicks every " + settings.clickIntervalMillis() + " ms";
        };
        String level = settings.kind() == Waveform.SILENCE ? "" : " at " + SignalSettings.number(settings.levelDbfs()) + " dBFS";
        String duration = settings.durationSeconds() == 0 ? "" : " for " + SignalSettings.number(settings.durationSeconds()) + " s";
        return what + level + duration;
    }

    /** Idempotent; wakes a read that waits for its period, which then returns -1. */
    @Override
    public void close() {
        closed = true;
        pacer.stop();
    }
}
