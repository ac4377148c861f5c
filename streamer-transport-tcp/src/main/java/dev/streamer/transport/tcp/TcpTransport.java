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
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import jdk.net.ExtendedSocketOptions;

/** Connects to one receiver; each {@link #open} resolves the host again and makes a new connection. */
final class TcpTransport implements Transport {

    /** With {@code sendBufferBytes} 0 the kernel buffers about this much audio; the rest waits in the ring. */
    static final int AUTO_SEND_BUFFER_MILLIS = 200;

    // Rank of a failed attempt when every address failed: the kind that tells the user most wins.
    // A refusal proves the host is up, a timeout that something is in the way; "unreachable" is
    // common and uninformative for an address family the machine has no route for.
    private static final List<Kind> MOST_INFORMATIVE_FIRST =
            List.of(Kind.REFUSED, Kind.RESET, Kind.CONNECT_TIMEOUT, Kind.UNREACHABLE, Kind.OTHER);

    private final TcpSettings settings;
    private final PluginContext context;
    private final System.Logger logger;
    private final String target;
    private volatile boolean closed;
    /** The name lookup and the selector an {@link #open} in progress waits on, so that {@link #close} can end the wait. */
    private volatile CompletableFuture<InetAddress[]> pendingLookup;
    private volatile Selector connectSelector;

    TcpTransport(TcpSettings settings, PluginContext context) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.context = Objects.requireNonNull(context, "context");
        this.logger = context.logger();
        this.target = "tcp://" + AddressText.authority(settings.host(), settings.port());
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public Link open(PcmFormat format) throws TransportException {
        Objects.requireNonNull(format, "format");
        requireOpen();
        InetAddress[] addresses = resolve(); // on every open: the receiver may have moved since the last one
        List<Attempt> failed = new ArrayList<>(addresses.length);
        for (InetAddress address : addresses) {
            requireOpen();
            Link link = connect(address, format, failed);
            if (link != null) {
                return link;
            }
            logger.log(Level.DEBUG, "{0}: {1}", target, failed.getLast().detail());
        }
        throw summarize(target, failed);
    }

