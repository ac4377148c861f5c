package dev.streamer.api.spi;

import dev.streamer.api.DeviceInfo;
import java.util.List;

/**
 * Creates sources of audio: a capture device, a file, a generated signal.
 *
 * <p>Listing devices is separate from creating a source, as in {@code javax.sound.sampled.spi.MixerProvider}.
 *
 * @param <S> the settings record
 */
public interface SourceProvider<S extends Record> extends PluginProvider<S> {

    /**
     * List the devices this plugin can capture from, the default first.
     *
     * @throws SourceException if the platform cannot be asked (no audio system at all)
     */
    List<DeviceInfo> devices() throws SourceException;

    /** Create a source; nothing is opened until {@link Source#open}. */
    Source create(S settings, PluginContext context);
}
