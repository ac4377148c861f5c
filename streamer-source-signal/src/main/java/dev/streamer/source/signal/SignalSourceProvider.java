package dev.streamer.source.signal;

import dev.streamer.api.DeviceInfo;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceProvider;
import java.util.List;
import java.util.Objects;

/**
 * Provides the {@code signal} source. Found by {@link java.util.ServiceLoader} through the
 * module's {@code provides}; stateless and cheap, as every provider must be.
 */
public final class SignalSourceProvider implements SourceProvider<SignalSettings> {

    /** Found by {@link java.util.ServiceLoader}; opens nothing. */
    public SignalSourceProvider() {
    }

    @Override
    public String name() {
        return "signal";
    }

    @Override
    public String description() {
        return "Generate a test signal: sine, sweep, white or pink noise, silence or clicks, paced in real time";
    }

    @Override
    public Class<SignalSettings> settingsType() {
        return SignalSettings.class;
    }

    @Override
    public SignalSettings defaultSettings() {
        return SignalSettings.DEFAULTS;
    }

    /** One "device": the generator, which produces whatever format the wire needs. */
    @Override
    public List<DeviceInfo> devices() {
        return List.of(new DeviceInfo("signal generator", "waveforms: " + Waveform.labels() + " (--set source.waveform=NAME)",
                List.of("any rate, s16/24/32le, 1-2 ch"), true));
    }

    /** Create a source; nothing is generated until {@link Source#open}. */
    @Override
    public Source create(SignalSettings settings, PluginContext context) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(context, "context");
        return new SignalSource(settings, context);
    }
}
