package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import dev.streamer.api.spi.LinkHealth;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TCP_INFO through FFM: the struct is decoded right, the descriptor is found, and loopback answers. */
class TcpInfoTests {

    private static final InetSocketAddress V4_LOCAL = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 8080);
    private static final InetSocketAddress V4_REMOTE = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 50000);

    @Test
    void aLineOfProcNetTcpGivesTheInodeOfTheMatchingConnectionOnly() {
        // as a little-endian kernel prints 127.0.0.1:8080 -> 127.0.0.1:50000 (0x1F90, 0xC350)
        String line = "   3: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 4242 1 "
                + "0000000000000000 20 4 30 10 -1";

        assertThat(TcpInfo.inodeOf(line, V4_LOCAL, V4_REMOTE, ByteOrder.LITTLE_ENDIAN)).isEqualTo(4242);
        assertThat(TcpInfo.inodeOf(line, V4_REMOTE, V4_LOCAL, ByteOrder.LITTLE_ENDIAN)).isEqualTo(-1);
        assertThat(TcpInfo.inodeOf(line, new InetSocketAddress(V4_LOCAL.getAddress(), 8081), V4_REMOTE, ByteOrder.LITTLE_ENDIAN))
                .isEqualTo(-1);
        // a big-endian kernel prints the address in network order
        String bigEndian = line.replace("0100007F", "7F000001");
        assertThat(TcpInfo.inodeOf(bigEndian, V4_LOCAL, V4_REMOTE, ByteOrder.BIG_ENDIAN)).isEqualTo(4242);
        assertThat(TcpInfo.inodeOf("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                V4_LOCAL, V4_REMOTE, ByteOrder.LITTLE_ENDIAN)).isEqualTo(-1);
    }

    @Test
    void aDualStackSocketListsIpv4PeersAsMappedAndStillMatches() {
        // /proc/net/tcp6 line of an accepted IPv4 client on a [::] listener: ::ffff:127.0.0.1
        String mapped = "   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:C350 01 "
                + "00000000:00000000 00:00000000 00000000     0        0 249664 2 000000001ed3beaf 20 0 0 10 -1";
        String v6 = "   2: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:C350 01 "
                + "00000000:00000000 00:00000000 00000000     0        0 777 2 000000001ed3beaf 20 0 0 10 -1";
        InetSocketAddress v6Local = new InetSocketAddress(InetAddress.ofLiteral("::1"), 8080);
        InetSocketAddress v6Remote = new InetSocketAddress(InetAddress.ofLiteral("::1"), 50000);

        assertThat(TcpInfo.inodeOf(mapped, V4_LOCAL, V4_REMOTE, ByteOrder.LITTLE_ENDIAN)).isEqualTo(249664);
        assertThat(TcpInfo.inodeOf(v6, v6Local, v6Remote, ByteOrder.LITTLE_ENDIAN)).isEqualTo(777);
        assertThat(TcpInfo.inodeOf(v6, V4_LOCAL, V4_REMOTE, ByteOrder.LITTLE_ENDIAN)).isEqualTo(-1);
    }

    @Test
    void theStructIsReadAtTheOffsetsOfLinuxTcpH() {
        MemorySegment info = Arena.ofAuto().allocate(TcpInfo.INFO_BYTES);
        info.set(ValueLayout.JAVA_INT, 24, 7); // tcpi_unacked, in segments: not what we report
        info.set(ValueLayout.JAVA_INT, 68, 26); // tcpi_rtt
        info.set(ValueLayout.JAVA_INT, 72, 13); // tcpi_rttvar
        info.set(ValueLayout.JAVA_INT, 100, 3); // tcpi_total_retrans
        info.set(ValueLayout.JAVA_INT, 144, 1000); // tcpi_notsent_bytes

        // SIOCOUTQ 5000 = 1000 not sent + 4000 in flight
        assertThat(TcpInfo.decode(info, 232, 5000)).isEqualTo(new LinkHealth(26, 13, 3, 4000, 1000));
        // a kernel before 4.6 returns a shorter struct without tcpi_notsent_bytes
        assertThat(TcpInfo.decode(info, 104, 5000)).isEqualTo(new LinkHealth(26, 13, 3, -1, -1));
        // the ioctl failed
        assertThat(TcpInfo.decode(info, 232, -1)).isEqualTo(new LinkHealth(26, 13, 3, -1, 1000));
        // too short to hold even the retransmits
        assertThat(TcpInfo.decode(info, 100, 5000)).isEqualTo(LinkHealth.UNKNOWN);
        // unsigned 32-bit fields
        info.set(ValueLayout.JAVA_INT, 68, -1);
        assertThat(TcpInfo.decode(info, 232, 5000).rttMicros()).isEqualTo(0xFFFF_FFFFL);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    @Timeout(20)
    void aLoopbackLinkReportsASmallRttAndNothingAfterClose(String address) throws Exception {
        assumeTrue(TcpInfo.supported(), "TCP_INFO is read on Linux only");
        try (LoopbackReceiver receiver = LoopbackReceiver.on(address);
             ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            Link link = SettingsBuilder.defaults().host(address).port(receiver.port()).transport().open(PcmFormat.DEFAULT_WIRE);
            try {
                Socket accepted = receiver.accept();
                background.submit(() -> {
                    try (InputStream in = accepted.getInputStream()) {
                        return in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                });
                ByteBuffer chunk = ByteBuffer.allocateDirect(3840);
                for (int i = 0; i < 100; i++) {
                    chunk.clear();
                    link.write(chunk);
                }

                long start = System.nanoTime();
                LinkHealth first = link.health();
                long firstMicros = (System.nanoTime() - start) / 1000;
                start = System.nanoTime();
                LinkHealth health = link.health();
                long secondMicros = (System.nanoTime() - start) / 1000;
                System.out.printf(Locale.ROOT, "[tcp_info %s] %s; first read %d us, then %d us (the descriptor was looked up at connect)%n",
                        address, health, firstMicros, secondMicros);

                assertThat(first.hasRtt()).as("rtt known: %s", first).isTrue();
                assertThat(health.rttMicros()).as("loopback rtt in us").isBetween(0L, 20_000L);
                assertThat(health.rttVarianceMicros()).isBetween(0L, 20_000L);
                // loopback loses nothing, but a tail loss probe after a delayed ACK counts as a retransmission
                assertThat(health.retransmits()).isBetween(0L, 50L);
                assertThat(health.unackedBytes()).isBetween(0L, 384_000L);
                assertThat(health.notSentBytes()).isBetween(0L, 384_000L);
                if (SocketStats.isAvailable()) {
                    // ss reads the same kernel struct: rtt:<ms>/<ms> with microsecond resolution
                    String ss = SocketStats.details(accepted.getPort());
                    System.out.println("[tcp_info " + address + "] ss: " + ss.strip());
                    Matcher rtt = Pattern.compile("\\brtt:([0-9.]+)/([0-9.]+)").matcher(ss);
                    assertThat(rtt.find()).isTrue();
                    long ssRttMicros = Math.round(Double.parseDouble(rtt.group(1)) * 1000);
                    assertThat(Math.abs(ssRttMicros - link.health().rttMicros())).as("ss says %s us", ssRttMicros).isLessThan(1000);
                }

            } finally {
                link.close();
            }
            assertThat(link.health()).isEqualTo(LinkHealth.UNKNOWN);
        }
    }

    @Test
    @Timeout(10)
    void anIdleLinkAnswersWithTheSameObject() throws Exception {
        assumeTrue(TcpInfo.supported(), "TCP_INFO is read on Linux only");
        try (LoopbackReceiver receiver = LoopbackReceiver.on("127.0.0.1")) {
            Link link = SettingsBuilder.defaults().port(receiver.port()).transport().open(PcmFormat.DEFAULT_WIRE);
            receiver.accept();
            try {
                LinkHealth first = link.health();
                assertThat(first.hasRtt()).isTrue();
                assertThat(link.health()).isSameAs(first); // nothing changed: no new record
            } finally {
                link.close();
            }
        }
    }

    @Test
    @Timeout(10)
    void aSocketThatCannotBeFoundIsUnknown() throws Exception {
        try (java.nio.channels.SocketChannel unconnected = java.nio.channels.SocketChannel.open()) {
            TcpInfo info = TcpInfo.of(unconnected, "nothing", System.getLogger("test"));
            assertThat(info.read()).isEqualTo(LinkHealth.UNKNOWN);
        }
    }
}
