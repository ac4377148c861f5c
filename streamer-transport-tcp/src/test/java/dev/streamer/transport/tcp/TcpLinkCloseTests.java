package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.Link;
import dev.streamer.api.spi.TransportException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Closing sends FIN, waits a bounded time for the receiver, and leaves no half-open socket. */
class TcpLinkCloseTests {

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    @Timeout(20)
    void theReceiverSeesEndOfStreamAndNoSocketStaysOpen(String address) throws Exception {
        SocketStats.assumeAvailable();
        try (LoopbackReceiver receiver = LoopbackReceiver.on(address);
             ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            Link link = SettingsBuilder.defaults().host(address).port(receiver.port()).transport().open(PcmFormat.DEFAULT_WIRE);
            Socket accepted = receiver.accept();
            int ourPort = accepted.getPort();
            // The receiver reads until end of stream, then closes as snapserver does.
            Future<Long> received = background.submit(() -> {
                try (InputStream in = accepted.getInputStream()) {
                    return in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            });
            link.write(ByteBuffer.allocate(3840));

            long start = System.nanoTime();
            link.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(3840); // transferTo returned: it read -1
            assertThat(took).isLessThan(Duration.ofMillis(1000));
            // We closed first and got the receiver's FIN: our socket is in TIME-WAIT, nothing else.
            assertThat(SocketStats.states(ourPort)).doesNotContain("ESTAB", "CLOSE-WAIT").contains("TIME-WAIT");
            assertThat(SocketStats.states(receiver.port())).doesNotContain("ESTAB", "CLOSE-WAIT");
        }
    }

    @Test
    @Timeout(20)
    void closeIsBoundedWhenTheReceiverNeverCloses() throws Exception {
        SocketStats.assumeAvailable();
        try (LoopbackReceiver receiver = LoopbackReceiver.on("127.0.0.1")) {
            Link link = SettingsBuilder.defaults().port(receiver.port()).transport().open(PcmFormat.DEFAULT_WIRE);
            int ourPort = receiver.accept().getPort(); // held open, never read, never closed

            long start = System.nanoTime();
            link.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isBetween(Duration.ofNanos(TcpLink.PEER_EOF_WAIT_NANOS), Duration.ofMillis(1000));
            // Our side sent FIN and was released; only the receiver's own socket remains (CLOSE-WAIT, its port).
            assertThat(SocketStats.states(ourPort)).doesNotContain("ESTAB", "CLOSE-WAIT");
        }
    }

    @Test
    @Timeout(20)
    void closeIsIdempotentAndWritesAfterItFail() throws Exception {
        try (LoopbackReceiver receiver = LoopbackReceiver.on("127.0.0.1")) {
            Link link = SettingsBuilder.defaults().port(receiver.port()).transport().open(PcmFormat.DEFAULT_WIRE);
            receiver.accept().close();

            link.close();
            long start = System.nanoTime();
            link.close();
            Duration secondClose = Duration.ofNanos(System.nanoTime() - start);

            assertThat(secondClose).isLessThan(Duration.ofMillis(50));
            assertThatThrownBy(() -> link.write(ByteBuffer.allocate(4)))
                    .isInstanceOf(TransportException.class).hasMessageContaining("was closed");
        }
    }
}
