package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.PcmFormat;
import dev.streamer.testkit.Allocation;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server mode writes every few milliseconds for hours too: a write to its clients must not allocate. */
class TcpServerAllocationTests {

    private static final int WRITES = 5_000;

    @Test
    @Timeout(60)
    void writesToRawAndHttpClientsAllocateNothing() throws Exception {
        PcmFormat wire = PcmFormat.wire(48_000, 24, 2); // 24 bits: the HTTP client gets them converted
        try (TestServer server = TestServer.start(SettingsBuilder.defaults().server("127.0.0.1"), wire)) {
            TestServer.Reader raw = server.reader("127.0.0.1");
            TestServer.Reader player = server.http("127.0.0.1", "GET /stream.wav HTTP/1.1\r\n\r\n");
            server.awaitClients(2);
            ByteBuffer chunk = ByteBuffer.allocateDirect(1920); // 5 ms

            measureWrites(server, chunk, raw, player, 0); // warm up: class loading, JIT, the JDK's cached buffers
            long allocated = measureWrites(server, chunk, raw, player, WRITES);
            System.out.printf("[server allocation] %d writes to a raw and an HTTP (24-bit packed) client allocated %d bytes%n",
                    WRITES, allocated);

            assertThat(allocated).as("bytes allocated by %d writes to 2 clients", WRITES).isLessThan(1024);
            assertThat(player.count()).isPositive();
        }
    }

    /**
     * Write {@value #WRITES} chunks in batches of 20 and return what the writes allocated. Between
     * batches, unmeasured, both clients catch up, so that no queue fills (a full queue logs once).
     */
    private static long measureWrites(TestServer server, ByteBuffer chunk, TestServer.Reader raw, TestServer.Reader player,
                                      int offset) throws Exception {
        long measuring = -Allocation.currentThread() + Allocation.currentThread(); // what reading the counter allocates itself
        long allocated = 0;
        for (int batch = 0; batch < WRITES / 20; batch++) {
            raw.awaitBytes((offset + batch * 20) * 1920, java.time.Duration.ofSeconds(5));
            player.awaitBytes((offset + batch * 20) * 1440, java.time.Duration.ofSeconds(5)); // 24 bits packed: 3/4
            long before = Allocation.currentThread();
            for (int i = 0; i < 20; i++) {
                chunk.clear();
                server.link.write(chunk);
            }
            allocated += Allocation.currentThread() - before - measuring;
        }
        return allocated;
    }
}
