package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import dev.streamer.api.spi.TransportException;
import dev.streamer.api.spi.TransportException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a connection fails ends in a typed, bounded exception. */
class TcpTransportFailureTests {

    /** Far more than the kernel buffers of a receiver that does not read, so a write must stall. */
    private static final int STALLING_CHUNK_BYTES = 16 << 20;

    @Test
    @Timeout(10)
    void aClosedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.ofLiteral("127.0.0.1"))) {
            port = probe.getLocalPort(); // nothing listens there once it is closed
        }
        TcpTransport transport = SettingsBuilder.defaults().port(port).transport();

        TransportException failure = catchThrowableOfType(TransportException.class, () -> transport.open(PcmFormat.DEFAULT_WIRE));

        assertThat(failure.kind()).isEqualTo(Kind.REFUSED);
        assertThat(failure).hasMessage("tcp://127.0.0.1:" + port + ": connection refused by 127.0.0.1");
    }

    @Test
    @Timeout(30)
    void anUnknownHostFailsToResolve() {
        TcpTransport transport = SettingsBuilder.defaults().host("no-such-host.invalid").transport();

        TransportException failure = catchThrowableOfType(TransportException.class, () -> transport.open(PcmFormat.DEFAULT_WIRE));

        assertThat(failure.kind()).isEqualTo(Kind.RESOLVE);
        assertThat(failure).hasMessage("tcp://no-such-host.invalid:4953: cannot resolve host no-such-host.invalid");
    }

    @Test
    @Timeout(30)
    void aReceiverThatDoesNotAnswerTimesOut() throws Exception {
        // Linux drops a SYN while the listener's accept queue is full, which is what an absent
        // host looks like to the connecting side, yet on loopback.
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.ofLiteral("127.0.0.1"));
             Backlog backlog = Backlog.fill(listener.getLocalPort())) {
            assertThat(backlog.queued()).isPositive();
            TcpTransport transport = SettingsBuilder.defaults().port(listener.getLocalPort()).connectTimeoutMillis(300).transport();

            long start = System.nanoTime();
            TransportException failure = catchThrowableOfType(TransportException.class, () -> transport.open(PcmFormat.DEFAULT_WIRE));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(failure.kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
            assertThat(failure).hasMessage("tcp://127.0.0.1:" + listener.getLocalPort() + ": 127.0.0.1 did not answer within 300 ms");
            assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(2300));
        }
    }

    @Test
    @Timeout(30)
    void aReceiverThatStopsReadingTimesTheWriteOutAndGetsAReset() throws Exception {
        SocketStats.assumeAvailable();
        try (LoopbackReceiver receiver = LoopbackReceiver.on("127.0.0.1")) {
            Link link = SettingsBuilder.defaults().port(receiver.port()).writeTimeoutMillis(300).sendBufferBytes(4096)
                    .transport().open(PcmFormat.DEFAULT_WIRE);
            Socket accepted = receiver.accept(); // and never read from, until the write failed
            ByteBuffer chunk = ByteBuffer.allocateDirect(STALLING_CHUNK_BYTES);

            long start = System.nanoTime();
            TransportException failure = catchThrowableOfType(TransportException.class, () -> link.write(chunk));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(failure.kind()).isEqualTo(Kind.WRITE_TIMEOUT);
            assertThat(failure).hasMessage("tcp://127.0.0.1:" + receiver.port() + ": receiver at 127.0.0.1:" + receiver.port()
                    + " stopped reading: nothing could be sent for 300 ms");
            assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(2300));
            // The link closed itself abortively: the receiver reads what was buffered, then a reset, not EOF.
            accepted.setSoTimeout(5000);
            assertThatThrownBy(() -> drain(accepted.getInputStream()))
                    .isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(SocketStats.states(accepted.getPort())).doesNotContain("ESTAB", "CLOSE-WAIT");
            assertThat(SocketStats.states(receiver.port())).doesNotContain("ESTAB", "CLOSE-WAIT");
            link.close(); // still allowed, and does nothing more
        }
    }

    @Test
    @Timeout(30)
    void aWriteWithoutWaitingTakesWhatTheKernelTakesNeverBlocksAndAWriteFinishesTheRest() throws Exception {
        try (LoopbackReceiver receiver = LoopbackReceiver.on("127.0.0.1")) {
            Link link = SettingsBuilder.defaults().port(receiver.port()).writeTimeoutMillis(20_000).sendBufferBytes(4096)
                    .transport().open(PcmFormat.DEFAULT_WIRE);
            Socket accepted = receiver.accept(); // not read from until the rest is written
            ByteBuffer chunk = ByteBuffer.allocateDirect(2 << 20); // more than the kernel buffers of a receiver that does not read
            assertThat(link.writesWithoutWaiting()).isTrue();

            long longest = 0;
            for (int i = 0; i < 100; i++) { // as loopback moves data to the receiver's buffer, a little more fits
                long start = System.nanoTime();
                link.writeNow(chunk);
                longest = Math.max(longest, System.nanoTime() - start);
            }

            assertThat(chunk.position()).as("what the kernel buffers took").isPositive().isLessThan(1 << 20);
            // a write that waited would wait out the 20 s write timeout
            assertThat(Duration.ofNanos(longest)).as("the longest write that does not wait").isLessThan(Duration.ofSeconds(5));
            // the receiver reads: a write (which waits) sends the rest, every byte in order
            Future<Long> read;
            try (ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
                read = reader.submit(() -> {
                    accepted.setSoTimeout(10_000);
                    return accepted.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                });
                link.write(chunk);
                link.close(); // FIN after the last byte
            }
            assertThat(chunk.hasRemaining()).isFalse();
            assertThat(read.get()).isEqualTo(2 << 20);
        }
    }

    @Test
    @Timeout(10)
    void aReceiverThatClosesMakesALaterWriteFail() throws Exception {
        try (LoopbackReceiver receiver = LoopbackReceiver.on("127.0.0.1")) {
            Link link = SettingsBuilder.defaults().port(receiver.port()).transport().open(PcmFormat.DEFAULT_WIRE);
            Socket accepted = receiver.accept();
            accepted.close(); // FIN: nothing was received, so the kernel does not reset

            TransportException failure = writeUntilFailure(link);

            // Our side is in CLOSE_WAIT when the first write reaches the closed socket; the reset
            // it answers with then surfaces as EPIPE (Linux's tcp_reset), i.e. CLOSED_BY_PEER.
            // Other kernels may report that reset as such, hence the pair.
            assertThat(failure.kind()).isIn(Kind.CLOSED_BY_PEER, Kind.RESET);
            assertThat(failure).hasMessageContaining("receiver at 127.0.0.1:" + receiver.port());
            assertNoSocketLeftOpen(accepted.getPort());
        }
    }

    @ParameterizedTest(name = "write without waiting: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(10)
    void aReceiverThatResetsMakesTheNextWriteFailWithReset(boolean now) throws Exception {
        try (LoopbackReceiver receiver = LoopbackReceiver.on("127.0.0.1")) {
            Link link = SettingsBuilder.defaults().port(receiver.port()).transport().open(PcmFormat.DEFAULT_WIRE);
            Socket accepted = receiver.accept();
            accepted.setSoLinger(true, 0);
            accepted.close(); // RST while our side is ESTABLISHED

            TransportException failure = writeUntilFailure(link, now);

            // Observed on Linux: the reset arrives before our write (loopback delivers it within
            // the receiver's close), the socket holds ECONNRESET, and the very first write fails.
            assertThat(failure.kind()).isEqualTo(Kind.RESET);
            assertThat(failure).hasMessage("tcp://127.0.0.1:" + receiver.port() + ": receiver at 127.0.0.1:" + receiver.port()
                    + " reset the connection");
            assertThatThrownBy(() -> link.writeNow(ByteBuffer.allocateDirect(960))).isInstanceOf(TransportException.class)
                    .hasMessageContaining("was closed");
            assertNoSocketLeftOpen(accepted.getPort());
        }
    }

    @Test
    @Timeout(30)
    void closeFromAnotherThreadUnblocksAWrite() throws Exception {
        // A small, fixed receive buffer, so that the 16 MiB write cannot complete.
        try (LoopbackReceiver receiver = LoopbackReceiver.on("127.0.0.1", 50, 65536);
             ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            Link link = SettingsBuilder.defaults().port(receiver.port()).writeTimeoutMillis(60_000).sendBufferBytes(4096)
                    .transport().open(PcmFormat.DEFAULT_WIRE);
            Socket accepted = receiver.accept();
            Future<TransportException> write = background.submit(() ->
                    catchThrowableOfType(TransportException.class, () -> link.write(ByteBuffer.allocateDirect(STALLING_CHUNK_BYTES))));
            // Once the receiver got the first 64 KiB, the write is under way and cannot finish.
            accepted.getInputStream().readNBytes(65536);

            long start = System.nanoTime();
            link.close();
            TransportException failure = write.get(5, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(failure).isNotNull();
            assertThat(failure.kind()).isEqualTo(Kind.OTHER);
            assertThat(failure).hasMessageContaining("was closed");
            assertThat(took).isLessThan(Duration.ofSeconds(1)); // not the 60 s write timeout
            assertThatThrownBy(() -> link.write(ByteBuffer.allocate(4))).isInstanceOf(TransportException.class);
        }
    }

    @Test
    @Timeout(30)
    void closingTheTransportAbortsAConnectInProgress() throws Exception {
        SocketStats.assumeAvailable();
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.ofLiteral("127.0.0.1"));
             Backlog backlog = Backlog.fill(listener.getLocalPort());
             ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            assertThat(backlog.queued()).isPositive();
            TcpTransport transport = SettingsBuilder.defaults().port(listener.getLocalPort()).connectTimeoutMillis(60_000).transport();
            int connectingBefore = SocketStats.connecting(listener.getLocalPort());
            Future<TransportException> open = background.submit(() ->
                    catchThrowableOfType(TransportException.class, () -> transport.open(PcmFormat.DEFAULT_WIRE)));
            while (SocketStats.connecting(listener.getLocalPort()) <= connectingBefore) {
                Thread.onSpinWait(); // until our SYN is out and unanswered
            }

            long start = System.nanoTime();
            transport.close();
            TransportException failure = open.get(5, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(failure.kind()).isEqualTo(Kind.OTHER);
            assertThat(failure).hasMessageContaining("transport was closed");
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThatThrownBy(() -> transport.open(PcmFormat.DEFAULT_WIRE)).isInstanceOf(TransportException.class);
        }
    }

    /** The link released its socket when the write failed, without waiting for close(). */
    private static void assertNoSocketLeftOpen(int ourPort) throws IOException {
        if (SocketStats.isAvailable()) {
            assertThat(SocketStats.states(ourPort)).doesNotContain("ESTAB", "CLOSE-WAIT");
        }
    }

    private static TransportException writeUntilFailure(Link link) {
        return writeUntilFailure(link, false);
    }

    private static TransportException writeUntilFailure(Link link, boolean withoutWaiting) {
        ByteBuffer chunk = ByteBuffer.allocateDirect(960);
        for (int i = 0; i < 10_000; i++) {
            chunk.clear();
            try {
                if (withoutWaiting) {
                    link.writeNow(chunk);
                } else {
                    link.write(chunk);
                }
            } catch (TransportException e) {
                return e;
            }
        }
        throw new AssertionError("10000 writes to a closed receiver succeeded");
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[65536];
        while (in.read(buffer) >= 0) {
            // discard; a reset ends this with an exception, a FIN with -1
        }
    }

    /** Connections that fill a listener's accept queue, so that it drops further SYNs. */
    private static final class Backlog implements AutoCloseable {
        private final List<Socket> queued = new ArrayList<>();

        static Backlog fill(int port) throws IOException {
            Backlog backlog = new Backlog();
            for (int i = 0; i < 64; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(java.net.InetAddress.ofLiteral("127.0.0.1"), port), 200);
                    backlog.queued.add(socket);
                } catch (IOException e) {
                    socket.close();
                    return backlog; // the queue is full: this SYN went unanswered
                }
            }
            backlog.close();
            throw new AssertionError("the accept queue of port " + port + " never filled");
        }

        /** Return how many connections wait in the accept queue. */
        int queued() {
            return queued.size();
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }
}
