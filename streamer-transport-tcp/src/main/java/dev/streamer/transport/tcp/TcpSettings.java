package dev.streamer.transport.tcp;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Settings of the {@code tcp} transport: where the receiver is and how the socket is tuned.
 *
 * <p>In {@code client} mode streamer connects to {@code host:port}; in {@code server} mode it
 * listens on {@code listenAddress:port} and receivers connect to it: raw PCM receivers (Snapcast's
 * TCP source with {@code mode=client}, {@code ffmpeg -f s16le -i tcp://...}) and HTTP players
 * ({@code GET /stream.wav}).
 *
 * @param host the receiver (client mode): a host name, an IPv4 address, or an IPv6 address with or
 *     without brackets ({@code ::1} or {@code [::1]}); resolved again on every connect
 * @param port the receiver's TCP port in client mode, the port to listen on in server mode, 1 to
 *     65535 (Snapcast's TCP source uses 4953)
 * @param connectTimeoutMillis how long the name lookup, then each resolved address, may take to answer
 * @param writeTimeoutMillis how long one write may wait for a receiver that stopped reading; in
 *     server mode, how long a client's queued audio may stay unsent before it is cut off
 * @param sendBufferBytes the kernel send buffer to ask for; 0 sizes it to about 200 ms of the
 *     stream's audio, so that a backlog builds up in the engine's ring (where it can be dropped)
 *     rather than in the kernel (where it only adds latency)
 * @param keepAlive whether to probe an idle connection, to notice a receiver that vanished
 * @param keepAliveIdleSeconds idle time before the first probe, 1 to 32767
 * @param keepAliveIntervalSeconds time between unanswered probes, 1 to 32767
 * @param keepAliveCount unanswered probes before the connection is dropped, 1 to 127
 * @param dscp traffic class of the packets: {@code voip} (EF), {@code lowdelay}, {@code throughput},
 *     {@code besteffort}, or a DSCP number 0 to 63
 * @param noDelay whether to send each chunk at once instead of letting Nagle's algorithm batch it
 * @param mode {@code client} (connect to {@code host}) or {@code server} (listen for receivers)
 * @param listenAddress server mode: the local address to listen on, an IP literal: {@code ::} (every
 *     interface, IPv6 and IPv4), {@code 0.0.0.0} (every interface, IPv4 only), or one address such
 *     as {@code 127.0.0.1}, {@code ::1}, {@code 192.168.1.20}
 * @param maxClients server mode: how many receivers may be connected at once, 1 to 256
 * @param allow server mode: who may connect, as IP addresses and CIDR ranges of either family
 *     ({@code 192.168.1.0/24}, {@code fd00::/64}, {@code 10.0.0.5}); an entry may hold several
 *     separated by commas or spaces; empty lets everyone in
 */
public record TcpSettings(
        String host,
        int port,
        int connectTimeoutMillis,
        int writeTimeoutMillis,
        int sendBufferBytes,
        boolean keepAlive,
        int keepAliveIdleSeconds,
        int keepAliveIntervalSeconds,
        int keepAliveCount,
        String dscp,
        boolean noDelay,
        String mode,
        String listenAddress,
        int maxClients,
        List<String> allow) {

    /** The value of {@link #mode} that connects to a receiver. */
    static final String CLIENT = "client";
    /** The value of {@link #mode} that listens for receivers. */
    static final String SERVER = "server";
    static final int MAX_CLIENTS = 256;

    static final int MAX_TIMEOUT_MILLIS = 600_000;
    static final int MIN_SEND_BUFFER_BYTES = 1024;
    static final int MAX_SEND_BUFFER_BYTES = 64 << 20;
    // Linux's limits (MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL, MAX_TCP_KEEPCNT); other systems accept these too.
    static final int MAX_KEEPALIVE_SECONDS = 32_767;
    static final int MAX_KEEPALIVE_COUNT = 127;

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?");
    private static final Pattern LOOKS_NUMERIC = Pattern.compile("[0-9.]+");
    private static final Pattern HOST_WITH_PORT = Pattern.compile("[^:\\[\\]]+:[0-9]+");

    public TcpSettings {
        validateHost(host);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        requireInRange("connectTimeoutMillis", connectTimeoutMillis, 1, MAX_TIMEOUT_MILLIS);
        requireInRange("writeTimeoutMillis", writeTimeoutMillis, 1, MAX_TIMEOUT_MILLIS);
        if (sendBufferBytes != 0 && (sendBufferBytes < MIN_SEND_BUFFER_BYTES || sendBufferBytes > MAX_SEND_BUFFER_BYTES)) {
            throw new IllegalArgumentException("sendBufferBytes " + sendBufferBytes + " is neither 0 (automatic) nor within "
                    + MIN_SEND_BUFFER_BYTES + ".." + MAX_SEND_BUFFER_BYTES);
        }
        requireInRange("keepAliveIdleSeconds", keepAliveIdleSeconds, 1, MAX_KEEPALIVE_SECONDS);
        requireInRange("keepAliveIntervalSeconds", keepAliveIntervalSeconds, 1, MAX_KEEPALIVE_SECONDS);
        requireInRange("keepAliveCount", keepAliveCount, 1, MAX_KEEPALIVE_COUNT);
        typeOfService(dscp);
        if (mode == null || !(mode.equals(CLIENT) || mode.equals(SERVER))) {
            throw new IllegalArgumentException((mode == null ? "mode is required" : "mode \"" + mode + "\" is not valid")
                    + ": client (connect to host:port) or server (listen on listenAddress:port)");
        }
        validateListenAddress(listenAddress);
        requireInRange("maxClients", maxClients, 1, MAX_CLIENTS);
        if (allow == null) {
            throw new IllegalArgumentException("allow is required: a list of IP addresses and CIDR ranges, [] for everyone");
        }
        allow = List.copyOf(allow); // rejects null entries
        AllowList.parse(allow); // throws naming the entry
    }

    /** Return whether receivers connect to us. */
    boolean serverMode() {
        return SERVER.equals(mode);
    }

    /** Return {@link #listenAddress} without the brackets an IPv6 literal may be written with. */
    InetAddress listenInetAddress() {
        return InetAddress.ofLiteral(AddressText.unbracketed(listenAddress));
    }

    /** Return who may connect in server mode. */
    AllowList allowList() {
        return AllowList.parse(allow);
    }

    /** Return the host as the resolver wants it: an IPv6 literal without brackets. */
    String resolvableHost() {
        return AddressText.unbracketed(host);
    }

    /** Return the IP TOS byte (IPv6 traffic class) for {@link #dscp}: the DSCP in the upper six bits. */
    int typeOfService() {
        return typeOfService(dscp);
    }

    private static int typeOfService(String dscp) {
        if (dscp == null) {
            throw new IllegalArgumentException("dscp is required: one of voip, lowdelay, throughput, besteffort or a number 0-63");
        }
        switch (dscp.trim().toLowerCase(Locale.ROOT)) {
            case "voip":
                return 0xB8; // DSCP 46, Expedited Forwarding
            case "lowdelay":
                return 0x10; // the old IPTOS_LOWDELAY bit
            case "throughput":
                return 0x08; // the old IPTOS_THROUGHPUT bit
            case "besteffort":
                return 0x00;
            default:
                break;
        }
        String number = dscp.trim();
        if (!number.isEmpty() && number.length() <= 2 && number.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int value = Integer.parseInt(number);
            if (value <= 63) {
                return value << 2;
            }
        }
        throw new IllegalArgumentException("dscp \"" + dscp + "\" is not one of voip, lowdelay, throughput, besteffort or a number 0-63");
    }

    private static void validateHost(String host) {
        String valid = "a host name, an IPv4 address or an IPv6 address such as ::1 or [::1]";
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required: " + valid);
        }
        if (host.startsWith("[") || host.endsWith("]")) {
            String bare = AddressText.unbracketed(host);
            if (bare.equals(host) || bare.indexOf(':') < 0 || !isLiteral(bare)) {
                throw new IllegalArgumentException("host \"" + host + "\" is not an IPv6 address in brackets, such as [::1]");
            }
            return;
        }
        if (host.indexOf(':') >= 0) {
            if (isLiteral(host)) {
                return;
            }
            if (HOST_WITH_PORT.matcher(host).matches()) {
                throw new IllegalArgumentException("host \"" + host + "\" contains a port; give the port in \"port\"");
            }
            throw new IllegalArgumentException("host \"" + host + "\" is not a valid IPv6 address");
        }
        if (LOOKS_NUMERIC.matcher(host).matches()) {
            if (!isLiteral(host)) {
                throw new IllegalArgumentException("host \"" + host + "\" is not a valid IPv4 address");
            }
            return;
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("host \"" + host + "\" is not " + valid);
        }
    }

    private static void validateListenAddress(String address) {
        String valid = "an IP address such as :: (every interface, IPv6 and IPv4), 0.0.0.0 (every interface, IPv4 only),"
                + " 127.0.0.1 or ::1";
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("listenAddress is required: " + valid);
        }
        String bare = AddressText.unbracketed(address.strip());
        boolean bracketed = !bare.equals(address.strip());
        if (!address.equals(address.strip()) || !isLiteral(bare) || (bracketed && bare.indexOf(':') < 0)) {
            throw new IllegalArgumentException("listenAddress \"" + address + "\" is not " + valid);
        }
    }

    /** Parse without touching DNS: {@link InetAddress#ofLiteral} accepts literals only. */
    private static boolean isLiteral(String text) {
        try {
            InetAddress.ofLiteral(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void requireInRange(String component, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(component + " " + value + " is outside " + min + ".." + max);
        }
    }
}
