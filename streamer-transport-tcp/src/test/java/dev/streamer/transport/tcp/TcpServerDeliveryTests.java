package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.LinkHealth;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server mode delivers the same exact bytes to every raw receiver, from the chunk after it joined. */
class TcpServerDeliveryTests {

    private static final int CHUNK_BYTES = 3840; // 20 ms of 48 kHz 16-bit stereo
    static final int CHUNK_BYTES_FOR_TESTS = CHUNK_BYTES;

    @Test
    @Timeout(30)
    void severalRawClientsGetIdenticalExactBytesAndEndOfStreamOnClose() throws Exception {
        int chunks = 500;
        TestServer.Reader[] readers = new TestServer.Reader[3];
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("::"), PcmFormat.DEFAULT_WIRE)) {
            readers[0] = server.reader("127.0.0.1");
            readers[1] = server.reader("::1");
            readers[2] = server.reader("127.0.0.1");
            server.awaitClients(3);
            for (int i = 0; i < chunks; i++) {
                int chunk = i;
                // at most 8 chunks in flight: far below each client's queue, so that nothing may be dropped
                for (TestServer.Reader reader : readers) {
                    reader.awaitBytes((chunk - 8) * CHUNK_BYTES, Duration.ofSeconds(5));
                }
                server.write(chunk(i));
            }
            long start = System.nanoTime();
            server.link.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            byte[] expected = chunks(0, chunks);
            for (TestServer.Reader reader : readers) {
                assertThat(reader.awaitEnd(Duration.ofSeconds(5))).as("end of stream").isTrue();
                assertThat(reader.failure()).as("a FIN, not a reset").isNull();
                assertExact(reader.bytes(), expected);
            }
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            System.out.printf(Locale.ROOT, "[server delivery] 3 clients got %d bytes each; close took %d ms%n", expected.length,
                    took.toMillis());
        }
    }

    @Test
    @Timeout(30)
    void closeSendsWhatAReadingClientsQueueStillHoldsBeforeTheFin() throws Exception {
        // small kernel buffers and a receiver at ~2 MB/s: most of a 10-chunk burst (38 KB, ~20 ms
        // for it to read) still waits in the client's own queue when close() comes
        SettingsBuilder settings = SettingsBuilder.defaults().server("127.0.0.1").sendBufferBytes(4096);
        try (TestServer server = TestServer.start(settings, PcmFormat.DEFAULT_WIRE)) {
            TestServer.Reader reader = server.slowReader("127.0.0.1", 4096, Duration.ofMillis(2));
            server.awaitClients(1);
            int chunks = 10;
            for (int i = 0; i < chunks; i++) {
                server.write(chunk(i));
            }
            server.link.close(); // at once: the end of the stream is still queued

            assertThat(reader.awaitEnd(Duration.ofSeconds(5))).as("end of stream").isTrue();
            assertThat(reader.failure()).as("a FIN, not a reset").isNull();
            assertExact(reader.bytes(), chunks(0, chunks));
        }
    }

    @Test
    @Timeout(30)
    void aNewClientStartsWithTheNextChunkNeverWithOldAudio() throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1"), PcmFormat.DEFAULT_WIRE)) {
            TestServer.Reader first = server.reader("127.0.0.1");
            server.awaitClients(1);
            for (int i = 0; i < 50; i++) {
                first.awaitBytes((i - 8) * CHUNK_BYTES, Duration.ofSeconds(5));
                server.write(chunk(i));
            }
            TestServer.Reader second = server.reader("127.0.0.1");
            server.awaitClients(2);
            for (int i = 50; i < 100; i++) {
                first.awaitBytes((i - 8) * CHUNK_BYTES, Duration.ofSeconds(5));
                second.awaitBytes((i - 50 - 8) * CHUNK_BYTES, Duration.ofSeconds(5));
                server.write(chunk(i));
            }
            server.link.close();

            assertThat(first.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertThat(second.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertExact(first.bytes(), chunks(0, 100));
            assertExact(second.bytes(), chunks(50, 100));
        }
    }

    @Test
    @Timeout(30)
    void withoutClientsAWriteConsumesTheChunkAndThePeerSaysWhereItListens() throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("::"), PcmFormat.DEFAULT_WIRE)) {
            ByteBuffer chunk = ByteBuffer.wrap(chunk(0));
            server.link.write(chunk);

            assertThat(chunk.hasRemaining()).isFalse();
            assertThat(server.link.peer()).isEqualTo("listening on [::]:" + server.port);
            assertThat(server.link.streamingDetail()).isEqualTo("listening on [::]:" + server.port);
            assertThat(server.link.health()).isEqualTo(LinkHealth.UNKNOWN);
            assertThat(server.link.appliedOptions()).containsExactly("listen=[::]:" + server.port + " (IPv6 and IPv4)",
                    "maxClients=8", "allow=everyone");

            TestServer.Reader v4 = server.reader("127.0.0.1");
            server.awaitClients(1);
            TestServer.Reader v6 = server.reader("::1");
            server.awaitClients(2);
            // IPv4 on the dual-stack socket is shown as IPv4, not ::ffff:127.0.0.1
            assertThat(server.link.peer()).isEqualTo("2 clients: 127.0.0.1:" + v4.socket.getLocalPort() + ", [::1]:"
                    + v6.socket.getLocalPort());
            if (TcpInfo.supported()) {
                for (int i = 0; i < 10; i++) {
                    server.write(chunk(i));
                }
                LinkHealth health = server.link.health();
                System.out.printf(Locale.ROOT, "[server health] worst of 2 loopback clients: %s%n", health);
                assertThat(health.hasRtt()).as("%s", health).isTrue();
                assertThat(health.rttMicros()).isBetween(0L, 200_000L);
            }
        }
    }

    @Test
    @Timeout(30)
    void closeIsIdempotentAndLaterWritesFail() throws Exception {
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1"), PcmFormat.DEFAULT_WIRE)) {
            server.link.close();
            long start = System.nanoTime();
            server.link.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(50));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.write(chunk(0)))
                    .isInstanceOf(dev.streamer.api.spi.TransportException.class).hasMessageContaining("was closed");
            // the port is free again: a new server can listen there at once
            try (java.net.ServerSocket again = new java.net.ServerSocket()) {
                again.setReuseAddress(true);
                again.bind(new java.net.InetSocketAddress(java.net.InetAddress.ofLiteral("127.0.0.1"), server.port));
            }
        }
    }

    static byte[] chunk(int index) {
        byte[] chunk = new byte[CHUNK_BYTES];
        for (int j = 0; j < CHUNK_BYTES; j++) {
            chunk[j] = patternByte(index * CHUNK_BYTES + j);
        }
        return chunk;
    }

    static byte[] chunks(int from, int to) {
        byte[] all = new byte[(to - from) * CHUNK_BYTES];
        for (int i = from; i < to; i++) {
            System.arraycopy(chunk(i), 0, all, (i - from) * CHUNK_BYTES, CHUNK_BYTES);
        }
        return all;
    }

    /** A pattern that does not repeat every 256 bytes, so a lost or repeated chunk shows. */
    static byte patternByte(int index) {
        return (byte) (index * 31 + index / 251);
    }

    static void assertExact(byte[] actual, byte[] expected) {
        int mismatch = Arrays.mismatch(actual, expected);
        assertThat(mismatch).as("first differing byte of %d received, %d expected", actual.length, expected.length).isEqualTo(-1);
    }
}
