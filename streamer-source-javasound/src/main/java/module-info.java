/**
 * The {@code javasound} source plugin: captures PCM from a Java Sound input mixer (ALSA on Linux,
 * DirectSound on Windows, Core Audio on macOS).
 *
 * <p>The device delivers the wire format's sample rate in whatever layout it has; channels, bit
 * depth and byte order are left to the engine's converter, and a rate the device cannot offer is an
 * error that lists the rates it has, never a silent resampling.
 *
 * <p>The module also provides the {@code file} source, which plays a WAV, AIFF or AU file through
 * Java Sound's file readers in its own format, paced in real time, once or in a loop.
 *
 * @provides dev.streamer.api.spi.SourceProvider the {@code javasound} and {@code file} sources
 */
module dev.streamer.source.javasound {
    requires dev.streamer.api;
    requires java.desktop; // javax.sound.sampled

    // Not exported: the application binds JavaSoundSettings and FileSettings from JSON by reflection, which needs opens only.
    opens dev.streamer.source.javasound;

    provides dev.streamer.api.spi.SourceProvider with
            dev.streamer.source.javasound.JavaSoundSourceProvider,
            dev.streamer.source.javasound.FileSourceProvider;
}