    /** Close: an {@link #open} in progress in another thread gives up at once, later ones fail. */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<InetAddress[]> lookup = pendingLookup;
        if (lookup != null) {
            lookup.cancel(false);
        }
        Selector selector = connectSelector;
        if (selector != null) {
            selector.wakeup();
        }
    }

    /**
     * Return every address of the host, in the resolver's order.
     *
     * <p>The JDK's name lookup cannot be given a timeout, and an unanswered query (a {@code .local}
     * name without mDNS, a dead DNS server) blocks for the resolver's own retries. So a host name is
     * looked up on a virtual thread, and open waits for it no longer than the connect timeout; a
     * lookup that answers later is simply dropped.
     */
    private InetAddress[] resolve() throws TransportException {
        String host = settings.resolvableHost();
        try {
            return new InetAddress[] {InetAddress.ofLiteral(host)}; // no lookup needed
        } catch (IllegalArgumentException notALiteral) {
            // a host name, or a literal with a scope name: ask the resolver
        }
        CompletableFuture<InetAddress[]> lookup = new CompletableFuture<>();
        Thread.ofVirtual().name("streamer-tcp-resolve").start(() -> {
            try {
                lookup.complete(InetAddress.getAllByName(host));
            } catch (Throwable e) {
                lookup.completeExceptionally(e);
            }
        });
        pendingLookup = lookup;
        try {
            requireOpen();
            return lookup.get(settings.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw new TransportException(Kind.RESOLVE, target + ": cannot resolve host " + host, unknown);
            }
            throw new TransportException(Kind.OTHER, target + ": cannot resolve host " + host + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new TransportException(Kind.RESOLVE, target + ": the resolver did not answer for " + host
                    + " within " + settings.connectTimeoutMillis() + " ms", e);
        } catch (CancellationException e) {
            requireOpen(); // cancelled by close()
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(Kind.OTHER, target + ": interrupted while resolving " + host, e);
        } finally {
            pendingLookup = null;
        }
    }

    /** Return a link, or null after adding why {@code address} failed to {@code failed}. */
    private Link connect(InetAddress address, PcmFormat format, List<Attempt> failed) throws TransportException {
        SocketChannel channel = null;
        Selector selector = null;
        boolean connected = false;
        try {
            // An explicit family: an IPv4 address gets a real AF_INET socket (not a v4-mapped IPv6
            // one), so IP_TOS and the peer's address are those of the family actually used.
            channel = SocketChannel.open(address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            // Before connect, so that the SYN already carries the TOS and the buffer is in place.
            applyOptions(channel, format);
            selector = Selector.open();
            SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
            connectSelector = selector;
            requireOpen();
            long deadline = context.nanoClock().getAsLong() + settings.connectTimeoutMillis() * 1_000_000L;
            boolean done = channel.connect(new InetSocketAddress(address, settings.port()));
            while (!done) {
                long left = deadline - context.nanoClock().getAsLong();
                if (left <= 0) {
                    failed.add(describe(address, Kind.CONNECT_TIMEOUT, null));
                    return null;
                }
                selector.select(TcpLink::ignoreReadyKey, TcpLink.ceilMillis(left));
                requireOpen();
                if (Thread.currentThread().isInterrupted()) {
                    throw new TransportException(Kind.OTHER, target + ": connect interrupted");
                }
                done = channel.finishConnect();
            }
            key.interestOps(SelectionKey.OP_WRITE);
            String peer = AddressText.authority(address, settings.port());
            List<String> applied = readBackOptions(channel);
            logger.log(Level.INFO, "connected to {0} at {1} ({2})", target, peer, String.join(", ", applied));
            TcpLink link = new TcpLink(channel, selector, key, target, peer, applied, settings.writeTimeoutMillis(), context);
            connected = true;
            return link;
        } catch (IOException e) {
            failed.add(describe(address, FailureClassifier.duringConnect(e), e));
            return null;
        } catch (UnsupportedOperationException e) {
            // SocketChannel.open(INET6) where the JDK runs without IPv6 (java.net.preferIPv4Stack).
            failed.add(new Attempt(address, Kind.UNREACHABLE,
                    AddressText.literal(address) + " is unreachable: this JVM has no " + familyName(address), e));
            return null;
        } finally {
            connectSelector = null;
            if (!connected) {
                closeQuietly(channel);
                closeQuietly(selector);
            }
        }
    }

    private void applyOptions(SocketChannel channel, PcmFormat format) {
        applyOptions(channel, format, settings, logger, target);
    }

    /** Apply the socket options of {@code settings}; also used for the connections a server accepts. */
    static final boolean KERNEL_DOUBLES_SNDBUF = System.getProperty("os.name", "").startsWith("Linux");

    static void applyOptions(SocketChannel channel, PcmFormat format, TcpSettings settings, System.Logger logger, String target) {
        Set<SocketOption<?>> supported = channel.supportedOptions();
        int sendBuffer = settings.sendBufferBytes() != 0
                ? settings.sendBufferBytes()
                : Math.max(TcpSettings.MIN_SEND_BUFFER_BYTES, format.bytesForMillis(AUTO_SEND_BUFFER_MILLIS));
        // Linux doubles the size asked for (bookkeeping overhead) and the whole doubled buffer fills
        // with audio: ask for half, so the kernel holds what the setting says.
        trySet(channel, supported, StandardSocketOptions.SO_SNDBUF, KERNEL_DOUBLES_SNDBUF ? (sendBuffer + 1) / 2 : sendBuffer,
                logger, target);
        trySet(channel, supported, StandardSocketOptions.SO_KEEPALIVE, settings.keepAlive(), logger, target);
        if (settings.keepAlive()) {
            trySet(channel, supported, ExtendedSocketOptions.TCP_KEEPIDLE, settings.keepAliveIdleSeconds(), logger, target);
            trySet(channel, supported, ExtendedSocketOptions.TCP_KEEPINTERVAL, settings.keepAliveIntervalSeconds(), logger, target);
            trySet(channel, supported, ExtendedSocketOptions.TCP_KEEPCOUNT, settings.keepAliveCount(), logger, target);
        }
        // On an IPv6 socket the JDK sets the traffic class (IPV6_TCLASS) for IP_TOS.
        trySet(channel, supported, StandardSocketOptions.IP_TOS, settings.typeOfService(), logger, target);
        trySet(channel, supported, StandardSocketOptions.TCP_NODELAY, settings.noDelay(), logger, target);
    }

    private static <T> void trySet(SocketChannel channel, Set<SocketOption<?>> supported, SocketOption<T> option, T value,
                                   System.Logger logger, String target) {
        if (!supported.contains(option)) {
            logger.log(Level.DEBUG, "{0}: {1} is not supported here", target, option.name());
            return;
        }
        try {
            channel.setOption(option, value);
        } catch (IOException | IllegalArgumentException e) {
            // Options are tuning, not correctness: connect anyway; appliedOptions() shows what we got.
            logger.log(Level.WARNING, "{0}: could not set {1} to {2}: {3}", target, option.name(), value, e.getMessage());
        }
    }

    /** Return the options as the kernel reports them now, which may differ from what was asked. */
    static List<String> readBackOptions(SocketChannel channel) {
        Set<SocketOption<?>> supported = channel.supportedOptions();
        List<String> applied = new ArrayList<>(4);
        if (supported.contains(StandardSocketOptions.SO_SNDBUF)) {
            Object asked = readBack(channel, StandardSocketOptions.SO_SNDBUF);
            // the JDK reports what was asked; on Linux the kernel holds twice that
            applied.add("sndbuf=" + (KERNEL_DOUBLES_SNDBUF && asked instanceof Integer size ? size * 2 : asked));
        }
        if (supported.contains(StandardSocketOptions.SO_KEEPALIVE)) {
            boolean on = Boolean.TRUE.equals(readBack(channel, StandardSocketOptions.SO_KEEPALIVE));
            if (!on) {
                applied.add("keepalive=off");
            } else if (supported.contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
                applied.add("keepalive=" + readBack(channel, ExtendedSocketOptions.TCP_KEEPIDLE) + "s/"
                        + readBack(channel, ExtendedSocketOptions.TCP_KEEPINTERVAL) + "s/"
                        + readBack(channel, ExtendedSocketOptions.TCP_KEEPCOUNT));
            } else {
                applied.add("keepalive=on"); // the system's own timers
            }
        }
        if (supported.contains(StandardSocketOptions.IP_TOS)) {
            Integer tos = readBack(channel, StandardSocketOptions.IP_TOS);
            applied.add("tos=" + (tos == null ? "?" : String.format(Locale.ROOT, "0x%02x", tos)));
        }
        if (supported.contains(StandardSocketOptions.TCP_NODELAY)) {
            applied.add("nodelay=" + readBack(channel, StandardSocketOptions.TCP_NODELAY));
        }
        return List.copyOf(applied);
    }

    private static <T> T readBack(SocketChannel channel, SocketOption<T> option) {
        try {
            return channel.getOption(option);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private Attempt describe(InetAddress address, Kind kind, Exception cause) {
        String where = AddressText.literal(address);
        String detail = switch (kind) {
            case REFUSED -> "connection refused by " + where;
            case CONNECT_TIMEOUT -> where + " did not answer within " + settings.connectTimeoutMillis() + " ms";
            case UNREACHABLE -> where + " is unreachable (" + cause.getMessage() + ")";
            case RESET -> "connection reset by " + where;
            default -> "cannot connect to " + where + ": " + cause.getMessage();
        };
        return new Attempt(address, kind, detail, cause);
    }

    /** Report the most informative of the failed attempts, and how many addresses were tried. */
    static TransportException summarize(String target, List<Attempt> failed) {
        Attempt best = failed.getFirst();
        for (Attempt attempt : failed) {
            if (rank(attempt.kind()) < rank(best.kind())) {
                best = attempt;
            }
        }
        String message = target + ": " + best.detail();
        if (failed.size() > 1) {
            message += "; tried " + failed.size() + " addresses: " + failed.stream()
                    .map(a -> AddressText.literal(a.address()) + " " + a.kind().label())
                    .collect(Collectors.joining(", "));
        }
        return new TransportException(best.kind(), message, best.cause());
    }

    private static int rank(Kind kind) {
        int rank = MOST_INFORMATIVE_FIRST.indexOf(kind);
        return rank < 0 ? MOST_INFORMATIVE_FIRST.size() : rank;
    }

    private void requireOpen() throws TransportException {
        if (closed) {
            throw new TransportException(Kind.OTHER, target + ": the transport was closed");
        }
    }

    private static String familyName(InetAddress address) {
        return address instanceof Inet6Address ? "IPv6" : "IPv4";
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing is best effort: the descriptor is released either way.
        }
    }

    /** One address that could not be connected to, and why, in words meant for the user. */
    record Attempt(InetAddress address, Kind kind, String detail, Throwable cause) {
    }
}
