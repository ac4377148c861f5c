package dev.streamer.api.spi;

import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * Notices a capture device that stays open but stops delivering audio (suspended, unplugged, taken
 * by another program, its sound server stalled). Once its reads have delivered nothing for
 * {@link #WARN_NANOS 3 s} it logs a warning, once per silence; at {@link #FAIL_NANOS 10 s} it fails the
 * read, so that the engine stops with the reason instead of streaming nothing for ever.
 *
 * <p>For sources that a device paces, whose reads return 0 when nothing came within their wait; not
 * for a pipe or a file, whose writer may rightly pause. The times are the plugin's monotonic clock
 * ({@link PluginContext#nanoClock()}). Capture thread only; nothing is allocated until it warns.
 */
public final class SilentDeviceWatch {

    public static final long WARN_NANOS = 3_000_000_000L;
    public static final long FAIL_NANOS = 10_000_000_000L;

    private final System.Logger logger;
    private final String device;
    private final String causes;
    private long lastDataNanos;
    private boolean warned;

    /**
     * @param device what the messages call the device, e.g. {@code PulseAudio source "ci_sink.monitor"}
     * @param causes what the failure suggests happened, e.g. {@code it was suspended or the server stalled}
     * @param now when the device started: its silence is counted from here
     */
    public SilentDeviceWatch(System.Logger logger, String device, String causes, long now) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.device = Objects.requireNonNull(device, "device");
        this.causes = Objects.requireNonNull(causes, "causes");
        this.lastDataNanos = now;
    }

    /** A read delivered audio: the silence, if any, is over. */
    public void delivered(long now) {
        lastDataNanos = now;
        warned = false;
    }

    /**
     * A read delivered nothing: warn once the silence reaches 3 s, fail at 10 s.
     *
     * @throws SourceException once the device has delivered nothing for 10 s
     */
    public void deliveredNothing(long now) throws SourceException {
        long silent = now - lastDataNanos;
        if (silent >= FAIL_NANOS) {
            throw new SourceException(device + " delivered no audio for " + silent / 1_000_000_000L + " s; " + causes + ".");
        }
        if (silent >= WARN_NANOS && !warned) {
            warned = true;
            logger.log(Level.WARNING, device + " has delivered no audio for " + silent / 1_000_000L + " ms");
        }
    }
}
