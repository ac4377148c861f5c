package dev.streamer.source.pulse;

import dev.streamer.api.DeviceInfo;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import dev.streamer.api.spi.SourceProvider;
import dev.streamer.source.pulse.PulseConnection.SourceEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Provides the {@code pulse} source: capture from a PulseAudio source, natively through libpulse.
 * Found by {@link java.util.ServiceLoader}; a machine without libpulse can still list and use
 * the other plugins.
 */
public final class PulseSourceProvider implements SourceProvider<PulseSettings> {

    private static final AtomicBoolean LINKING = new AtomicBoolean();

    /**
     * Found by {@link java.util.ServiceLoader}; opens nothing. It starts linking libpulse's functions
     * on a daemon thread: one generated stub per signature, about 90 ms that then overlap the rest of
     * start-up (configuration, settings) instead of delaying the first read. A missing library is
     * only noted there (see {@link LibPulse#problem}); whoever needs it first waits for the linking.
     */
    public PulseSourceProvider() {
        if (LINKING.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("pulse-link").start(LibPulse::problem);
        }
    }

    @Override
    public String name() {
        return "pulse";
    }

    @Override
    public String description() {
        return "Capture from a PulseAudio or PipeWire source (a monitor gives what you hear)";
    }

    @Override
    public Class<PulseSettings> settingsType() {
        return PulseSettings.class;
    }

    @Override
    public PulseSettings defaultSettings() {
        return PulseSettings.DEFAULTS;
    }

    /**
     * List the sources of libpulse's default server, the default source first. Monitors (what a sink
     * plays) are included.
     *
     * @throws SourceException if libpulse is missing or no server answers within the default timeout
     */
    @Override
    public List<DeviceInfo> devices() throws SourceException {
        try (PulseConnection connection = PulseConnection.open(PulseSettings.DEFAULTS.server(),
                PulseSettings.DEFAULTS.connectTimeoutMillis(), System::nanoTime, () -> false)) {
            String defaultName = connection.defaultSourceName(() -> false);
            List<DeviceInfo> devices = new ArrayList<>();
            for (SourceEntry source : connection.sources(() -> false)) {
                boolean isDefault = source.name().equals(defaultName);
                DeviceInfo device = new DeviceInfo(source.name(), description(source),
                        List.of(source.nativeFormat() + " (native)", "any rate, s16/24/32le or float, 1-32 ch (the server converts)"),
                        isDefault);
                if (isDefault) {
                    devices.addFirst(device);
                } else {
                    devices.add(device);
                }
            }
            return devices;
        } catch (RuntimeException | LinkageError e) { // never let a native surprise end `streamer devices`
            throw new SourceException("Could not list PulseAudio's sources: " + e, e);
        }
    }

    /** What the server says about a source; a monitor also says which sink it records. */
    static String description(SourceEntry source) {
        String description = source.description();
        if (!source.isMonitor()) {
            return description;
        }
        String sink = source.name().substring(0, source.name().length() - ".monitor".length());
        String said = description.toLowerCase(Locale.ROOT).contains("monitor of") ? description
                : (description.isEmpty() ? "" : description + ", ") + "monitor of " + sink;
        return said + " (records what " + sink + " plays)";
    }

    /** Create a source; nothing is opened until {@link Source#open}. */
    @Override
    public Source create(PulseSettings settings, PluginContext context) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(context, "context");
        return new PulseSource(settings, context);
    }
}
