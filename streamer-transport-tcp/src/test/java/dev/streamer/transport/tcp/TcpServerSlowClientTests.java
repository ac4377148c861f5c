package dev.streamer.transport.tcp;

import static dev.streamer.transport.tcp.TcpServerDeliveryTests.CHUNK_BYTES_FOR_TESTS;
import static dev.streamer.transport.tcp.TcpServerDeliveryTests.assertExact;
import static dev.streamer.transport.tcp.TcpServerDeliveryTests.chunk;
import static dev.streamer.transport.tcp.TcpServerDeliveryTests.chunks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamer.api.PcmFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A receiver that stops reading costs only itself: it is cut off after the write timeout, while
 * another keeps getting every byte, and write() never waits for it.
 */
class TcpServerSlowClientTests {

    private static final int WRITE_TIMEOUT_MILLIS = 500;
    private static final long REAL_TIME_NANOS = 20_000_000; // a 3840-byte chunk is 20 ms of 48 kHz s16le stereo
    private static final long FAST_NANOS = 2_000_000; // ten times real time

    @Test
    @Timeout(60)
    void aStalledClientIsCutOffAfterTheWriteTimeoutWhileAFastOneGetsEverything() throws Exception {
        // small kernel send buffers: the slow client's stall shows after a few chunks, not after ~200 ms of them
        SettingsBuilder settings = SettingsBuilder.defaults().server("127.0.0.1").writeTimeoutMillis(WRITE_TIMEOUT_MILLIS)
                .sendBufferBytes(4096);
        try (TestServer server = TestServer.start(settings, PcmFormat.DEFAULT_WIRE)) {
            TestServer.Reader fast = server.reader("127.0.0.1");
            // never read; a small fixed receive buffer, so that the kernel holds little of what is sent to it
            Socket slow = server.connect("127.0.0.1", 4096);
            server.awaitClients(2);
            long admitted = System.nanoTime();

            int chunks = 100; // 2 s, at the pace of the capture: the fast reader has its whole queue (500 ms) of slack
            long[] writeNanos = new long[chunks];
            long cutOffAt = 0;
            int cutOffWrite = -1;
            long next = System.nanoTime();
            for (int i = 0; i < chunks; i++) {
                byte[] chunk = chunk(i);
                long start = System.nanoTime();
                server.write(chunk);
                writeNanos[i] = System.nanoTime() - start;
                if (cutOffAt == 0 && server.link.cutOffCount() > 0) {
                    cutOffAt = System.nanoTime();
                    cutOffWrite = i;
                }
                next += REAL_TIME_NANOS;
                LockSupport.parkNanos(next - System.nanoTime()); // pacing, like the capture clock
            }
            server.link.close();

            // the fast client got every chunk, in order, without a gap
            assertThat(fast.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertExact(fast.bytes(), chunks(0, chunks));
            // the slow one was cut off: after the timeout, well before the writes ended
            assertThat(cutOffAt).as("cut-off happened").isPositive();
            Duration cutOff = Duration.ofNanos(cutOffAt - admitted);
            assertThat(cutOff).isBetween(Duration.ofMillis(WRITE_TIMEOUT_MILLIS), Duration.ofMillis(WRITE_TIMEOUT_MILLIS + 1000));
            assertThat(server.link.cutOffCount()).isEqualTo(1);
            // with a reset: it reads what its kernel holds, then fails instead of reading end of stream
            slow.setSoTimeout(5000);
            IOException reset = null;
            long received = 0;
            try (InputStream in = slow.getInputStream()) {
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                }
            } catch (SocketException e) {
                reset = e;
            }
            assertThat(reset).as("the slow client's read ends with a reset").isNotNull().hasMessageContaining("reset");

            int slowest = 0;
            for (int i = 1; i < chunks; i++) {
                slowest = writeNanos[i] > writeNanos[slowest] ? i : slowest;
            }
            long[] sorted = writeNanos.clone();
            Arrays.sort(sorted);
            long p50 = sorted[chunks / 2] / 1000;
            long p90 = sorted[chunks * 9 / 10] / 1000;
            long max = sorted[chunks - 1] / 1000;
            System.out.printf(Locale.ROOT, "[slow client] cut off %d ms after it was admitted (write timeout %d ms); it had"
                            + " received %d bytes; %d writes with it stalled: p50 %d us, p90 %d us, max %d us (write #%d; the"
                            + " cut-off was #%d)%n",
                    cutOff.toMillis(), WRITE_TIMEOUT_MILLIS, received, chunks, p50, p90, max, slowest, cutOffWrite);
            assertThat(p90).as("p90 of write() in us").isLessThan(5_000);
            // one write may meet a GC pause or a busy machine (and the cut-off write logs): bounded, not tight
            assertThat(max).as("longest write() in us").isLessThan(100_000);
        }
    }

    @Test
    @Timeout(60)
    void aClientThatPausesShorterThanTheTimeoutStaysAndMissesOnlyWhatDidNotFit() throws Exception {
        SettingsBuilder settings = SettingsBuilder.defaults().server("127.0.0.1").writeTimeoutMillis(5000);
        try (TestServer server = TestServer.start(settings, PcmFormat.DEFAULT_WIRE)) {
            Socket paused = server.connect("127.0.0.1", 4096);
            server.awaitClients(1);
            int chunks = 600; // 12 s of audio in 1.2 s: far more than its queue and kernel buffers hold
            long next = System.nanoTime();
            for (int i = 0; i < chunks; i++) {
                server.write(chunk(i));
                next += FAST_NANOS;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            // it never read during 1.2 s < 5 s: still connected, and it reads the start of the stream intact
            assertThat(server.link.peer()).startsWith("1 client");
            assertThat(server.link.cutOffCount()).isZero();
            // what the kernel buffers hold (its send buffer is ~200 ms); the rest waits in the client's
            // queue for the next write(), which this test does not make
            byte[] start = paused.getInputStream().readNBytes(4 * CHUNK_BYTES_FOR_TESTS);
            assertExact(start, chunks(0, 4));
        }
    }
}
