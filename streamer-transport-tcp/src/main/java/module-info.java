/**
 * The {@code tcp} transport plugin: raw PCM over TCP to a receiver such as Snapcast's TCP source.
 *
 * <p>Client mode: each connection resolves the host again and tries every address, IPv4 and IPv6
 * alike, each within the connect timeout; a write that cannot progress fails after the write
 * timeout. Server mode: receivers connect to us (raw PCM, or WAV over HTTP), each with its own
 * queue, so that a slow one never holds up the others. Socket options (send buffer, keepalive
 * timers, DSCP, no-delay) are applied to every socket and reported as the kernel reads them back;
 * on Linux the link's health comes from TCP_INFO, read through {@code java.lang.foreign} (run with
 * {@code --enable-native-access=dev.streamer.transport.tcp}).
 *
 * @provides dev.streamer.api.spi.TransportProvider the {@code tcp} transport
 */
module dev.streamer.transport.tcp {
    requires dev.streamer.api;
    requires jdk.net; // ExtendedSocketOptions: TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT

    // Not exported: the application binds TcpSettings from JSON by reflection, which needs opens only.
    opens dev.streamer.transport.tcp;

    provides dev.streamer.api.spi.TransportProvider with dev.streamer.transport.tcp.TcpTransportProvider;
}
