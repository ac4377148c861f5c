package dev.streamer.transport.tcp;

import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Transport;
import dev.streamer.api.spi.TransportProvider;
import java.util.Objects;

/**
 * The {@code tcp} transport: raw PCM over a TCP connection to a receiver such as Snapcast's TCP
 * source, or, in server mode, to every receiver that connects (raw PCM, or WAV over HTTP).
 */
public final class TcpTransportProvider implements TransportProvider<TcpSettings> {

    /** Found by {@link java.util.ServiceLoader}; creating it opens nothing. */
    public TcpTransportProvider() {
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public String description() {
        return "raw PCM to a TCP receiver (e.g. Snapcast's TCP source), or as a server: raw PCM and WAV over HTTP to receivers that connect";
    }

    @Override
    public Class<TcpSettings> settingsType() {
        return TcpSettings.class;
    }

    /** Return Snapcast's TCP source on this machine, with the tuning that suits live audio. */
    @Override
    public TcpSettings defaultSettings() {
        return new TcpSettings("127.0.0.1", 4953, 3000, 5000, 0, true, 5, 2, 3, "voip", true,
                TcpSettings.CLIENT, "::", 8, java.util.List.of());
    }

    /** Return a transport that connects to {@code host} or, with {@code mode} {@code server}, listens for receivers. */
    @Override
    public Transport create(TcpSettings settings, PluginContext context) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(context, "context");
        return settings.serverMode() ? new TcpServerTransport(settings, context) : new TcpTransport(settings, context);
    }
}
