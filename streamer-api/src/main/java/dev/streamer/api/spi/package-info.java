/**
 * Service interfaces for plugins: a {@link dev.streamer.api.spi.SourceProvider} creates a
 * {@link dev.streamer.api.spi.Source} of audio, a {@link dev.streamer.api.spi.TransportProvider}
 * creates a {@link dev.streamer.api.spi.Transport} that carries it to a receiver.
 *
 * <p>Providers are found by {@link java.util.ServiceLoader}: a plugin module {@code provides} its
 * provider and exports nothing.
 */
package dev.streamer.api.spi;
