package dev.streamer.source.stdin;

import dev.streamer.api.DeviceInfo;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceProvider;
import java.util.List;
import java.util.Objects;

/** Provides the {@code stdin} source: raw PCM piped into streamer. */
public final class StdinSourceProvider implements SourceProvider<StdinSettings> {

    /** Found by {@link java.util.ServiceLoader}; opens nothing. */
    public StdinSourceProvider() {
    }

    @Override
    public String name() {
        return "stdin";
    }

    @Override
    public String description() {
        return "Read raw PCM from standard input (parec --raw, an MPD FIFO), in the format of its settings";
    }

    @Override
    public Class<StdinSettings> settingsType() {
        return StdinSettings.class;
    }

    @Override
    public StdinSettings defaultSettings() {
        return StdinSettings.DEFAULTS;
    }

    /** One "device": standard input. */
    @Override
    public List<DeviceInfo> devices() {
        return List.of(new DeviceInfo("stdin", "standard input: raw interleaved PCM without a header",
                List.of("the format of the settings: rate (48000), bits 16/24/32 (16), channels (2), encoding s/u/f (s), bigEndian (false)"),
                true));
    }

    /** Create a source; standard input is not touched until {@link Source#open}. */
    @Override
    public Source create(StdinSettings settings, PluginContext context) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(context, "context");
        return new StdinSource(settings, context);
    }
}
