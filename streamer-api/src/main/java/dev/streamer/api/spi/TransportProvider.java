package dev.streamer.api.spi;

/**
 * Creates transports that carry audio to a receiver.
 *
 * @param <S> the settings record
 */
public interface TransportProvider<S extends Record> extends PluginProvider<S> {

    /** Create a transport; nothing is connected or bound until {@link Transport#open}. */
    Transport create(S settings, PluginContext context);
}
