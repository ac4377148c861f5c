package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.TransportException;
import dev.streamer.api.spi.TransportException.Kind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may connect: the allowlist on a dual-stack socket, the client limit, and a port already taken. */
class TcpServerAccessTests {

    /**
     * The original's bug: on a dual-stack listener an IPv4 client arrives as {@code ::ffff:127.0.0.1}
     * and never matched an IPv4 rule. Here every row connects from one loopback address to {@code [::]}.
     */
    @ParameterizedTest(name = "allow {0}: {1} {2}")
    @CsvSource({
        "127.0.0.1,    127.0.0.1, admitted",
        "127.0.0.0/24, 127.0.0.1, admitted",
        "127.0.1.0/24, 127.0.0.1, rejected",
        "'::1',        127.0.0.1, rejected",
        "'::1',        '::1',     admitted",
        "'::/64',      '::1',     admitted",
        "'fd00::/64',  '::1',     rejected",
        "127.0.0.1,    '::1',     rejected",
        "'::ffff:127.0.0.0/104', 127.0.0.1, admitted",
        "'10.0.0.0/8 127.0.0.0/8', 127.0.0.1, admitted",
    })
    @Timeout(30)
    void theAllowListMatchesBothFamiliesOnADualStackSocket(String allow, String from, String outcome) throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("::").allow(allow), PcmFormat.DEFAULT_WIRE)) {
            TestServer.Reader client = server.reader(from);
            if (outcome.equals("admitted")) {
                server.awaitClients(1);
                server.write(TcpServerDeliveryTests.chunk(0));
                client.awaitBytes(3840, Duration.ofSeconds(5));
                assertThat(client.bytes()).isEqualTo(TcpServerDeliveryTests.chunk(0));
            } else {
                // closed at once, before it is even classified: end of stream, nothing received
                assertThat(client.awaitEnd(Duration.ofSeconds(2))).as("closed at once").isTrue();
                server.write(TcpServerDeliveryTests.chunk(0));
                assertThat(client.count()).isZero();
                assertThat(server.link.peer()).startsWith("listening on");
                assertThat(server.link.acceptor().rejectedCount()).isEqualTo(1);
            }
        }
    }

    @Test
    @Timeout(30)
    void aRejectedAddressIsCountedEachTime() throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1").allow("192.0.2.0/24"),
                PcmFormat.DEFAULT_WIRE)) {
            for (int i = 0; i < 5; i++) {
                assertThat(server.reader("127.0.0.1").awaitEnd(Duration.ofSeconds(2))).isTrue();
            }
            assertThat(server.link.acceptor().rejectedCount()).isEqualTo(5);
        }
    }

    @Test
    @Timeout(30)
    void beyondMaxClientsARawClientIsClosedAndAnHttpClientGets503() throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1").maxClients(2), PcmFormat.DEFAULT_WIRE)) {
            TestServer.Reader first = server.reader("127.0.0.1");
            TestServer.Reader second = server.http("127.0.0.1", "GET /stream.wav HTTP/1.1\r\n\r\n");
            server.awaitClients(2);

            TestServer.Reader third = server.reader("127.0.0.1");
            TestServer.Reader player = server.http("127.0.0.1", "GET /stream.wav HTTP/1.1\r\n\r\n");
            TestServer.Reader head = server.http("127.0.0.1", "HEAD /stream.wav HTTP/1.1\r\n\r\n");

            assertThat(third.awaitEnd(Duration.ofSeconds(3))).as("raw client refused").isTrue();
            assertThat(third.count()).isZero();
            assertThat(player.awaitEnd(Duration.ofSeconds(3))).isTrue();
            assertThat(player.text()).startsWith("HTTP/1.1 503 Service Unavailable\r\n").contains("Retry-After: 10\r\n");
            assertThat(head.awaitEnd(Duration.ofSeconds(3))).isTrue();
            assertThat(head.text()).startsWith("HTTP/1.1 503 Service Unavailable\r\n").endsWith("\r\n\r\n");
            assertThat(server.link.acceptor().refusedCount()).as("raw, GET and HEAD").isEqualTo(3);

            // a place frees up when a client leaves
            first.socket.close();
            for (int i = 0; i < 200 && server.link.peer().startsWith("2 clients"); i++) {
                server.write(TcpServerDeliveryTests.chunk(i)); // a write finds the closed socket and removes it
                Thread.sleep(5);
            }
            assertThat(server.link.peer()).startsWith("1 client");
            server.reader("127.0.0.1");
            server.awaitClients(2);
            assertThat(second.count()).isPositive();
        }
    }

    @Test
    @Timeout(30)
    void aPortInUseFailsToBindWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            int port = taken.getLocalPort();
            TcpServerTransport transport = SettingsBuilder.defaults().server("127.0.0.1").port(port).serverTransport();

            TransportException failure = catchThrowableOfType(TransportException.class, () -> transport.open(PcmFormat.DEFAULT_WIRE));

            assertThat(failure.kind()).isEqualTo(Kind.BIND);
            assertThat(failure).hasMessage("tcp-server://127.0.0.1:" + port + ": cannot listen on 127.0.0.1:" + port + ": port "
                    + port + " is already in use (another streamer, or a receiver listening there?)");
        }
    }

    @Test
    @Timeout(30)
    void anAddressOfAnotherHostFailsToBind() {
        // TEST-NET-1 (RFC 5737) is never an address of this machine; bind fails locally, nothing is sent
        TcpServerTransport transport = SettingsBuilder.defaults().server("192.0.2.1").port(4953).serverTransport();

        TransportException failure = catchThrowableOfType(TransportException.class, () -> transport.open(PcmFormat.DEFAULT_WIRE));

        assertThat(failure.kind()).isEqualTo(Kind.BIND);
        assertThat(failure).hasMessage("tcp-server://192.0.2.1:4953: cannot listen on 192.0.2.1:4953: 192.0.2.1 is not an address of this host");
    }

    @Test
    @Timeout(30)
    void aClosedTransportOpensNothing() {
        TcpServerTransport transport = SettingsBuilder.defaults().server("127.0.0.1").serverTransport();
        transport.close();

        TransportException failure = catchThrowableOfType(TransportException.class, () -> transport.open(PcmFormat.DEFAULT_WIRE));

        assertThat(failure).hasMessageContaining("transport was closed");
    }

    @Test
    void mappedAddressesAreUnwrappedBeforeMatching() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[13] = (byte) 168;
        mapped[14] = 1;
        mapped[15] = 20;
        // what an accept on a dual-stack socket may report: an Inet6Address holding ::ffff:192.168.1.20
        InetAddress peer = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(peer).isInstanceOf(java.net.Inet6Address.class);

        assertThat(AllowList.unmapped(peer)).isEqualTo(InetAddress.ofLiteral("192.168.1.20"));
        assertThat(AllowList.parse(java.util.List.of("192.168.1.0/24")).permits(peer)).isTrue();
        assertThat(AllowList.parse(java.util.List.of("192.168.1.20")).permits(peer)).isTrue();
        assertThat(AllowList.parse(java.util.List.of("192.168.2.0/24")).permits(peer)).isFalse();
        assertThat(AllowList.parse(java.util.List.of("::/0")).permits(peer)).as("IPv6 rules do not match IPv4 clients").isFalse();
        assertThat(AllowList.parse(java.util.List.of("0.0.0.0/0")).permits(InetAddress.ofLiteral("::1"))).isFalse();
        assertThat(AllowList.parse(java.util.List.of()).permits(peer)).isTrue();
        assertThat(AllowList.parse(java.util.List.of("192.168.1.77/24", "[fd00::1]/64", "fd00::1:2/127")))
                .hasToString("192.168.1.0/24, fd00::/64, fd00::1:2/127");
        assertThat(AllowList.parse(java.util.List.of("10.0.0.0/12")).permits(InetAddress.ofLiteral("10.15.255.255"))).isTrue();
        assertThat(AllowList.parse(java.util.List.of("10.0.0.0/12")).permits(InetAddress.ofLiteral("10.16.0.0"))).isFalse();
        assertThat(new InetSocketAddress(peer, 1).getAddress()).isEqualTo(peer);
    }
}
