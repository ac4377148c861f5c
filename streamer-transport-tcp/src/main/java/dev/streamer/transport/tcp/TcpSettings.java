package dev.streamer.transport.tcp;

import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Settings of the {@code tcp} transport: where the receiver is and how the socket is tuned.
 *
 * @param host the receiver: a host name, an IPv4 address, or an IPv6 address with or without
 *     brackets ({@code ::1} or {@code [::1]}); resolved again on every connect
 * @param port the receiver's TCP port, 1 to 65535 (Snapcast's TCP source listens on 4953)
 * @param connectTimeoutMillis how long the name lookup, then each resolved address, may take to answer
 * @param writeTimeoutMillis how long one write may wait for a receiver that stopped reading
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
        boolean noDelay) {

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
