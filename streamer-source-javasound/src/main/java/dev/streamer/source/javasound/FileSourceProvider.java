package dev.streamer.source.javasound;

import dev.streamer.api.DeviceInfo;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceProvider;
import java.util.List;
import java.util.Objects;

/** Provides the {@code file} source: play a WAV, AIFF or AU file through Java Sound's file readers. */
public final class FileSourceProvider implements SourceProvider<FileSettings> {

    /** Found by {@link java.util.ServiceLoader}; opens nothing. */
    public FileSourceProvider() {
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public String description() {
        return "Play a WAV, AIFF or AU file (--set source.path=FILE), once or in a loop, in real time";
    }

    @Override
    public Class<FileSettings> settingsType() {
        return FileSettings.class;
    }

    @Override
    public FileSettings defaultSettings() {
        return FileSettings.DEFAULTS;
    }

    /** One "device": whatever file the settings name. */
    @Override
    public List<DeviceInfo> devices() {
        return List.of(new DeviceInfo("file", "the file of --set source.path=FILE; --set source.loop=true repeats it",
                List.of("the file's own rate, bits and channels: " + FileSource.SUPPORTED), true));
    }

    @Override
    public Source create(FileSettings settings, PluginContext context) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(context, "context");
        return new FileSource(settings, context);
    }
}
