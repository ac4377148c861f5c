/**
 * The {@code pulse} source plugin: captures from a PulseAudio source natively, through libpulse's
 * asynchronous API called with {@link java.lang.foreign} (no JNI code, no Java Sound, no ALSA
 * plugin in between). It works with PulseAudio and with PipeWire's pipewire-pulse; a sink's
 * monitor source records what that sink plays.
 *
 * <p>The server converts rate, channels and sample format, so the source delivers the wire format
 * itself (any PCM layout PulseAudio has: s16, s24, s24-32, s32, float; signed 8-bit or unsigned
 * wider layouts come as s16 and the engine converts them).
 *
 * <p>It needs {@code libpulse.so.0} at run time (Debian/Ubuntu: libpulse0) and native access:
 * {@code --enable-native-access=dev.streamer.source.pulse} (the image's launcher and surefire's
 * argLine pass it). Without the library the plugin is still listed, and opening it or listing its
 * devices fails with a message that says what to install.
 *
 * @provides dev.streamer.api.spi.SourceProvider the {@code pulse} source
 */
module dev.streamer.source.pulse {
    requires dev.streamer.api;

    // Not exported: the application binds PulseSettings from JSON by reflection, which needs opens only.
    opens dev.streamer.source.pulse;

    provides dev.streamer.api.spi.SourceProvider with dev.streamer.source.pulse.PulseSourceProvider;
}
