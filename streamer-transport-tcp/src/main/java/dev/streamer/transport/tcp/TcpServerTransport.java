package dev.streamer.transport.tcp;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Transport;
import dev.streamer.api.spi.TransportException;
import dev.streamer.api.spi.TransportException.Kind;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Server mode: {@link #open} listens on {@code listenAddress:port} and returns a
 * {@link TcpServerLink} that streams to every receiver that connects.
 *
 * <p>{@code ::} is one dual-stack socket (the JDK clears {@code IPV6_V6ONLY}), reached over IPv6
 * and IPv4; where this JVM has no IPv6, {@code ::} falls back to {@code 0.0.0.0}. The target reads
 * {@code tcp-server://[::]:4953}.
 */
final class TcpServerTransport implements Transport {

    /** Connections the kernel may queue before we accept them. */
    static final int BACKLOG = 128;

    private final TcpSettings settings;
    private final PluginContext context;
    private final System.Logger logger;
    private final String target;
    private volatile boolean closed;

    TcpServerTransport(TcpSettings settings, PluginContext context) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.context = Objects.requireNonNull(context, "context");
        this.logger = context.logger();
        this.target = "tcp-server://" + AddressText.authority(settings.listenAddress(), settings.port());
    }

    @Override
    public String target() {
        return target;
    }

    /** Listen and return the server link; fails with {@link Kind#BIND} when the address cannot be bound. */
    @Override
    public Link open(PcmFormat format) throws TransportException {
        Objects.requireNonNull(format, "format");
        if (closed) {
            throw new TransportException(Kind.OTHER, target + ": the transport was closed");
        }
        InetAddress address = settings.listenInetAddress();
        ServerSocketChannel listener = null;
        boolean opened = false;
        try {
            try {
                listener = ServerSocketChannel.open(address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            } catch (UnsupportedOperationException | IOException e) {
                if (!(address instanceof Inet6Address) || !address.isAnyLocalAddress()) {
                    throw new TransportException(Kind.BIND, target + ": cannot listen on " + AddressText.literal(address)
                            + ": this JVM has no IPv6 (" + e.getMessage() + ")", e);
                }
                logger.log(Level.INFO, "{0}: no IPv6 here ({1}); listening on 0.0.0.0 (IPv4 only) instead", target, e.getMessage());
                address = InetAddress.ofLiteral("0.0.0.0");
                listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
            }
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true); // a restart is not blocked by TIME_WAIT
            try {
                listener.bind(new InetSocketAddress(address, settings.port()), BACKLOG);
            } catch (IOException e) {
                throw bindFailure(address, e);
            }
            String listening = AddressText.authority(address, settings.port());
            boolean dualStack = address instanceof Inet6Address && address.isAnyLocalAddress();
            List<String> applied = new ArrayList<>();
            applied.add("listen=" + listening + (dualStack ? " (IPv6 and IPv4)" : ""));
            applied.add("maxClients=" + settings.maxClients());
            applied.add("allow=" + settings.allowList());
            TcpServerLink link = new TcpServerLink(listener, settings, format, target, listening, List.copyOf(applied), context);
            String host = address.isAnyLocalAddress() ? "<this host>" : AddressText.literal(address);
            String hostPort = AddressText.authority(host, settings.port());
            WavStream wav = WavStream.of(format);
            logger.log(Level.INFO, "listening on {0}{1} for up to {2} receivers (allow: {3}): raw PCM {4} at tcp://{5}, {6}",
                    listening, dualStack ? " (IPv6 and IPv4)" : "", String.valueOf(settings.maxClients()), settings.allowList(), format,
                    hostPort, wav == null ? "no WAV over HTTP for this format" : wav + " at http://" + hostPort + HttpRequest.STREAM_PATH);
            opened = true;
            return link;
        } catch (IOException e) {
            throw new TransportException(Kind.BIND, target + ": cannot listen: " + e.getMessage(), e);
        } finally {
            if (!opened) {
                TcpTransport.closeQuietly(listener);
            }
        }
    }

    private TransportException bindFailure(InetAddress address, IOException e) {
        String where = AddressText.authority(address, settings.port());
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        String detail;
        if (message.contains("in use")) {
            detail = "port " + settings.port() + " is already in use (another streamer, or a receiver listening there?)";
        } else if (message.contains("assign")) {
            detail = AddressText.literal(address) + " is not an address of this host";
        } else if (message.contains("permission") || message.contains("access")) {
            detail = "no permission to listen on port " + settings.port() + (settings.port() < 1024 ? " (below 1024)" : "");
        } else {
            detail = e.getMessage();
        }
        return new TransportException(Kind.BIND, target + ": cannot listen on " + where + ": " + detail, e);
    }

    /** Later opens fail; a link already open stays open until the engine closes it. */
    @Override
    public void close() {
        closed = true;
    }
}
