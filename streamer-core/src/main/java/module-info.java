/**
 * The streaming engine: capture thread, ring buffer, format conversion, sender thread with its
 * reconnect policy, and discovery of source and transport plugins.
 *
 * @uses dev.streamer.api.spi.SourceProvider
 * @uses dev.streamer.api.spi.TransportProvider
 */
module dev.streamer.core {
    requires transitive dev.streamer.api;

    exports dev.streamer.core;

    uses dev.streamer.api.spi.SourceProvider;
    uses dev.streamer.api.spi.TransportProvider;
}
